// Rate limits on a recommendation: the fixed max(2×, 4) rule without
// `behavior`, and the policies of `behavior` over past scale events.

import {
  DEFAULT_SCALE_DOWN_RULES,
  DEFAULT_SCALE_UP_RULES,
  MAX_INT32,
  MIN_INT32,
  Messages,
  Reasons,
  SCALE_UP_LIMIT_FACTOR,
  SCALE_UP_LIMIT_MINIMUM,
} from './constants.js';
import type { ScaleEvent } from './history.js';
import type { Behavior, ScalingPolicy, ScalingRules, SelectPolicy } from './types.js';

/** Scaling rules with the API defaults filled in. */
export interface ResolvedRules {
  stabilizationWindowSeconds: number;
  selectPolicy: SelectPolicy;
  policies: ScalingPolicy[];
}

export interface ResolvedBehavior {
  scaleUp: ResolvedRules;
  scaleDown: ResolvedRules;
}

/**
 * Fills unset fields like the API server's defaulting does for a non-nil
 * behavior; an unset scale-down window takes the controller's downscale
 * stabilization window.
 */
export function resolveBehavior(behavior: Behavior, downscaleStabilizationWindowSeconds: number): ResolvedBehavior {
  const fill = (
    rules: ScalingRules | undefined,
    defaults: Omit<ResolvedRules, 'stabilizationWindowSeconds'>,
    window: number,
  ): ResolvedRules => ({
    stabilizationWindowSeconds: rules?.stabilizationWindowSeconds ?? window,
    selectPolicy: rules?.selectPolicy ?? defaults.selectPolicy,
    policies: (rules?.policies ?? defaults.policies).map((p) => ({ ...p })),
  });
  return {
    scaleUp: fill(behavior.scaleUp, DEFAULT_SCALE_UP_RULES, DEFAULT_SCALE_UP_RULES.stabilizationWindowSeconds),
    scaleDown: fill(behavior.scaleDown, DEFAULT_SCALE_DOWN_RULES, downscaleStabilizationWindowSeconds),
  };
}

export interface Limited {
  replicas: number;
  reason: string;
  message: string;
}

const WITHIN_RANGE = { reason: Reasons.DesiredWithinRange, message: Messages.DesiredWithinRange };
const int32 = (x: number) => Math.trunc(x) | 0;

/** max(2 × current, 4): the most one step may reach without `behavior`. */
export function calculateScaleUpLimit(currentReplicas: number): number {
  return int32(Math.max(SCALE_UP_LIMIT_FACTOR * currentReplicas, SCALE_UP_LIMIT_MINIMUM));
}

/** Clamping without `behavior` (convertDesiredReplicasWithRules). */
export function convertDesiredReplicasWithRules(current: number, desired: number, min: number, max: number): Limited {
  const scaleUpLimit = calculateScaleUpLimit(current);
  const [maximumAllowed, upReason, upMessage] =
    max > scaleUpLimit
      ? [scaleUpLimit, Reasons.ScaleUpLimit, Messages.ScaleUpLimit]
      : [max, Reasons.TooManyReplicas, Messages.TooManyReplicas];
  if (desired < min) return { replicas: min, reason: Reasons.TooFewReplicas, message: Messages.TooFewReplicas };
  if (desired > maximumAllowed) return { replicas: maximumAllowed, reason: upReason, message: upMessage };
  return { replicas: desired, ...WITHIN_RANGE };
}

/** Replicas changed by events strictly inside the last `periodSeconds` (getReplicasChangePerPeriod). */
export function replicasChangePerPeriod(periodSeconds: number, events: readonly ScaleEvent[], now: number): number {
  const cutoff = now - periodSeconds * 1000;
  let replicas = 0;
  for (const e of events) if (e.timestamp > cutoff) replicas += e.replicaChange;
  return replicas;
}

export interface ScaleEventLists {
  scaleUpEvents: readonly ScaleEvent[];
  scaleDownEvents: readonly ScaleEvent[];
}

// Each policy is measured from the replica count at the start of its period.
function periodStartReplicas(current: number, policy: ScalingPolicy, events: ScaleEventLists, now: number): number {
  const added = replicasChangePerPeriod(policy.periodSeconds, events.scaleUpEvents, now);
  const deleted = replicasChangePerPeriod(policy.periodSeconds, events.scaleDownEvents, now);
  return current - added + deleted;
}

/** Highest count the scale-up policies allow (calculateScaleUpLimitWithScalingRules). */
export function scaleUpLimitWithRules(
  current: number,
  events: ScaleEventLists,
  rules: ResolvedRules,
  now: number,
): number {
  if (rules.selectPolicy === 'Disabled') return current;
  // Min picks the smallest allowed increase, Max (default) the largest.
  const pickMin = rules.selectPolicy === 'Min';
  let result = pickMin ? MAX_INT32 : MIN_INT32;
  for (const policy of rules.policies) {
    const start = periodStartReplicas(current, policy, events, now);
    // Percent rounds up, so that a small deployment can always grow.
    const proposed =
      policy.type === 'Pods' ? start + policy.value : int32(Math.ceil(start * (1 + policy.value / 100)));
    result = pickMin ? Math.min(result, proposed) : Math.max(result, proposed);
  }
  return result;
}

/** Lowest count the scale-down policies allow (calculateScaleDownLimitWithBehaviors). */
export function scaleDownLimitWithRules(
  current: number,
  events: ScaleEventLists,
  rules: ResolvedRules,
  now: number,
): number {
  if (rules.selectPolicy === 'Disabled') return current;
  const pickMin = rules.selectPolicy === 'Min';
  let result = pickMin ? MIN_INT32 : MAX_INT32;
  for (const policy of rules.policies) {
    const start = periodStartReplicas(current, policy, events, now);
    // Percent truncates towards zero (Go float→int32 conversion).
    const proposed = policy.type === 'Pods' ? start - policy.value : int32(start * (1 - policy.value / 100));
    result = pickMin ? Math.max(result, proposed) : Math.min(result, proposed);
  }
  return result;
}

export interface BehaviorRateArgs {
  currentReplicas: number;
  desiredReplicas: number;
  minReplicas: number;
  maxReplicas: number;
  behavior: ResolvedBehavior;
  events: ScaleEventLists;
  now: number;
}

/** Clamping with `behavior` (convertDesiredReplicasWithBehaviorRate); stabilization is done before. */
export function convertDesiredReplicasWithBehaviorRate(a: BehaviorRateArgs): Limited {
  if (a.desiredReplicas > a.currentReplicas) {
    let scaleUpLimit = scaleUpLimitWithRules(a.currentReplicas, a.events, a.behavior.scaleUp, a.now);
    // Never below current: wait for past events to leave the periods instead.
    if (scaleUpLimit < a.currentReplicas) scaleUpLimit = a.currentReplicas;
    const [maximumAllowed, reason, message] =
      a.maxReplicas > scaleUpLimit
        ? [scaleUpLimit, Reasons.ScaleUpLimit, Messages.ScaleUpLimit]
        : [a.maxReplicas, Reasons.TooManyReplicas, Messages.TooManyReplicas];
    if (a.desiredReplicas > maximumAllowed) return { replicas: maximumAllowed, reason, message };
  } else if (a.desiredReplicas < a.currentReplicas) {
    let scaleDownLimit = scaleDownLimitWithRules(a.currentReplicas, a.events, a.behavior.scaleDown, a.now);
    if (scaleDownLimit > a.currentReplicas) scaleDownLimit = a.currentReplicas;
    const [minimumAllowed, reason, message] =
      a.minReplicas < scaleDownLimit
        ? [scaleDownLimit, Reasons.ScaleDownLimit, Messages.ScaleDownLimit]
        : [a.minReplicas, Reasons.TooFewReplicas, Messages.TooFewReplicas];
    if (a.desiredReplicas < minimumAllowed) return { replicas: minimumAllowed, reason, message };
  }
  return { replicas: a.desiredReplicas, ...WITHIN_RANGE };
}

/** The longest policy period of one direction (getLongestPolicyPeriod). */
export function longestPolicyPeriod(rules: ResolvedRules): number {
  let longest = 0;
  for (const p of rules.policies) if (p.periodSeconds > longest) longest = p.periodSeconds;
  return longest;
}
