// Why the Scaler wants the count it wants: each metric's answer, the raw
// recommendation, the one thing that bound the result (a stabilization
// window, a policy, min/max, a schedule's floor, fallback, pause, scale to
// zero) and when a scale-down could next happen. The HPA only says "recent
// recommendations were higher than current one"; this names the window, the
// numbers and the time. Messages hold no clock reading that moves on its
// own, so an unchanged decision reads the same on every evaluation.
import type { MetricAnswer } from './compute-replicas.js';
import { Reasons } from './constants.js';
import type { HpaExplanation } from './hpa.js';

export type LimitedBy =
  | 'None'
  | 'ScaleUpStabilization'
  | 'ScaleDownStabilization'
  | 'ScaleUpPolicy'
  | 'ScaleDownPolicy'
  | 'ScaleUpLimit'
  | 'MinReplicas'
  | 'MaxReplicas'
  | 'Schedule'
  | 'MetricsFailed'
  | 'TargetScaledToZero'
  | 'Activation'
  | 'ScaledToZero'
  | 'Cooldown'
  | 'Fallback'
  | 'Paused'
  | 'InvalidSchedule';

export interface Decision {
  /** The largest metric proposal, before stabilization and limits. */
  recommendation?: number;
  metrics: MetricAnswer[];
  limitedBy: LimitedBy;
  message: string;
  /** Milliseconds: the earliest a scale-down (or a further one) can happen, when one is being held back. */
  nextScaleDownTime?: number;
  /** Index of the schedule whose minimum set the count. */
  schedule?: number;
}

export interface HpaDecisionInput {
  explanation: HpaExplanation;
  current: number;
  desired: number;
  /** The minimum in force (a schedule's, when it raised it). */
  minReplicas: number;
  maxReplicas: number;
  /** Set when a schedule raised the minimum above spec.minReplicas. */
  schedule?: { index: number; name: string };
  /** Whether spec.behavior is set (then scale-up limits are policies, else the max(2×, 4) rule). */
  withBehavior: boolean;
}

/** RFC 3339 to the second, rounded up, as times are written to status. */
export function statusTime(ms: number): string {
  return new Date(Math.ceil(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

function floor(d: HpaDecisionInput): { limitedBy: 'Schedule' | 'MinReplicas'; what: string; schedule?: number } {
  return d.schedule
    ? { limitedBy: 'Schedule', what: `the minimum ${d.minReplicas} of schedule ${d.schedule.name}`, schedule: d.schedule.index }
    : { limitedBy: 'MinReplicas', what: `minReplicas ${d.minReplicas}` };
}

/** The decision of the HPA core (the Scaler's own overrides are in scaler.ts). */
export function hpaDecision(d: HpaDecisionInput): Decision {
  const e = d.explanation;
  const base = { metrics: e.answers, ...(e.recommendation !== undefined ? { recommendation: e.recommendation } : {}) };
  const raw = e.recommendation;
  switch (e.held) {
    case 'TargetScaledToZero':
      return { ...base, limitedBy: 'TargetScaledToZero', message: 'the target was scaled to 0 by someone else: autoscaling is off until it has replicas again, as with the HPA' };
    case 'MetricsFailed': {
      const failed = e.answers.filter((a) => a.error).length;
      const message =
        failed >= e.answers.length
          ? `every metric failed: keeping ${d.current} replicas`
          : `${failed} of ${e.answers.length} metrics failed and the others propose no more than ${d.current}: keeping ${d.current} replicas (no scale-down while a metric fails)`;
      return { ...base, limitedBy: 'MetricsFailed', message };
    }
    case 'AboveMaxReplicas':
      return { ...base, limitedBy: 'MaxReplicas', message: `the target has ${d.current} replicas, more than maxReplicas ${d.maxReplicas}: scaling to ${d.desired}` };
    case 'BelowMinReplicas': {
      const f = floor(d);
      return { ...base, limitedBy: f.limitedBy, ...(f.schedule !== undefined ? { schedule: f.schedule } : {}), message: `the target has ${d.current} replicas, fewer than ${f.what}: scaling to ${d.desired}` };
    }
  }
  if (e.limited) {
    const l = e.limited;
    switch (l.reason) {
      case Reasons.ScaleUpLimit:
        return d.withBehavior
          ? { ...base, limitedBy: 'ScaleUpPolicy', message: `the metrics recommend ${raw}; the scale-up policies allow ${d.desired} now` }
          : { ...base, limitedBy: 'ScaleUpLimit', message: `the metrics recommend ${raw}; one step may reach at most max(2 × ${d.current}, 4) = ${d.desired}` };
      case Reasons.ScaleDownLimit:
        return {
          ...base,
          limitedBy: 'ScaleDownPolicy',
          ...(l.releasedAt !== undefined ? { nextScaleDownTime: l.releasedAt } : {}),
          message: `the metrics recommend ${raw}; the scale-down policies allow ${d.desired} now${l.releasedAt !== undefined ? `, and more from ${statusTime(l.releasedAt)}` : ''}`,
        };
      case Reasons.TooFewReplicas: {
        const f = floor(d);
        return { ...base, limitedBy: f.limitedBy, ...(f.schedule !== undefined ? { schedule: f.schedule } : {}), message: `the metrics recommend ${raw}; raised to ${f.what}` };
      }
      case Reasons.TooManyReplicas:
        return { ...base, limitedBy: 'MaxReplicas', message: `the metrics recommend ${raw}; capped at maxReplicas ${d.maxReplicas}` };
    }
  }
  if (e.stabilized) {
    const s = e.stabilized;
    if (s.direction === 'Up') {
      return {
        ...base,
        limitedBy: 'ScaleUpStabilization',
        message: `the metrics recommend ${raw}; the lowest recommendation of the last ${s.windowSeconds}s (scale-up stabilization window) is ${s.replicas}`,
      };
    }
    return {
      ...base,
      limitedBy: 'ScaleDownStabilization',
      ...(s.releasedAt !== undefined ? { nextScaleDownTime: s.releasedAt } : {}),
      message: `the metrics recommend ${raw}; the highest recommendation of the last ${s.windowSeconds}s (scale-down stabilization window) is ${s.replicas}${s.releasedAt !== undefined ? `, until ${statusTime(s.releasedAt)}` : ''}`,
    };
  }
  const largest = e.answers.find((a) => a.replicas === raw);
  return { ...base, limitedBy: 'None', message: `${d.desired} replicas, as the metrics recommend${largest && e.answers.length > 1 ? ` (the largest proposal: ${largest.name})` : ''}` };
}
