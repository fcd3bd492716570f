// Stabilization windows over past recommendations (stabilizeRecommendation
// and stabilizeRecommendationWithBehaviors upstream).
//
// Upstream overwrites one expired entry per call and otherwise appends; here
// all expired entries are dropped and the new one appended. The entries still
// inside a window are the same, so results are identical while the windows
// stay the same.

import { Messages, Reasons } from './constants.js';
import type { Recommendation } from './history.js';

/** Timestamps exactly at the cutoff are neither counted nor expired (strict comparisons, as upstream). */
function isBefore(timestamp: number, cutoff: number): boolean {
  return timestamp < cutoff;
}

export interface Stabilized {
  recommendation: number;
  recommendations: Recommendation[];
}

/** Without `behavior`: the highest recommendation of the downscale stabilization window. */
export function stabilizeRecommendation(
  recommendations: readonly Recommendation[],
  desired: number,
  now: number,
  windowMs: number,
): Stabilized {
  const cutoff = now - windowMs;
  let max = desired;
  const kept: Recommendation[] = [];
  for (const rec of recommendations) {
    if (isBefore(rec.timestamp, cutoff)) continue;
    kept.push(rec);
    if (rec.replicas > max) max = rec.replicas;
  }
  kept.push({ timestamp: now, replicas: desired });
  return { recommendation: max, recommendations: kept };
}

export interface BehaviorStabilizationArgs {
  currentReplicas: number;
  desiredReplicas: number;
  scaleUpWindowSeconds: number;
  scaleDownWindowSeconds: number;
  now: number;
}

export interface BehaviorStabilized extends Stabilized {
  reason: string;
  message: string;
}

/**
 * With `behavior`: scale up no further than the lowest recommendation of the
 * scale-up window, down no further than the highest of the scale-down window.
 */
export function stabilizeRecommendationWithBehaviors(
  recommendations: readonly Recommendation[],
  args: BehaviorStabilizationArgs,
): BehaviorStabilized {
  const { now, desiredReplicas, currentReplicas } = args;
  const upCutoff = now - args.scaleUpWindowSeconds * 1000;
  const downCutoff = now - args.scaleDownWindowSeconds * 1000;
  let upRecommendation = desiredReplicas;
  let downRecommendation = desiredReplicas;
  const kept: Recommendation[] = [];
  for (const rec of recommendations) {
    if (rec.timestamp > upCutoff) upRecommendation = Math.min(rec.replicas, upRecommendation);
    if (rec.timestamp > downCutoff) downRecommendation = Math.max(rec.replicas, downRecommendation);
    if (!(isBefore(rec.timestamp, upCutoff) && isBefore(rec.timestamp, downCutoff))) kept.push(rec);
  }
  let recommendation = currentReplicas;
  if (recommendation < upRecommendation) recommendation = upRecommendation;
  if (recommendation > downRecommendation) recommendation = downRecommendation;
  kept.push({ timestamp: now, replicas: desiredReplicas });

  const up = desiredReplicas >= currentReplicas;
  return {
    recommendation,
    recommendations: kept,
    reason: up ? Reasons.ScaleUpStabilized : Reasons.ScaleDownStabilized,
    message: up ? Messages.ScaleUpStabilized : Messages.ScaleDownStabilized,
  };
}
