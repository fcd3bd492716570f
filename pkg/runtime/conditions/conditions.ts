// metav1.Condition bookkeeping, with the API's rules: one condition per type,
// lastTransitionTime moves only when the status flips, reasons are CamelCase,
// observedGeneration says which spec the condition speaks about. Plus the
// kstatus convention tools such as Flux and Argo CD read: `Ready` summarises,
// `Reconciling` and `Stalled` exist only while true.
import type { Condition } from '../../meta/object.js';

export type ConditionStatus = Condition['status'];

export interface ConditionInput {
  type: string;
  status: ConditionStatus | boolean;
  reason: string;
  message?: string;
}

/** metav1.Condition's reason pattern. */
const reasonPattern = /^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$/;
const maxMessageLength = 32768;

export const Ready = 'Ready';
export const Reconciling = 'Reconciling';
export const Stalled = 'Stalled';

function toStatus(s: ConditionStatus | boolean): ConditionStatus {
  return s === true ? 'True' : s === false ? 'False' : s;
}

/** RFC 3339 with seconds, as metav1.Time serialises. */
export function conditionTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

export function findCondition(conditions: readonly Condition[] | undefined, type: string): Condition | undefined {
  return conditions?.find((c) => c.type === type);
}

export function isTrue(conditions: readonly Condition[] | undefined, type: string): boolean {
  return findCondition(conditions, type)?.status === 'True';
}

/**
 * Returns the conditions with `input` set: a new entry, or the existing one
 * updated (keeping lastTransitionTime unless the status changed). The input
 * list is never modified.
 */
export function setCondition(
  conditions: readonly Condition[] | undefined,
  input: ConditionInput,
  observedGeneration: number | undefined,
  now: number = Date.now(),
): Condition[] {
  if (!reasonPattern.test(input.reason)) {
    throw new Error(`condition ${input.type}: reason "${input.reason}" is not CamelCase (want ${reasonPattern})`);
  }
  const status = toStatus(input.status);
  const existing = findCondition(conditions, input.type);
  const next: Condition = {
    type: input.type,
    status,
    reason: input.reason,
    message: (input.message ?? '').slice(0, maxMessageLength),
    lastTransitionTime: existing && existing.status === status ? existing.lastTransitionTime : conditionTime(now),
  };
  if (observedGeneration !== undefined) next.observedGeneration = observedGeneration;
  const rest = (conditions ?? []).filter((c) => c.type !== input.type);
  return sortConditions([...rest, next]);
}

export function removeCondition(conditions: readonly Condition[] | undefined, type: string): Condition[] {
  return (conditions ?? []).filter((c) => c.type !== type);
}

/** Ready first, then the kstatus pair, then the rest by name: a stable order means no spurious status writes. */
export function sortConditions(conditions: Condition[]): Condition[] {
  const rank = (t: string): number => (t === Ready ? 0 : t === Reconciling ? 1 : t === Stalled ? 2 : 3);
  return conditions.sort((a, b) => rank(a.type) - rank(b.type) || a.type.localeCompare(b.type));
}

/** The kstatus summary of an object's state. */
export type Summary =
  | { state: 'ready'; reason: string; message: string }
  | { state: 'progressing'; reason: string; message: string }
  | { state: 'stalled'; reason: string; message: string };

/**
 * Sets Ready / Reconciling / Stalled from one summary: Ready is True only when
 * ready; Reconciling exists only while progressing; Stalled only while stalled.
 */
export function summarize(
  conditions: readonly Condition[] | undefined,
  summary: Summary,
  generation: number | undefined,
  now: number = Date.now(),
): Condition[] {
  let next = setCondition(conditions, { type: Ready, status: summary.state === 'ready', reason: summary.reason, message: summary.message }, generation, now);
  next =
    summary.state === 'progressing'
      ? setCondition(next, { type: Reconciling, status: 'True', reason: summary.reason, message: summary.message }, generation, now)
      : removeCondition(next, Reconciling);
  next =
    summary.state === 'stalled'
      ? setCondition(next, { type: Stalled, status: 'True', reason: summary.reason, message: summary.message }, generation, now)
      : removeCondition(next, Stalled);
  return next;
}
