// A Snapshot's status from what KubeVirt (a VM's snapshot) or the CSI
// snapshotter (a Volume's) reports, what it waits for, and who keeps it from
// being deleted.
import type { Snapshot, SnapshotStatus, SnapshotVolumeStatus } from '../../pkg/api/types.generated.js';
import type { VolumeSnapshot } from '../../pkg/contracts/csi-snapshot/index.js';
import { snapshotIndications, type VirtualMachineSnapshot, type VirtualMachineSnapshotContent } from '../../pkg/contracts/kubevirt/index.js';
import { formatBytes, parseQuantity } from '../../pkg/kube/quantity.js';
import { summarize, type Summary } from '../../pkg/runtime/conditions/conditions.js';
import { describeUsers, type User } from '../shared/users.js';
import { firstProblem, problemSummary, Stuck, Waiting, type Problem } from '../shared/problems.js';
import { consistencyAnnotation } from './desired.js';
import type { SourceRecord } from './source-record.js';

type Phase = NonNullable<SnapshotStatus['phase']>;
type Consistency = NonNullable<SnapshotStatus['consistency']>;

export interface SnapshotObservation {
  /** What it waits for before its KubeVirt or CSI snapshot can be made, or what keeps it from being made. */
  problems: Problem[];
  /** While deleted: the Restores and Volumes restoring from it, which hold the deletion. */
  users?: User[];
  vmSnapshot?: VirtualMachineSnapshot;
  content?: VirtualMachineSnapshotContent;
  /** The VolumeSnapshots of the VM's disks, or the Volume's, by name. */
  volumeSnapshots: Map<string, VolumeSnapshot>;
  record?: SourceRecord;
  now: number;
}

interface View {
  phase: Phase;
  readyToUse: boolean;
  creationTime?: string;
  consistency?: Consistency;
  indications?: string[];
  volumes: SnapshotVolumeStatus[];
  excludedDisks?: string[];
  /** Why KubeVirt or the CSI driver failed it, in their words. */
  error?: string;
  progress: string;
}

function restoreSize(vs: VolumeSnapshot | undefined): number | undefined {
  const size = vs?.status?.restoreSize;
  return size === undefined ? undefined : parseQuantity(String(size));
}

function consistencyOf(indications: string[] | undefined): Consistency {
  const has = (i: string) => !!indications?.includes(i);
  if (!has(snapshotIndications.online)) return 'Offline';
  return has(snapshotIndications.guestAgent) && !has(snapshotIndications.quiesceTimeout) && !has(snapshotIndications.paused) ? 'Application' : 'Crash';
}

function vmView(o: SnapshotObservation): View {
  const child = o.vmSnapshot;
  if (!child) return { phase: 'Pending', readyToUse: false, volumes: [], progress: 'making the KubeVirt VirtualMachineSnapshot' };
  const st = child.status;
  const readyToUse = st?.readyToUse === true;
  const vm = o.record?.virtualMachine;
  const diskVolume = new Map<string, string | undefined>([['rootdisk', vm?.rootDisk.volume], ...(vm?.disks ?? []).map((d) => [d.name, d.volume] as [string, string | undefined])]);
  const ready = new Map((o.content?.status?.volumeSnapshotStatus ?? []).map((s) => [s.volumeSnapshotName, s.readyToUse === true]));
  const volumes = (o.content?.spec.volumeBackups ?? []).map((b): SnapshotVolumeStatus => {
    const size = restoreSize(o.volumeSnapshots.get(b.volumeSnapshotName ?? ''));
    const volume = diskVolume.get(b.volumeName);
    return {
      name: b.volumeName,
      ...(volume ? { volume } : {}),
      ...(b.persistentVolumeClaim.metadata?.name ? { claimName: b.persistentVolumeClaim.metadata.name } : {}),
      ...(b.volumeSnapshotName ? { volumeSnapshot: b.volumeSnapshotName } : {}),
      ...(size !== undefined ? { size: formatBytes(size) } : {}),
      readyToUse: ready.get(b.volumeSnapshotName ?? '') === true,
    };
  });
  const failure = st?.conditions?.find((c) => c.type === 'Failure' && c.status === 'True')?.reason;
  const error = st?.phase === 'Failed' ? [failure ?? 'failed', st.error?.message].filter(Boolean).join(': ') : !readyToUse && st?.error?.message ? st.error.message : undefined;
  const done = st?.phase === 'Succeeded' || readyToUse;
  return {
    phase: st?.phase === 'Failed' || error ? 'Failed' : done ? 'Succeeded' : 'InProgress',
    readyToUse,
    ...(st?.creationTime ? { creationTime: st.creationTime } : {}),
    ...(done ? { consistency: consistencyOf(st?.indications) } : {}),
    ...(st?.indications?.length ? { indications: st.indications } : {}),
    volumes,
    ...(st?.snapshotVolumes?.excludedVolumes?.length ? { excludedDisks: st.snapshotVolumes.excludedVolumes } : {}),
    ...(error ? { error: `KubeVirt: ${error}` } : {}),
    progress: st?.conditions?.find((c) => c.type === 'Progressing')?.reason || `KubeVirt reports ${st?.phase ?? 'no status yet'}`,
  };
}

function volumeView(snapshot: Snapshot, o: SnapshotObservation): View {
  const child = o.volumeSnapshots.get(snapshot.metadata.name!);
  if (!child) return { phase: 'Pending', readyToUse: false, volumes: [], progress: 'making the CSI VolumeSnapshot' };
  const st = child.status;
  const readyToUse = st?.readyToUse === true;
  const size = restoreSize(child);
  const volume = snapshot.spec.source.volume!;
  const error = !readyToUse && st?.error?.message ? `VolumeSnapshot ${child.metadata.name}: ${st.error.message}` : undefined;
  const consistency = child.metadata.annotations?.[consistencyAnnotation];
  return {
    phase: error ? 'Failed' : readyToUse ? 'Succeeded' : 'InProgress',
    readyToUse,
    ...(st?.creationTime ? { creationTime: st.creationTime } : {}),
    ...(consistency === 'Crash' || consistency === 'Offline' ? { consistency } : {}),
    volumes: [
      {
        name: volume,
        volume,
        ...(child.spec.source.persistentVolumeClaimName ? { claimName: child.spec.source.persistentVolumeClaimName } : {}),
        volumeSnapshot: child.metadata.name!,
        ...(size !== undefined ? { size: formatBytes(size) } : {}),
        readyToUse,
      },
    ],
    ...(error ? { error } : {}),
    progress: st?.creationTime ? `cut at ${st.creationTime}; the driver is making it ready` : 'waiting for the CSI driver to cut it',
  };
}

function readyMessage(view: View, size: string | undefined): string {
  const disks = view.volumes.length === 1 ? '1 disk' : `${view.volumes.length} disks`;
  const how = { Application: 'application-consistent (the guest agent froze the filesystems)', Crash: 'crash-consistent (taken while in use, without a freeze)', Offline: 'taken while nothing ran on it' };
  return `ready to restore: ${disks}${size ? `, ${size}` : ''}${view.consistency ? `, ${how[view.consistency]}` : ''}`;
}

export function snapshotStatus(snapshot: Snapshot, o: SnapshotObservation): SnapshotStatus {
  const view = snapshot.spec.source.virtualMachine ? vmView(o) : volumeView(snapshot, o);
  const bytes = view.volumes.reduce((n, v) => n + (v.size ? parseQuantity(v.size) : 0), 0);
  const size = bytes > 0 ? formatBytes(bytes) : undefined;
  const problem = firstProblem(o.problems);
  let summary: Summary;
  let phase = view.phase;
  if (o.users?.length) {
    summary = { state: 'progressing', reason: Waiting.DeletionBlocked, message: `deletion waits until nothing restores from the Snapshot; in use by ${describeUsers(o.users)}` };
  } else if (problem && !view.readyToUse) {
    summary = problemSummary(problem);
    phase = problem.stuck ? 'Failed' : 'Pending';
  } else if (view.error) summary = { state: 'stalled', reason: Stuck.SnapshotFailed, message: view.error };
  else if (view.readyToUse) summary = { state: 'ready', reason: 'Ready', message: readyMessage(view, size) };
  else summary = { state: 'progressing', reason: view.phase === 'Pending' ? 'Pending' : 'InProgress', message: view.progress };
  const status: SnapshotStatus = {
    observedGeneration: snapshot.metadata.generation,
    conditions: summarize(snapshot.status?.conditions, summary, snapshot.metadata.generation, o.now),
    phase,
    readyToUse: view.readyToUse,
  };
  if (view.creationTime) status.creationTime = view.creationTime;
  if (size) status.size = size;
  if (view.consistency) status.consistency = view.consistency;
  if (view.indications) status.indications = view.indications;
  if (view.volumes.length) status.volumes = view.volumes;
  if (view.excludedDisks) status.excludedDisks = view.excludedDisks;
  if (o.record?.uid) status.sourceUID = o.record.uid;
  return status;
}
