// A Volume's status from what is observed: its claim, its DataVolume, its
// users and anything that blocks it.
import type { Volume, VolumeStatus, VolumeUser } from '../../pkg/api/types.generated.js';
import type { PersistentVolumeClaim } from '../../pkg/kube/core-types.js';
import { parseQuantity } from '../../pkg/kube/quantity.js';
import { summarize, type Summary } from '../../pkg/runtime/conditions/conditions.js';
import { firstProblem, problemSummary, Stuck, Waiting, type Problem } from '../shared/problems.js';
import { describeUsers, listedUsers } from '../shared/users.js';
import type { DataVolume } from '../../pkg/contracts/cdi/index.js';

export interface VolumeObservation {
  claim?: PersistentVolumeClaim;
  dataVolume?: DataVolume;
  users: VolumeUser[];
  /** What it waits for (a clone's source) or what blocks it (a name clash). */
  problems: Problem[];
  /** Whether the StorageClass allows expansion (undefined: unknown). */
  expandable?: boolean;
  /** The claim's StorageClass, when it binds a claim only once a pod using it is scheduled (WaitForFirstConsumer). */
  delayedBinding?: string;
  /** A Restore in place putting the claim back. */
  restoring?: string;
  deleting: boolean;
  now: number;
}

type Phase = NonNullable<VolumeStatus['phase']>;

function importFailure(dv: DataVolume | undefined): string | undefined {
  if (!dv?.status) return undefined;
  const running = dv.status.conditions?.find((c) => c.type === 'Running');
  if (dv.status.phase === 'Failed') return running?.message || 'the import failed';
  if ((dv.status.restartCount ?? 0) > 0 && running?.status === 'False' && running.reason === 'Error') {
    return `${running.message} (retried ${dv.status.restartCount} times)`;
  }
  return undefined;
}

function assess(volume: Volume, o: VolumeObservation): { phase: Phase; summary: Summary } {
  const name = volume.metadata.name;
  const inUse = o.users.length > 0;
  const usedBy = describeUsers(o.users);
  if (o.deleting && inUse) {
    return { phase: 'InUse', summary: { state: 'progressing', reason: Waiting.DeletionBlocked, message: `deletion waits until nothing uses the Volume; used by ${usedBy}` } };
  }
  const problem = firstProblem(o.problems);
  if (problem) return { phase: problem.stuck ? 'Failed' : 'Pending', summary: problemSummary(problem) };
  if (o.restoring) return { phase: 'Restoring', summary: { state: 'progressing', reason: 'Restoring', message: `Restore ${o.restoring} is bringing back the Volume's data from a Snapshot` } };
  const failure = importFailure(o.dataVolume);
  if (failure) return { phase: 'Failed', summary: { state: 'stalled', reason: Stuck.ImportFailed, message: failure } };
  const dvPhase = o.dataVolume?.status?.phase;
  // Usable now: the first VM or App that runs with it gets it bound (its pod's node chosen first).
  // Waiting for it here would wait forever, as nothing else ever uses the claim.
  // CDI says so of a DataVolume (honorWaitForFirstConsumer); a plain claim's StorageClass says so.
  const waitsForConsumer = o.dataVolume ? dvPhase === 'WaitForFirstConsumer' : !!o.delayedBinding && !!o.claim && o.claim.status?.phase !== 'Bound';
  if (waitsForConsumer) {
    const binds = `the claim binds when ${inUse ? 'the first of them' : 'its first user'} is scheduled (StorageClass ${o.delayedBinding ?? o.claim?.spec.storageClassName ?? ''}: WaitForFirstConsumer)`;
    return inUse
      ? { phase: 'InUse', summary: { state: 'ready', reason: 'WaitingForFirstConsumer', message: `used by ${usedBy}; ${binds}` } }
      : { phase: 'Available', summary: { state: 'ready', reason: 'WaitingForFirstConsumer', message: binds } };
  }
  if (o.dataVolume && dvPhase !== 'Succeeded') {
    if (dvPhase && /^(Import|Clone|CSIClone|SmartClone|Upload)/.test(dvPhase)) {
      const progress = o.dataVolume.status?.progress;
      return {
        phase: 'Importing',
        summary: { state: 'progressing', reason: 'Importing', message: `${dvPhase}${progress && progress !== 'N/A' ? ` (${progress})` : ''}` },
      };
    }
    return { phase: 'Pending', summary: { state: 'progressing', reason: 'Provisioning', message: `waiting for the DataVolume (phase ${dvPhase ?? 'unknown'})` } };
  }
  if (!o.claim || o.claim.status?.phase !== 'Bound') {
    return { phase: 'Pending', summary: { state: 'progressing', reason: 'Provisioning', message: `waiting for claim ${name} to be bound` } };
  }
  const capacity = o.claim.status.capacity?.storage;
  if (capacity && parseQuantity(capacity) < parseQuantity(volume.spec.size)) {
    if (o.expandable === false) {
      return {
        phase: 'Failed',
        summary: { state: 'stalled', reason: 'ExpansionNotSupported', message: `the StorageClass does not allow expansion; the claim stays at ${capacity}` },
      };
    }
    return { phase: 'Resizing', summary: { state: 'progressing', reason: 'Resizing', message: `growing from ${capacity} to ${String(volume.spec.size)}` } };
  }
  return inUse
    ? { phase: 'InUse', summary: { state: 'ready', reason: 'InUse', message: `used by ${usedBy}` } }
    : { phase: 'Available', summary: { state: 'ready', reason: 'Available', message: `claim ${name} is bound (${capacity ?? 'capacity unknown'})` } };
}

export function volumeStatus(volume: Volume, o: VolumeObservation): VolumeStatus {
  const { phase, summary } = assess(volume, o);
  const status: VolumeStatus = {
    observedGeneration: volume.metadata.generation,
    conditions: summarize(volume.status?.conditions, summary, volume.metadata.generation, o.now),
    phase,
    claimName: o.claim?.metadata.name ?? volume.metadata.name!,
  };
  if (o.users.length) {
    status.usedBy = listedUsers(o.users);
    status.userCount = o.users.length;
  }
  const capacity = o.claim?.status?.capacity?.storage;
  if (capacity) status.capacity = capacity;
  const progress = o.dataVolume?.status?.progress;
  if (progress) status.progress = progress;
  const restarts = o.dataVolume?.status?.restartCount;
  if (restarts) status.restarts = restarts;
  return status;
}
