// A Scaler's status: the HPA-style conditions and figures from the
// algorithm's result, the persisted history, and the kstatus summary.
import type { Scaler, ScalerStatus } from '../../pkg/api/types.generated.js';
import { removeCondition, setCondition, summarize, type Summary } from '../../pkg/runtime/conditions/conditions.js';
import type { Condition } from '../../pkg/runtime/object.js';
import type { ScalerCondition, ScalerHistory, ScalerResult } from './algorithm/index.js';

export interface ScalerObservation {
  /** The evaluation, when the target could be read. */
  result?: ScalerResult;
  currentReplicas?: number;
  selector?: string;
  history?: ScalerHistory;
  /** Extra conditions this pass sets (a failed rescale). */
  extraConditions?: ScalerCondition[];
  lastScaleTime?: string;
  waiting?: string;
  invalid?: string;
  /** Set when another actor changed the target's replicas since the Scaler last did. */
  overriddenBy?: string;
  now: number;
}

const hpaConditions = new Set(['AbleToScale', 'ScalingActive', 'ScalingLimited', 'Active', 'Fallback']);

function summary(o: ScalerObservation, conditions: ScalerCondition[]): Summary {
  if (o.invalid) return { state: 'stalled', reason: 'InvalidTarget', message: o.invalid };
  if (o.waiting) return { state: 'progressing', reason: 'WaitingForTarget', message: o.waiting };
  const r = o.result!;
  const active = conditions.find((c) => c.type === 'ScalingActive');
  const able = conditions.find((c) => c.type === 'AbleToScale');
  if (able?.status === 'False' && able.reason !== 'ScalingPaused') return { state: 'stalled', reason: able.reason, message: able.message };
  if (r.allMetricsFailed && !r.fallbackActive) return { state: 'stalled', reason: active?.reason ?? 'MetricsUnavailable', message: active?.message ?? r.error ?? 'every metric failed' };
  const main = r.paused ? able : active;
  return { state: 'ready', reason: main?.reason || 'Scaling', message: main?.message ?? `${r.desiredReplicas} replicas desired` };
}

export function scalerStatus(scaler: Scaler, o: ScalerObservation): ScalerStatus {
  const g = scaler.metadata.generation;
  const updates = [...(o.result?.conditions ?? []), ...(o.extraConditions ?? [])];
  let conditions: Condition[] = scaler.status?.conditions ?? [];
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
  if (o.result) {
    status.desiredReplicas = o.result.desiredReplicas;
    status.fallbackActive = o.result.fallbackActive;
    if (o.result.currentMetrics) status.currentMetrics = o.result.currentMetrics as Record<string, unknown>[];
  } else if (scaler.status?.desiredReplicas !== undefined) status.desiredReplicas = scaler.status.desiredReplicas;
  if (o.selector) status.targetSelector = o.selector;
  const lastScale = o.lastScaleTime ?? scaler.status?.lastScaleTime;
  if (lastScale) status.lastScaleTime = lastScale;
  const history = o.history ?? (scaler.status?.history as ScalerHistory | undefined);
  if (history && Object.keys(history).length) status.history = history as Record<string, unknown>;
  return status;
}

