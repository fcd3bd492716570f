// The Stratus Scaler: the HPA core plus pause, scheduled minimums, scale to
// and from zero, and fallback.
//
// Order: pause → schedules → (at zero replicas: activation only) → HPA core →
// 1 → 0 after the cooldown → fallback. Decisions that override the HPA core
// are not recorded as HPA scale events, just as the HPA never sees what KEDA
// does around it.

import { evaluateActivation, type Activation } from './activation.js';
import { ConditionSet, type ScalerCondition } from './conditions.js';
import { Messages, Reasons } from './constants.js';
import { hpaDecision, statusTime, type Decision } from './decision.js';
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
  schedules?: (ScheduleSpec & { name?: string })[];
}

export interface ScalerResult extends Omit<HpaResult, 'explanation'> {
  /** Why desiredReplicas: for status.decision. */
  decision: Decision;
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
  decision: Decision,
  extra: Partial<ScalerResult>,
): ScalerResult {
  const history = toPersistedHistory(toWorkingHistory(input.history));
  const able: ScalerCondition = { type: 'AbleToScale', status: 'True', reason: Reasons.SucceededGetScale, message: Messages.SucceededGetScale };
  return {
    desiredReplicas: desired,
    rescale: desired !== input.currentReplicas,
    conditions: conditions.some((c) => c.type === 'AbleToScale') ? conditions : [able, ...conditions],
    history,
    historyIfRescaleFails: history,
    allMetricsFailed: false,
    effectiveMinReplicas: input.minReplicas ?? 1,
    activeSchedules: [],
    fallbackActive: false,
    paused: false,
    decision,
    ...extra,
  };
}

/** The schedule whose minimum is in force, when one raises it. */
function scheduleFloor(input: ScalerInput, state: ScheduleState): { index: number; name: string } | undefined {
  if (state.minReplicas === undefined) return undefined;
  const index = state.active.find((i) => input.schedules![i]!.minReplicas === state.minReplicas)!;
  return { index, name: input.schedules![index]!.name ?? `#${index}` };
}

/** Evaluates the Scaler once. Pure: the same input always gives the same result. */
export function evaluateScaler(input: ScalerInput): ScalerResult {
  const { now, currentReplicas: current, maxReplicas: max } = input;
  if (input.paused) {
    const p = decidePause(input.paused, current);
    return standalone(input, p.desiredReplicas, [p.condition], { metrics: [], limitedBy: 'Paused', message: p.condition.message }, { paused: true });
  }
  let state: ScheduleState;
  try {
    state = activeSchedules(input.schedules, now);
  } catch (e) {
    if (!(e instanceof ScheduleError)) throw e;
    const reason = ScalerReasons.InvalidSchedule;
    const condition: ScalerCondition = { type: 'ScalingActive', status: 'False', reason, message: e.message };
    return standalone(input, current, [condition], { metrics: [], limitedBy: 'InvalidSchedule', message: `${e.message}: keeping ${current} replicas` }, { error: e.message });
  }

  const working = toWorkingHistory(input.history);
  const persisted = toPersistedHistory(working);
  const specMin = input.minReplicas ?? 1;
  const effectiveMin = Math.min(Math.max(specMin, state.minReplicas ?? 0), max);
  const conditions = new ConditionSet();
  // The HPA reports it as soon as it has read the scale, at zero replicas too.
  conditions.set('AbleToScale', 'True', Reasons.SucceededGetScale, Messages.SucceededGetScale);
  const activation = specMin === 0 ? evaluateActivation(effectiveMetrics(input.metrics), input.metricValues) : undefined;
  if (activation?.state === 'active') working.lastActiveTime = now;

  const schedule = scheduleFloor(input, state);
  let desired: number;
  let hpa: HpaResult | undefined;
  let outcome: MetricsOutcome;
  let decision: Decision;
  if (activation && current === 0) {
    const z = decideAtZero(activation, effectiveMin);
    desired = z.desiredReplicas;
    conditions.set(z.condition.type, z.condition.status, z.condition.reason, z.condition.message);
    outcome = activation.state === 'unknown' ? 'allFailed' : activation.capable > 0 ? 'someSucceeded' : 'skipped';
    decision =
      desired === 0
        ? { metrics: [], limitedBy: 'ScaledToZero', message: z.condition.message }
        : schedule && effectiveMin > 0
          ? { metrics: [], limitedBy: 'Schedule', schedule: schedule.index, message: z.condition.message }
          : { metrics: [], limitedBy: 'Activation', message: z.condition.message };
  } else {
    const canReachZero = activation !== undefined && effectiveMin === 0 && activation.state !== 'unsupported';
    if (canReachZero && working.lastActiveTime === undefined) working.lastActiveTime = now; // start the cooldown clock
    const floorReplicas = activation ? Math.max(1, effectiveMin) : effectiveMin;
    hpa = evaluateHpa({ ...input, minReplicas: floorReplicas, history: persisted });
    for (const c of hpa.conditions) conditions.set(c.type, c.status, c.reason, c.message);
    desired = hpa.desiredReplicas;
    decision = hpaDecision({
      explanation: hpa.explanation,
      current,
      desired,
      minReplicas: floorReplicas,
      maxReplicas: max,
      withBehavior: input.behavior !== undefined,
      ...(schedule && effectiveMin > specMin ? { schedule } : {}),
    });
    const evaluated = hpa.allMetricsFailed || hpa.currentMetrics !== undefined;
    outcome = hpa.allMetricsFailed ? 'allFailed' : evaluated ? 'someSucceeded' : 'skipped';
    const cooldown = input.cooldownPeriodSeconds ?? DEFAULT_COOLDOWN_PERIOD_SECONDS;
    const toZero = canReachZero ? decideToZero(activation, current, working.lastActiveTime!, now, cooldown) : undefined;
    if (toZero) {
      desired = toZero.desiredReplicas;
      conditions.set(toZero.condition.type, toZero.condition.status, toZero.condition.reason, toZero.condition.message);
      decision = { ...decision, limitedBy: 'ScaledToZero', message: toZero.condition.message };
    } else if (canReachZero && activation.state === 'inactive' && current === 1 && desired === 1) {
      const at = working.lastActiveTime! + cooldown * 1000;
      decision = { ...decision, limitedBy: 'Cooldown', nextScaleDownTime: at, message: `no metric above its activation threshold; 1 replica until the cooldown of ${cooldown}s ends at ${statusTime(at)}` };
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
      decision = { ...decision, limitedBy: 'Fallback', message: f.condition.message };
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
    activeSchedules: state.active,
    fallbackActive,
    paused: false,
    decision,
  };
  if (hpa?.currentMetrics) result.currentMetrics = hpa.currentMetrics;
  if (hpa?.error !== undefined) result.error = hpa.error;
  if (hpaDecided && hpa?.rescaleReason !== undefined) result.rescaleReason = hpa.rescaleReason;
  if (activation) result.activation = activation;
  return result;
}
