// Status conditions, with the HPA's set-in-place semantics.

import type { ConditionStatus } from './types.js';

export type ConditionType = 'AbleToScale' | 'ScalingActive' | 'ScalingLimited' | 'Active' | 'Fallback' | (string & {});

export interface ScalerCondition {
  type: ConditionType;
  status: ConditionStatus;
  reason: string;
  message: string;
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

  toArray(): ScalerCondition[] {
    return [...this.#byType.values()].map((c) => ({ ...c }));
  }
}
