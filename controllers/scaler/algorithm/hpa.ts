// One reconcile of the Kubernetes HPA controller (reconcileAutoscaler and the
// normalizeDesiredReplicas* functions upstream), minus the API calls.

import {
  convertDesiredReplicasWithBehaviorRate,
  convertDesiredReplicasWithRules,
  resolveBehavior,
  type ResolvedBehavior,
} from './behavior.js';
import { ConditionSet, type ScalerCondition } from './conditions.js';
import { DEFAULT_METRICS, computeReplicasForMetrics, type MetricAnswer, type SelectorState } from './compute-replicas.js';
import { DEFAULT_HPA_CONFIG, Messages, Reasons } from './constants.js';
import {
  cloneWorkingHistory,
  recordInitialRecommendation,
  toPersistedHistory,
  toWorkingHistory,
  type ScalerHistory,
  type WorkingHistory,
} from './history.js';
import { pruneScaleEvents, storeScaleEvent } from './scale-events.js';
import { stabilizeRecommendation, stabilizeRecommendationWithBehaviors } from './stabilization.js';
import { tolerancesFor } from './tolerances.js';
import type { Behavior, HpaConfig, MetricSpec, MetricStatus, MetricValue, PodInfo } from './types.js';

export interface HpaInput extends SelectorState {
  /** Milliseconds since the epoch. */
  now: number;
  /** Namespace of the Scaler; only used in messages. */
  namespace?: string;
  /** The target's /scale spec.replicas. */
  currentReplicas: number;
  /** The target's /scale status.replicas; defaults to currentReplicas. */
  statusReplicas?: number;
  /** Pods selected by the target's selector. */
  pods: readonly PodInfo[];
  /** Defaults to 1. */
  minReplicas?: number;
  maxReplicas: number;
  /** An empty list means the API default: cpu at 80% utilization. */
  metrics: readonly MetricSpec[];
  /** What the controller fetched for each metric, by index. */
  metricValues: readonly (MetricValue | undefined)[];
  behavior?: Behavior;
  history?: ScalerHistory;
  config?: Partial<HpaConfig>;
}

export interface HpaResult {
  /** The replica count to set; equals currentReplicas when no rescale is wanted. */
  desiredReplicas: number;
  /** True when desiredReplicas differs from currentReplicas. */
  rescale: boolean;
  /** status.currentMetrics; undefined when the metrics were not looked at. */
  currentMetrics?: MetricStatus[];
  /** Conditions set by this evaluation (merge them into the stored ones with mergeConditions). */
  conditions: ScalerCondition[];
  /** History to persist, assuming the rescale (if any) succeeds. */
  history: ScalerHistory;
  /** History to persist if updating the scale fails (upstream records the scale event only on success). */
  historyIfRescaleFails: ScalerHistory;
  /** Set when metrics failed (also when the others still allowed a scale-up). */
  error?: string;
  /** Why the count changes, as in the HPA's SuccessfulRescale event ("cpu resource utilization … above target"). */
  rescaleReason?: string;
  /** True when every metric failed (or the selector was rejected). */
  allMetricsFailed: boolean;
  /** What went into desiredReplicas, for status.decision (decision.ts). */
  explanation: HpaExplanation;
}

/** Why the HPA core arrived at its count. */
export interface HpaExplanation {
  /** Each metric's own answer. */
  answers: MetricAnswer[];
  /** The largest proposal, before stabilization and limits. */
  recommendation?: number;
  /** Set when the core did not look at the metrics' proposal (or could not follow it). */
  held?: 'TargetScaledToZero' | 'MetricsFailed' | 'AboveMaxReplicas' | 'BelowMinReplicas';
  /** Set when a stabilization window changed the recommendation. */
  stabilized?: { direction: 'Up' | 'Down'; replicas: number; windowSeconds: number; releasedAt?: number };
  /** Set when a rate limit or min/max changed it after that: the HPA reason (ScaleUpLimit, TooFewReplicas, …). */
  limited?: { reason: string; replicas: number; releasedAt?: number };
}

/** The metric specs the HPA really evaluates (API defaulting of an empty list). */
export function effectiveMetrics(metrics: readonly MetricSpec[]): readonly MetricSpec[] {
  return metrics.length > 0 ? metrics : DEFAULT_METRICS;
}

interface Normalized {
  replicas: number;
  stabilized?: HpaExplanation['stabilized'];
  limited?: HpaExplanation['limited'];
}

/** When the entries holding a scale-down at `held` leave the window: after that the count can go lower. */
function releasedAt(history: WorkingHistory, held: number, now: number, windowSeconds: number): number | undefined {
  const cutoff = now - windowSeconds * 1000;
  let latest: number | undefined;
  for (const r of history.recommendations) if (r.timestamp > cutoff && r.replicas >= held && (latest === undefined || r.timestamp > latest)) latest = r.timestamp;
  return latest === undefined ? undefined : latest + windowSeconds * 1000;
}

/** When the next scale-down event leaves a scale-down policy's period (the limit then loosens). */
function policyReleasedAt(history: WorkingHistory, behavior: ResolvedBehavior, now: number): number | undefined {
  let earliest: number | undefined;
  for (const p of behavior.scaleDown.policies) {
    const period = p.periodSeconds * 1000;
    for (const e of history.scaleDownEvents) {
      if (e.timestamp > now - period && (earliest === undefined || e.timestamp + period < earliest)) earliest = e.timestamp + period;
    }
  }
  return earliest;
}

function limitOf(limited: { replicas: number; reason: string }, stabilized: number, releasedAtMs?: number): HpaExplanation['limited'] {
  if (limited.replicas === stabilized) return undefined;
  return releasedAtMs === undefined ? { reason: limited.reason, replicas: limited.replicas } : { reason: limited.reason, replicas: limited.replicas, releasedAt: releasedAtMs };
}

function normalizeWithoutBehavior(
  history: WorkingHistory,
  conditions: ConditionSet,
  input: { now: number; current: number; desired: number; min: number; max: number; windowSeconds: number },
): Normalized {
  const stabilized = stabilizeRecommendation(history.recommendations, input.desired, input.now, input.windowSeconds * 1000);
  history.recommendations = stabilized.recommendations;
  if (stabilized.recommendation !== input.desired) {
    conditions.set('AbleToScale', 'True', Reasons.ScaleDownStabilized, Messages.ScaleDownStabilized);
  } else {
    conditions.set('AbleToScale', 'True', Reasons.ReadyForNewScale, Messages.ReadyForNewScale);
  }
  const limited = convertDesiredReplicasWithRules(input.current, stabilized.recommendation, input.min, input.max);
  const limitedStatus = limited.replicas === stabilized.recommendation ? 'False' : 'True';
  conditions.set('ScalingLimited', limitedStatus, limited.reason, limited.message);
  const result: Normalized = { replicas: limited.replicas, limited: limitOf(limited, stabilized.recommendation) };
  if (stabilized.recommendation !== input.desired) {
    const released = releasedAt(history, stabilized.recommendation, input.now, input.windowSeconds);
    result.stabilized = { direction: 'Down', replicas: stabilized.recommendation, windowSeconds: input.windowSeconds, ...(released ? { releasedAt: released } : {}) };
  }
  return result;
}

function normalizeWithBehavior(
  history: WorkingHistory,
  conditions: ConditionSet,
  behavior: ResolvedBehavior,
  input: { now: number; current: number; desired: number; min: number; max: number },
): Normalized {
  const stabilized = stabilizeRecommendationWithBehaviors(history.recommendations, {
    currentReplicas: input.current,
    desiredReplicas: input.desired,
    scaleUpWindowSeconds: behavior.scaleUp.stabilizationWindowSeconds,
    scaleDownWindowSeconds: behavior.scaleDown.stabilizationWindowSeconds,
    now: input.now,
  });
  history.recommendations = stabilized.recommendations;
  if (stabilized.recommendation !== input.desired) {
    conditions.set('AbleToScale', 'True', stabilized.reason, stabilized.message);
  } else {
    conditions.set('AbleToScale', 'True', Reasons.ReadyForNewScale, Messages.ReadyForNewScale);
  }
  const limited = convertDesiredReplicasWithBehaviorRate({
    currentReplicas: input.current,
    desiredReplicas: stabilized.recommendation,
    minReplicas: input.min,
    maxReplicas: input.max,
    behavior,
    events: history,
    now: input.now,
  });
  const limitedStatus = limited.replicas === stabilized.recommendation ? 'False' : 'True';
  conditions.set('ScalingLimited', limitedStatus, limited.reason, limited.message);
  const downLimited = limited.reason === Reasons.ScaleDownLimit ? policyReleasedAt(history, behavior, input.now) : undefined;
  const result: Normalized = { replicas: limited.replicas, limited: limitOf(limited, stabilized.recommendation, downLimited) };
  if (stabilized.recommendation !== input.desired) {
    const up = input.desired >= input.current;
    const windowSeconds = up ? behavior.scaleUp.stabilizationWindowSeconds : behavior.scaleDown.stabilizationWindowSeconds;
    const released = up ? undefined : releasedAt(history, stabilized.recommendation, input.now, windowSeconds);
    result.stabilized = { direction: up ? 'Up' : 'Down', replicas: stabilized.recommendation, windowSeconds, ...(released ? { releasedAt: released } : {}) };
  }
  return result;
}

/** Evaluates the HPA algorithm once. Pure: the same input always gives the same result. */
export function evaluateHpa(input: HpaInput): HpaResult {
  const config: HpaConfig = { ...DEFAULT_HPA_CONFIG, ...input.config };
  const { now, currentReplicas: current, maxReplicas: max } = input;
  const min = input.minReplicas ?? 1;
  const behavior = input.behavior ? resolveBehavior(input.behavior, config.downscaleStabilizationWindowSeconds) : undefined;
  const conditions = new ConditionSet();
  const history = toWorkingHistory(input.history);

  conditions.set('AbleToScale', 'True', Reasons.SucceededGetScale, Messages.SucceededGetScale);
  recordInitialRecommendation(history, current, now);

  let desired = 0;
  let rescale = true;
  let rescaleReason: string | undefined;
  let currentMetrics: MetricStatus[] | undefined;
  let error: string | undefined;
  const explanation: HpaExplanation = { answers: [] };

  const finish = (allMetricsFailed: boolean): HpaResult => {
    // Upstream records the scale event only once the scale update succeeded.
    const ifRescaleFails = cloneWorkingHistory(history);
    pruneScaleEvents(ifRescaleFails, behavior, now);
    if (rescale) {
      conditions.set('AbleToScale', 'True', Reasons.SucceededRescale, Messages.SucceededRescale(desired));
      storeScaleEvent(history, behavior, current, desired, now);
    } else {
      desired = current;
    }
    pruneScaleEvents(history, behavior, now);
    const result: HpaResult = {
      desiredReplicas: desired,
      rescale,
      conditions: conditions.toArray(),
      history: toPersistedHistory(history),
      historyIfRescaleFails: toPersistedHistory(ifRescaleFails),
      allMetricsFailed,
      explanation,
    };
    if (currentMetrics) result.currentMetrics = currentMetrics;
    if (error !== undefined) result.error = error;
    if (rescale && rescaleReason !== undefined) result.rescaleReason = rescaleReason;
    return result;
  };

  if (current === 0 && min !== 0) {
    // A target scaled to zero by hand is left alone.
    rescale = false;
    conditions.set('ScalingActive', 'False', Reasons.ScalingDisabled, Messages.ScalingDisabled);
    explanation.held = 'TargetScaledToZero';
    return finish(false);
  }
  if (current > max) {
    rescaleReason = 'Current number of replicas above Spec.MaxReplicas';
    desired = max;
    explanation.held = 'AboveMaxReplicas';
    return finish(false);
  }
  if (current < min) {
    rescaleReason = 'Current number of replicas below Spec.MinReplicas';
    desired = min;
    explanation.held = 'BelowMinReplicas';
    return finish(false);
  }

  const proposal = computeReplicasForMetrics(
    effectiveMetrics(input.metrics),
    input.metricValues,
    {
      specReplicas: current,
      statusReplicas: input.statusReplicas ?? current,
      pods: input.pods,
      tolerances: tolerancesFor(input.behavior, config.tolerance),
      timing: {
        now,
        cpuInitializationPeriodMs: config.cpuInitializationPeriodSeconds * 1000,
        delayOfInitialReadinessStatusMs: config.delayOfInitialReadinessStatusSeconds * 1000,
      },
      namespace: input.namespace ?? '',
    },
    input,
  );
  currentMetrics = proposal.statuses;
  conditions.set(proposal.condition.type, proposal.condition.status, proposal.condition.reason, proposal.condition.message);
  error = proposal.error;
  explanation.answers = proposal.answers;
  if (!proposal.ok) {
    rescale = false;
    explanation.held = 'MetricsFailed';
    return finish(proposal.allFailed);
  }
  explanation.recommendation = proposal.replicas;

  let rescaleMetric = '';
  if (proposal.replicas > desired) {
    desired = proposal.replicas;
    rescaleMetric = proposal.metricName;
  }
  if (desired > current) rescaleReason = `${rescaleMetric} above target`;
  if (desired < current) rescaleReason = 'All metrics below target';

  const args = { now, current, desired, min, max };
  const windowSeconds = config.downscaleStabilizationWindowSeconds;
  const normalized = behavior ? normalizeWithBehavior(history, conditions, behavior, args) : normalizeWithoutBehavior(history, conditions, { ...args, windowSeconds });
  desired = normalized.replicas;
  if (normalized.stabilized) explanation.stabilized = normalized.stabilized;
  if (normalized.limited) explanation.limited = normalized.limited;
  rescale = desired !== current;
  return finish(false);
}

/** The AbleToScale condition upstream sets when updating the scale fails. */
export function failedRescaleCondition(error: string): ScalerCondition {
  const message = Messages.FailedUpdateScale(error);
  return { type: 'AbleToScale', status: 'False', reason: Reasons.FailedUpdateScale, message };
}
