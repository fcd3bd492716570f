// Status conditions, with the HPA's set-in-place semantics.

import type { ConditionStatus } from './types.js';

export type ConditionType = 'AbleToScale' | 'ScalingActive' | 'ScalingLimited' | 'Active' | 'Fallback' | (string & {});

export interface ScalerCondition {
  type: ConditionType;
  status: ConditionStatus;
  reason: string;
  message: string;
}

export interface StoredCondition extends ScalerCondition {
  /** Milliseconds since the epoch. */
  lastTransitionTime: number;
}

/**
 * The conditions one evaluation sets, in first-set order; setting a type
 * again overwrites it, as the HPA does within one reconcile.
 */
export class ConditionSet {
  readonly #byType = new Map<string, ScalerCondition>();

  set(type: ConditionType, status: ConditionStatus, reason: string, message: string): this {
    this.#byType.set(type, { type, status, reason, message });
    return this;
  }

  get(type: ConditionType): ScalerCondition | undefined {
    return this.#byType.get(type);
  }

  delete(type: ConditionType): void {
    this.#byType.delete(type);
  }

  toArray(): ScalerCondition[] {
    return [...this.#byType.values()].map((c) => ({ ...c }));
  }

  static from(conditions: readonly ScalerCondition[]): ConditionSet {
    const set = new ConditionSet();
    for (const c of conditions) set.set(c.type, c.status, c.reason, c.message);
    return set;
  }
}

/**
 * Applies an evaluation's conditions onto the stored ones like the HPA's
 * setConditionInList: existing types keep their position and only get a new
 * lastTransitionTime when the status changes; types not set this time stay.
 */
export function mergeConditions(
  existing: readonly StoredCondition[],
  updates: readonly ScalerCondition[],
  now: number,
): StoredCondition[] {
  const result = existing.map((c) => ({ ...c }));
  for (const u of updates) {
    const current = result.find((c) => c.type === u.type);
    if (!current) {
      result.push({ ...u, lastTransitionTime: now });
      continue;
    }
    if (current.status !== u.status) current.lastTransitionTime = now;
    current.status = u.status;
    current.reason = u.reason;
    current.message = u.message;
  }
  return result;
}
