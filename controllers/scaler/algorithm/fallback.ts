// Fallback: after `failureThreshold` consecutive evaluations in which every
// metric failed, run a fixed number of replicas until a metric works again.

import type { ScalerCondition } from './conditions.js';

export interface FallbackSpec {
  failureThreshold: number;
  replicas: number;
}

export const FallbackReasons = Object.freeze({
  FallbackActive: 'FallbackActive',
  FallbackNotActive: 'FallbackNotActive',
});

/** What an evaluation tells about the metrics. 'skipped' (paused, disabled, …) leaves the count alone. */
export type MetricsOutcome = 'allFailed' | 'someSucceeded' | 'skipped';

export function nextFailureCount(previous: number, outcome: MetricsOutcome): number {
  if (outcome === 'allFailed') return previous + 1;
  if (outcome === 'someSucceeded') return 0;
  return previous;
}

export interface FallbackDecision {
  active: boolean;
  /** The fallback count, kept within [minReplicas, maxReplicas]. */
  replicas?: number;
  condition: ScalerCondition;
}

export function decideFallback(
  spec: FallbackSpec,
  failures: number,
  minReplicas: number,
  maxReplicas: number,
): FallbackDecision {
  if (failures >= spec.failureThreshold) {
    const replicas = Math.max(minReplicas, Math.min(spec.replicas, maxReplicas));
    return {
      active: true,
      replicas,
      condition: {
        type: 'Fallback',
        status: 'True',
        reason: FallbackReasons.FallbackActive,
        // Not the running count: it grows on every evaluation, and the message would with it.
        message: `every metric failed in ${spec.failureThreshold} or more evaluations in a row; using ${replicas} fallback replicas`,
      },
    };
  }
  return {
    active: false,
    condition: {
      type: 'Fallback',
      status: 'False',
      reason: FallbackReasons.FallbackNotActive,
      message:
        failures === 0
          ? 'metrics are available; fallback is not active'
          : `all metrics failed in ${failures} of ${spec.failureThreshold} consecutive evaluations needed for fallback`,
    },
  };
}
