// The Snapshots a schedule takes: one per source and scheduled time, named
// after both (so a run made twice — after a crash — makes nothing twice),
// labelled with the schedule and annotated with the time it was scheduled
// for. They have no owner: backups outlive the schedule that took them.
import { createHash } from 'node:crypto';
import type { Snapshot, SnapshotSchedule } from '../../pkg/api/types.generated.js';
import { labelKeys, managedBy } from '../shared/labels.js';

export const scheduledAtAnnotation = 'stratus.dev/scheduled-at';

export interface ScheduleSource {
  kind: 'VirtualMachine' | 'Volume';
  name: string;
}

/** The label value naming the schedule: its name, shortened with a hash beyond 63 characters. */
export function scheduleLabel(schedule: SnapshotSchedule): string {
  const name = schedule.metadata.name!;
  return name.length <= 63 ? name : `${name.slice(0, 52)}-${createHash('sha256').update(name).digest('hex').slice(0, 10)}`;
}

function stamp(at: number): string {
  return new Date(at).toISOString().slice(0, 16).replace(/[-:]/g, '').replace('T', '-');
}

export function snapshotName(schedule: SnapshotSchedule, source: ScheduleSource, at: number): string {
  return `${schedule.metadata.name}-${source.kind === 'VirtualMachine' ? 'vm' : 'vol'}-${source.name}-${stamp(at)}`;
}

export function desiredSnapshot(schedule: SnapshotSchedule, source: ScheduleSource, at: number, scheduledAt: string): Snapshot {
  return {
    apiVersion: 'stratus.dev/v1alpha1',
    kind: 'Snapshot',
    metadata: {
      name: snapshotName(schedule, source, at),
      namespace: schedule.metadata.namespace,
      labels: { ...managedBy, [labelKeys.snapshotSchedule]: scheduleLabel(schedule) },
      annotations: { [scheduledAtAnnotation]: scheduledAt },
    },
    spec: { source: source.kind === 'VirtualMachine' ? { virtualMachine: source.name } : { volume: source.name }, deletionPolicy: schedule.spec.deletionPolicy },
  };
}
