// Scale to zero and back, KEDA-style. With minReplicas 0:
// - at zero replicas only activation is evaluated: a metric above its
//   activationThreshold brings the target to 1 replica (as KEDA does; the HPA
//   core takes over from there on the next evaluation), or to the scheduled
//   minimum when a schedule is active;
// - above zero the HPA core runs with a floor of 1, so N → 1 follows the
//   behavior as usual, and only the 1 → 0 step waits for cooldownPeriodSeconds
//   without activity.

import type { Activation } from './activation.js';
import type { ScalerCondition } from './conditions.js';

export const DEFAULT_COOLDOWN_PERIOD_SECONDS = 300;

export const ZeroReasons = Object.freeze({
  ScalerActive: 'ScalerActive',
  ScalerNotActive: 'ScalerNotActive',
  ActivityUnknown: 'ActivityUnknown',
  ScaleFromZero: 'ScaleFromZero',
  ScheduledMinimum: 'ScheduledMinimum',
  ScaledToZero: 'ScaledToZero',
  ScaleToZero: 'ScaleToZero',
});

/** The `Active` condition (named after KEDA's). */
export function activeCondition(a: Activation): ScalerCondition {
  switch (a.state) {
    case 'active':
      return {
        type: 'Active',
        status: 'True',
        reason: ZeroReasons.ScalerActive,
        message: `above activation threshold: ${a.activeMetrics.join(', ')}`,
      };
    case 'inactive':
      return {
        type: 'Active',
        status: 'False',
        reason: ZeroReasons.ScalerNotActive,
        message: 'no metric is above its activation threshold',
      };
    case 'unknown':
      return {
        type: 'Active',
        status: 'Unknown',
        reason: ZeroReasons.ActivityUnknown,
        message: 'every metric that can activate failed',
      };
    default:
      return {
        type: 'Active',
        status: 'Unknown',
        reason: ZeroReasons.ActivityUnknown,
        message: 'no metric can activate (only Resource metrics); scaling to zero is off',
      };
  }
}

export interface ZeroDecision {
  desiredReplicas: number;
  condition: ScalerCondition;
}

/** At zero replicas: wake up for a schedule or an active metric, else stay. */
export function decideAtZero(activation: Activation, effectiveMinReplicas: number): ZeroDecision {
  if (effectiveMinReplicas > 0) {
    return {
      desiredReplicas: effectiveMinReplicas,
      condition: {
        type: 'AbleToScale',
        status: 'True',
        reason: ZeroReasons.ScheduledMinimum,
        message: `a schedule raises the minimum to ${effectiveMinReplicas}; scaling from zero`,
      },
    };
  }
  if (activation.state === 'active') {
    return {
      desiredReplicas: 1,
      condition: {
        type: 'AbleToScale',
        status: 'True',
        reason: ZeroReasons.ScaleFromZero,
        message: 'a metric is above its activation threshold; scaling from zero to 1',
      },
    };
  }
  return {
    desiredReplicas: 0,
    condition: {
      type: 'ScalingActive',
      status: 'False',
      reason: ZeroReasons.ScaledToZero,
      message: 'the target is scaled to zero and no metric is above its activation threshold',
    },
  };
}

/** 1 → 0 once nothing was active for the whole cooldown (unknown activity never counts as idle). */
export function decideToZero(
  activation: Activation,
  currentReplicas: number,
  lastActiveTime: number,
  now: number,
  cooldownSeconds: number,
): ZeroDecision | undefined {
  if (activation.state !== 'inactive' || currentReplicas !== 1) return undefined;
  if (now - lastActiveTime < cooldownSeconds * 1000) return undefined;
  return {
    desiredReplicas: 0,
    condition: {
      type: 'AbleToScale',
      status: 'True',
      reason: ZeroReasons.ScaleToZero,
      message: `no metric above its activation threshold for ${cooldownSeconds}s; scaling to zero`,
    },
  };
}
