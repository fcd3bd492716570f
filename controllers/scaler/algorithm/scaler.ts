// The Stratus Scaler: the HPA core plus pause, scheduled minimums, scale to
// and from zero, and fallback.
//
// Order: pause → schedules → (at zero replicas: activation only) → HPA core →
// 1 → 0 after the cooldown → fallback. Decisions that override the HPA core
// are not recorded as HPA scale events, just as the HPA never sees what KEDA
// does around it.

import { evaluateActivation, type Activation } from './activation.js';
import { ConditionSet, type ScalerCondition } from './conditions.js';
import { decideFallback, nextFailureCount, type FallbackSpec, type MetricsOutcome } from './fallback.js';
import { toPersistedHistory, toWorkingHistory, type ScalerHistory, type WorkingHistory } from './history.js';
import { effectiveMetrics, evaluateHpa, type HpaInput, type HpaResult } from './hpa.js';
import { decidePause, type PauseSpec } from './pause.js';
import { DEFAULT_COOLDOWN_PERIOD_SECONDS, activeCondition, decideAtZero, decideToZero } from './scale-to-zero.js';
import { activeSchedules, ScheduleError, type ScheduleSpec, type ScheduleState } from './schedules.js';

export const ScalerReasons = Object.freeze({ InvalidSchedule: 'InvalidSchedule' });

export interface ScalerInput extends HpaInput {
  /** 0 enables scaling to zero (needs a non-Resource metric to tell activity). Defaults to 1. */
  minReplicas?: number;
  /** Time without activity before 1 → 0. Defaults to 300. */
  cooldownPeriodSeconds?: number;
  fallback?: FallbackSpec;
  paused?: PauseSpec;
  schedules?: ScheduleSpec[];
}

export interface ScalerResult extends HpaResult {
  /** minReplicas raised by the active schedules, capped at maxReplicas. */
  effectiveMinReplicas: number;
  /** Indices of the schedules active now. */
  activeSchedules: number[];
  /** Set when minReplicas is 0. */
  activation?: Activation;
  fallbackActive: boolean;
  paused: boolean;
}

function withStratusState(base: ScalerHistory, w: WorkingHistory): ScalerHistory {
  const { lastActiveTime: _active, consecutiveFailures: _failures, ...hpaPart } = base;
  const h: ScalerHistory = hpaPart;
  if (w.lastActiveTime !== undefined) h.lastActiveTime = w.lastActiveTime;
  if (w.consecutiveFailures > 0) h.consecutiveFailures = w.consecutiveFailures;
  return h;
}

/** A result that changes nothing but the count (pause, invalid spec). */
function standalone(
  input: ScalerInput,
  desired: number,
  conditions: ScalerCondition[],
  extra: Partial<ScalerResult>,
): ScalerResult {
  const history = toPersistedHistory(toWorkingHistory(input.history));
  return {
    desiredReplicas: desired,
    rescale: desired !== input.currentReplicas,
    conditions,
    history,
    historyIfRescaleFails: history,
    allMetricsFailed: false,
    effectiveMinReplicas: input.minReplicas ?? 1,
    activeSchedules: [],
    fallbackActive: false,
    paused: false,
    ...extra,
  };
}

/** Evaluates the Scaler once. Pure: the same input always gives the same result. */
export function evaluateScaler(input: ScalerInput): ScalerResult {
  const { now, currentReplicas: current, maxReplicas: max } = input;
  if (input.paused) {
    const p = decidePause(input.paused, current);
    return standalone(input, p.desiredReplicas, [p.condition], { paused: true });
  }
  let schedule: ScheduleState;
  try {
    schedule = activeSchedules(input.schedules, now);
  } catch (e) {
    if (!(e instanceof ScheduleError)) throw e;
    const reason = ScalerReasons.InvalidSchedule;
    const condition: ScalerCondition = { type: 'ScalingActive', status: 'False', reason, message: e.message };
    return standalone(input, current, [condition], { error: e.message });
  }

  const working = toWorkingHistory(input.history);
  const persisted = toPersistedHistory(working);
  const specMin = input.minReplicas ?? 1;
  const effectiveMin = Math.min(Math.max(specMin, schedule.minReplicas ?? 0), max);
  const conditions = new ConditionSet();
  const activation = specMin === 0 ? evaluateActivation(effectiveMetrics(input.metrics), input.metricValues) : undefined;
  if (activation?.state === 'active') working.lastActiveTime = now;

  let desired: number;
  let hpa: HpaResult | undefined;
  let outcome: MetricsOutcome;
  if (activation && current === 0) {
    const z = decideAtZero(activation, effectiveMin);
    desired = z.desiredReplicas;
    conditions.set(z.condition.type, z.condition.status, z.condition.reason, z.condition.message);
    outcome = activation.state === 'unknown' ? 'allFailed' : activation.capable > 0 ? 'someSucceeded' : 'skipped';
  } else {
    const canReachZero = activation !== undefined && effectiveMin === 0 && activation.state !== 'unsupported';
    if (canReachZero && working.lastActiveTime === undefined) working.lastActiveTime = now; // start the cooldown clock
    hpa = evaluateHpa({ ...input, minReplicas: activation ? Math.max(1, effectiveMin) : effectiveMin, history: persisted });
    for (const c of hpa.conditions) conditions.set(c.type, c.status, c.reason, c.message);
    desired = hpa.desiredReplicas;
    const evaluated = hpa.allMetricsFailed || hpa.currentMetrics !== undefined;
    outcome = hpa.allMetricsFailed ? 'allFailed' : evaluated ? 'someSucceeded' : 'skipped';
    const cooldown = input.cooldownPeriodSeconds ?? DEFAULT_COOLDOWN_PERIOD_SECONDS;
    const toZero = canReachZero ? decideToZero(activation, current, working.lastActiveTime!, now, cooldown) : undefined;
    if (toZero) {
      desired = toZero.desiredReplicas;
      conditions.set(toZero.condition.type, toZero.condition.status, toZero.condition.reason, toZero.condition.message);
    }
  }
  if (activation) {
    const c = activeCondition(activation);
    conditions.set(c.type, c.status, c.reason, c.message);
  }

  working.consecutiveFailures = nextFailureCount(working.consecutiveFailures, outcome);
  let fallbackActive = false;
  if (input.fallback) {
    const f = decideFallback(input.fallback, working.consecutiveFailures, effectiveMin, max);
    conditions.set(f.condition.type, f.condition.status, f.condition.reason, f.condition.message);
    if (f.active) {
      fallbackActive = true;
      desired = f.replicas!;
    }
  }

  // Only the HPA core's own decision is recorded as a scale event.
  const hpaDecided = hpa !== undefined && desired === hpa.desiredReplicas;
  const base = hpa ? (hpaDecided ? hpa.history : hpa.historyIfRescaleFails) : persisted;
  const result: ScalerResult = {
    desiredReplicas: desired,
    rescale: desired !== current,
    conditions: conditions.toArray(),
    history: withStratusState(base, working),
    historyIfRescaleFails: withStratusState(hpa ? hpa.historyIfRescaleFails : persisted, working),
    allMetricsFailed: outcome === 'allFailed',
    effectiveMinReplicas: effectiveMin,
    activeSchedules: schedule.active,
    fallbackActive,
    paused: false,
  };
  if (hpa?.currentMetrics) result.currentMetrics = hpa.currentMetrics;
  if (hpa?.error !== undefined) result.error = hpa.error;
  if (hpaDecided && hpa?.rescaleReason !== undefined) result.rescaleReason = hpa.rescaleReason;
  if (activation) result.activation = activation;
  return result;
}
