// When a status change is worth writing now (pure). What waits is the
// progress of an object that is not Ready and stays so: a burst of
// intermediate observations (Pending, Provisioning, Starting, … within a
// second or two) becomes one write of the latest, instead of one per step
// that the next one overtakes. A new step — another phase, or a condition's
// reason or message: what `kubectl get`, kstatus and Argo CD show — waits a
// moment; a detail within the same step (an address, a count) waits longer,
// and is usually overtaken by the next step.
//
// Written at once: anything about an object that is or becomes Ready, an
// object becoming Stalled, and the first status of an object that has none
// at all (kstatus reads that as current). Stratus's kinds default their
// status to `observedGeneration: 0` (pkg/api/crd.ts), which reads as in
// progress, so their first progress report may wait too.
import type { Condition } from '../../meta/object.js';

export type SettleDecision = { write: true } | { write: false; waitMs: number };

export interface SettleTimes {
  /** How long a new step may wait. */
  stepMs: number;
  /** How long a detail of the same step may wait. */
  detailMs: number;
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
  if (status(previous, 'Ready') === 'True' || status(next, 'Ready') === 'True') return true;
  return status(next, 'Stalled') === 'True' && status(previous, 'Stalled') !== 'True';
}

/** The step an object is at: its phase and each condition's type, status, reason and message. */
function step(s: Reported | undefined): string {
  return JSON.stringify([s?.phase, (s?.conditions ?? []).map((c) => [c.type, c.status, c.reason, c.message])]);
}

/**
 * `waitingSince`: when a change of this object first waited to be written
 * (undefined: none waits). Urgent changes, and changes that waited long
 * enough, are written; others wait out the rest of their time.
 */
export function settle(previous: Reported | undefined, next: Reported, waitingSince: number | undefined, now: number, times: SettleTimes): SettleDecision {
  if (isUrgent(previous, next)) return { write: true };
  const allowed = step(previous) === step(next) ? times.detailMs : times.stepMs;
  const waited = now - (waitingSince ?? now);
  return waited >= allowed ? { write: true } : { write: false, waitMs: allowed - waited };
}
