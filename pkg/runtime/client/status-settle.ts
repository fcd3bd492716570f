// When a status change is worth writing now (pure). What waits is the
// progress of an object that is not Ready and stays so: a burst of
// intermediate observations (Pending, Provisioning, Starting, … within a
// second or two) becomes one write of the latest, instead of one per step
// that the next one overtakes. A new step — another phase, or a condition's
// reason or message: what `kubectl get`, kstatus and Argo CD show — waits a
// moment; a detail within the same step (an address, a count) waits longer,
// and is usually overtaken by the next step. And an object still in
// progress is reported on at most once per progress time: under load each
// step lasts longer than the step time, and a VM would otherwise write
// Pending, WaitingForVolumeBinding, Starting and Running on its way to Ready.
//
// Written at once: Ready flipping either way, an object becoming Stalled, a
// new observedGeneration of a Ready object (a user waiting for their change
// to be seen), and the first status of an object that has none at all
// (kstatus reads that as current). Stratus's kinds default their status to
// `observedGeneration: 0` (pkg/api/crd.ts), which reads as in progress, so
// their first progress report may wait too. What else changes about an
// object that stays Ready (its users, an address, LiveMigratable arriving
// just after it) waits the step time: a trickle of such news, one object
// after another joining a Network say, becomes one write.
import type { Condition } from '../../meta/object.js';

export type SettleDecision = { write: true } | { write: false; waitMs: number };

export interface SettleTimes {
  /** How long a new step may wait. */
  stepMs: number;
  /** How long a detail of the same step may wait. */
  detailMs: number;
  /** The least time between two reports of an object that stays in progress. */
  progressMs: number;
}

interface Reported {
  observedGeneration?: number;
  phase?: string;
  conditions?: readonly Condition[];
}

function status(s: Reported | undefined, type: string): string | undefined {
  return s?.conditions?.find((c) => c.type === type)?.status;
}

/** Whether readers must see this change at once. */
function isUrgent(previous: Reported | undefined, next: Reported): boolean {
  if (previous === undefined) return true;
  const wasReady = status(previous, 'Ready') === 'True';
  if (wasReady !== (status(next, 'Ready') === 'True')) return true;
  if (wasReady && previous.observedGeneration !== next.observedGeneration) return true;
  return status(next, 'Stalled') === 'True' && status(previous, 'Stalled') !== 'True';
}

/** The step an object is at: its phase and each condition's type, status, reason and message. */
function step(s: Reported | undefined): string {
  return JSON.stringify([s?.phase, (s?.conditions ?? []).map((c) => [c.type, c.status, c.reason, c.message])]);
}

/**
 * `waitingSince`: when a change of this object first waited to be written
 * (undefined: none waits); `reportedAt`: when its status was last written
 * while in progress (undefined: not since it last was Ready, or not known).
 * Urgent changes, and changes that waited long enough, are written; others
 * wait out the rest of their time.
 */
export function settle(previous: Reported | undefined, next: Reported, waitingSince: number | undefined, now: number, times: SettleTimes, reportedAt?: number): SettleDecision {
  if (isUrgent(previous, next)) return { write: true };
  const inProgress = status(next, 'Ready') !== 'True';
  const allowed = step(previous) === step(next) && inProgress ? times.detailMs : times.stepMs;
  const waitMs = Math.max(allowed - (now - (waitingSince ?? now)), inProgress && reportedAt !== undefined ? reportedAt + times.progressMs - now : 0);
  return waitMs <= 0 ? { write: true } : { write: false, waitMs };
}

/** Whether a written status is a report of progress, which the next one must not follow too closely. */
export function isProgress(s: Reported): boolean {
  return status(s, 'Ready') !== 'True' && status(s, 'Stalled') !== 'True';
}
