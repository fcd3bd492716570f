// A Restore's status from how far it got: waiting for its Snapshot or for
// the VM to be stopped, stopping it, KubeVirt restoring (or Stratus making
// the new VM's Volumes), done, or failed in KubeVirt's words.
import type { Restore, RestoredVolume, RestoreStatus } from '../../pkg/api/types.generated.js';
import { summarize, type Summary } from '../../pkg/runtime/conditions/conditions.js';
import { firstProblem, problemSummary, Stuck, type Problem } from '../shared/problems.js';

export type RestoreProgress =
  | { phase: 'Stopping' | 'Restoring'; message: string }
  | { phase: 'Succeeded'; message: string; restoreTime: string }
  | { phase: 'Failed'; message: string };

export interface RestoreObservation {
  problems: Problem[];
  progress?: RestoreProgress;
  virtualMachine?: string;
  volumes: RestoredVolume[];
  now: number;
}

/** Done for good: restored, or failed by KubeVirt (a Restore cannot change; a new one may try again). */
export function restoreFinished(restore: Restore): boolean {
  const stalled = restore.status?.conditions?.find((c) => c.type === 'Stalled');
  return restore.status?.phase === 'Succeeded' || (restore.status?.phase === 'Failed' && stalled?.reason === Stuck.RestoreFailed);
}

export function restoreStatus(restore: Restore, o: RestoreObservation): RestoreStatus {
  const problem = firstProblem(o.problems);
  let phase: NonNullable<RestoreStatus['phase']>;
  let summary: Summary;
  if (problem) {
    phase = problem.stuck ? 'Failed' : 'Pending';
    summary = problemSummary(problem);
  } else if (!o.progress) {
    phase = 'Pending';
    summary = { state: 'progressing', reason: 'Pending', message: 'starting' };
  } else {
    phase = o.progress.phase;
    summary =
      o.progress.phase === 'Succeeded'
        ? { state: 'ready', reason: 'Restored', message: o.progress.message }
        : o.progress.phase === 'Failed'
          ? { state: 'stalled', reason: Stuck.RestoreFailed, message: o.progress.message }
          : { state: 'progressing', reason: o.progress.phase, message: o.progress.message };
  }
  const status: RestoreStatus = {
    observedGeneration: restore.metadata.generation,
    conditions: summarize(restore.status?.conditions, summary, restore.metadata.generation, o.now),
    phase,
  };
  if (o.virtualMachine) status.virtualMachine = o.virtualMachine;
  if (o.volumes.length) status.volumes = o.volumes;
  if (o.progress?.phase === 'Succeeded') status.restoreTime = o.progress.restoreTime;
  return status;
}
