// A Scaler's status: the HPA-style conditions and figures from the
// algorithm's result, the decision explained, the persisted history, and the
// kstatus summary. Built so that an evaluation that changes no decision
// yields the status the Scaler already has.
import { problemSummary, type Problem } from '../shared/problems.js';
import type { Scaler, ScalerDecision, ScalerStatus } from '../../pkg/api/types.generated.js';
import { parseQuantity } from '../../pkg/kube/quantity.js';
import { removeCondition, setCondition, summarize, type Summary } from '../../pkg/runtime/conditions/conditions.js';
import type { Condition } from '../../pkg/meta/object.js';
import { deepEqual } from '../../pkg/util/equality.js';
import { DEFAULT_HPA_CONFIG, statusTime, type Decision, type MetricStatus, type ScalerCondition, type ScalerHistory, type ScalerResult } from './algorithm/index.js';
import { metricsDue } from './metrics-refresh.js';
import { keepUnlessNew, persistHistory } from './persisted-history.js';

export interface ScalerObservation {
  /** The evaluation, when the target could be read. */
  result?: ScalerResult;
  currentReplicas?: number;
  selector?: string;
  /** The working history to persist (the result's, or the one for a failed rescale). */
  history?: ScalerHistory;
  /** Extra conditions this pass sets (a failed rescale). */
  extraConditions?: ScalerCondition[];
  lastScaleTime?: string;
  /** Its target is missing, or cannot be scaled. */
  problem?: Problem;
  /** Set when another actor changed the target's replicas since the Scaler last did. */
  overriddenBy?: string;
  /** Set while every instance of the target is in its warm-up (its metrics are not counted yet). */
  warmingUp?: string;
  /** When status.currentMetrics was last refreshed. */
  metricsWrittenAt: number;
  now: number;
}

const hpaConditions = new Set(['AbleToScale', 'ScalingActive', 'ScalingLimited', 'Active', 'Fallback']);
const maxErrorLength = 1024;

function summary(o: ScalerObservation, conditions: ScalerCondition[]): Summary {
  if (o.problem) return problemSummary(o.problem);
  const r = o.result!;
  const active = conditions.find((c) => c.type === 'ScalingActive');
  const able = conditions.find((c) => c.type === 'AbleToScale');
  if (able?.status === 'False' && able.reason !== 'ScalingPaused') return { state: 'stalled', reason: able.reason, message: able.message };
  // New instances have no metrics yet: that passes by itself, it is not a failure.
  if (r.allMetricsFailed && !r.fallbackActive && o.warmingUp) return { state: 'progressing', reason: 'WarmingUp', message: o.warmingUp };
  if (r.allMetricsFailed && !r.fallbackActive) return { state: 'stalled', reason: active?.reason ?? 'MetricsUnavailable', message: active?.message ?? r.error ?? 'every metric failed' };
  const main = r.paused ? able : active;
  return { state: 'ready', reason: main?.reason || 'Scaling', message: main?.message ?? `${r.desiredReplicas} replicas desired` };
}

function decisionStatus(scaler: Scaler, d: Decision): ScalerDecision {
  const out: ScalerDecision = { limitedBy: d.limitedBy, message: d.message };
  if (d.recommendation !== undefined) out.recommendation = d.recommendation;
  if (d.metrics.length) {
    out.metrics = d.metrics.map((m) => ({ name: m.name, ...(m.replicas !== undefined ? { replicas: m.replicas } : {}), ...(m.error ? { error: m.error.slice(0, maxErrorLength) } : {}) }));
  }
  if (d.nextScaleDownTime !== undefined) out.nextScaleDownTime = statusTime(d.nextScaleDownTime);
  if (d.schedule !== undefined) out.schedule = scaler.spec.schedules?.[d.schedule]?.name ?? `${d.schedule}`;
  return out;
}

/** The smallest tolerance in force: values within it of what status says are not news. */
function tolerance(scaler: Scaler): number {
  const t = [scaler.spec.behavior?.scaleUp?.tolerance, scaler.spec.behavior?.scaleDown?.tolerance].map((q) => (q === undefined ? DEFAULT_HPA_CONFIG.tolerance : parseQuantity(q)));
  return Math.min(...t);
}

export interface BuiltStatus {
  status: ScalerStatus;
  /** Whether status.currentMetrics carries this evaluation's values. */
  metricsRefreshed: boolean;
}

export function scalerStatus(scaler: Scaler, o: ScalerObservation): BuiltStatus {
  const g = scaler.metadata.generation;
  const previous = scaler.status;
  const updates = [...(o.result?.conditions ?? []), ...(o.extraConditions ?? [])];
  let conditions: Condition[] = previous?.conditions ?? [];
  for (const c of updates) {
    if (!hpaConditions.has(c.type)) continue;
    conditions = setCondition(conditions, { type: c.type, status: c.status, reason: c.reason || 'Unknown', message: c.message }, g, o.now);
  }
  conditions = o.overriddenBy
    ? setCondition(conditions, { type: 'TargetOverridden', status: true, reason: 'ReplicasChangedExternally', message: o.overriddenBy }, g, o.now)
    : removeCondition(conditions, 'TargetOverridden');
  conditions = summarize(conditions, summary(o, updates), g, o.now);
  const status: ScalerStatus = { observedGeneration: g, conditions };
  if (o.currentReplicas !== undefined) status.currentReplicas = o.currentReplicas;
  const r = o.result;
  if (r) {
    status.desiredReplicas = r.desiredReplicas;
    status.fallbackActive = r.fallbackActive;
    status.decision = decisionStatus(scaler, r.decision);
  } else {
    if (previous?.desiredReplicas !== undefined) status.desiredReplicas = previous.desiredReplicas;
    if (previous?.decision) status.decision = previous.decision;
  }
  if (o.selector) status.targetSelector = o.selector;
  const lastScale = o.lastScaleTime ?? previous?.lastScaleTime;
  if (lastScale) status.lastScaleTime = lastScale;
  const history = o.history && r ? keepUnlessNew(persistHistory(o.history, { active: r.activation?.state === 'active', failureThreshold: scaler.spec.fallback?.failureThreshold }), previous?.history) : previous?.history;
  if (history && Object.keys(history).length) status.history = history;

  // Last, since whether fresh values are worth a write depends on the rest.
  const fresh = r?.currentMetrics as Record<string, unknown>[] | undefined;
  const kept = previous?.currentMetrics;
  if (kept) status.currentMetrics = kept;
  if (!fresh) return { status, metricsRefreshed: false };
  const due = !deepEqual(status, previous) || metricsDue(kept as MetricStatus[] | undefined, r!.currentMetrics!, tolerance(scaler), o.metricsWrittenAt, o.now);
  if (due) status.currentMetrics = fresh;
  return { status, metricsRefreshed: due };
}
