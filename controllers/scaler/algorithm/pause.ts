// Pausing autoscaling: hold the current count, or pin a fixed one
// (like KEDA's paused / paused-replicas annotations).

import type { ScalerCondition } from './conditions.js';

export type PauseSpec = { mode: 'HoldCurrent' } | { replicas: number };

export const PauseReasons = Object.freeze({ ScalingPaused: 'ScalingPaused' });

export interface PauseDecision {
  desiredReplicas: number;
  condition: ScalerCondition;
}

/** Pinned counts are not clamped to min/max: pausing is an explicit override. */
export function decidePause(pause: PauseSpec, currentReplicas: number): PauseDecision {
  if ('replicas' in pause) {
    return {
      desiredReplicas: pause.replicas,
      condition: {
        type: 'AbleToScale',
        status: 'False',
        reason: PauseReasons.ScalingPaused,
        message: `autoscaling is paused; replicas are pinned to ${pause.replicas}`,
      },
    };
  }
  return {
    desiredReplicas: currentReplicas,
    condition: {
      type: 'AbleToScale',
      status: 'False',
      reason: PauseReasons.ScalingPaused,
      message: `autoscaling is paused; holding the current ${currentReplicas} replicas`,
    },
  };
}
