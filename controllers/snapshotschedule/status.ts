// A SnapshotSchedule's status: when it ran and runs next, what it took and
// keeps, and whether the newest snapshot of each source is good.
import type { Snapshot, SnapshotSchedule, SnapshotScheduleStatus } from '../../pkg/api/types.generated.js';
import { summarize, type Summary } from '../../pkg/runtime/conditions/conditions.js';
import { firstProblem, problemSummary, Stuck, type Problem } from '../shared/problems.js';
import type { ScheduleSource } from './desired.js';

export interface ScheduleObservation {
  problems: Problem[];
  sources: ScheduleSource[];
  missing: string[];
  /** Its Snapshots that stay, with their scheduled times. */
  kept: { snapshot: Snapshot; scheduledAt: string }[];
  lastScheduleTime?: string;
  nextScheduleTime?: string;
  now: number;
}

function sourceOf(s: Snapshot): string {
  return s.spec.source.virtualMachine ? `VirtualMachine/${s.spec.source.virtualMachine}` : `Volume/${s.spec.source.volume}`;
}

export function scheduleStatus(schedule: SnapshotSchedule, o: ScheduleObservation): SnapshotScheduleStatus {
  // The newest snapshot of each source tells whether the schedule works.
  const newest = new Map<string, { snapshot: Snapshot; scheduledAt: string }>();
  for (const k of o.kept) {
    const source = sourceOf(k.snapshot);
    if (!newest.has(source) || newest.get(source)!.scheduledAt < k.scheduledAt) newest.set(source, k);
  }
  const failed = [...newest.values()].filter((k) => k.snapshot.status?.phase === 'Failed');
  const problem = firstProblem(o.problems);
  const next = o.nextScheduleTime ? `next run at ${o.nextScheduleTime}` : 'no next run';
  const absent = o.missing.length ? `; not snapshotted: ${o.missing.join(', ')}` : '';
  let summary: Summary;
  if (problem) summary = problemSummary(problem);
  else if (failed.length) {
    const f = failed[0]!.snapshot;
    summary = { state: 'stalled', reason: Stuck.SnapshotFailed, message: `Snapshot ${f.metadata.name} of ${sourceOf(f)} failed: ${f.status?.conditions?.find((c) => c.type === 'Stalled')?.message ?? 'see the Snapshot'}` };
  } else if (schedule.spec.suspend) summary = { state: 'ready', reason: 'Suspended', message: `suspended; ${o.kept.length} snapshots kept${absent}` };
  else {
    const what = o.sources.length ? `${o.sources.length} sources` : 'nothing matches its sources yet';
    summary = { state: 'ready', reason: 'Scheduled', message: `${next}; ${what}; ${o.kept.length} snapshots kept${absent}` };
  }
  const readyTimes = o.kept.filter((k) => k.snapshot.status?.readyToUse).map((k) => k.scheduledAt).sort();
  const status: SnapshotScheduleStatus = {
    observedGeneration: schedule.metadata.generation,
    conditions: summarize(schedule.status?.conditions, summary, schedule.metadata.generation, o.now),
    snapshots: o.kept.length,
  };
  if (o.lastScheduleTime) status.lastScheduleTime = o.lastScheduleTime;
  if (o.nextScheduleTime) status.nextScheduleTime = o.nextScheduleTime;
  if (readyTimes.length) status.lastSuccessfulTime = readyTimes.at(-1)!;
  if (o.sources.length) status.sources = o.sources.slice(0, 100).map((s) => `${s.kind}/${s.name}`);
  return status;
}
