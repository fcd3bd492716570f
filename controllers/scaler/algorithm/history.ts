// The state the HPA keeps in memory between reconciles, as plain JSON so the
// controller can persist it in the Scaler's status and survive restarts.

/** An unstabilized recommendation (upstream timestampedRecommendation). */
export interface Recommendation {
  timestamp: number;
  replicas: number;
}

/** A past rescale (upstream timestampedScaleEvent); replicaChange is the absolute change. */
export interface ScaleEvent {
  timestamp: number;
  replicaChange: number;
  /** Set once the event is older than the longest policy period of its direction; such slots get reused. */
  outdated?: boolean;
}

export interface ScalerHistory {
  recommendations?: Recommendation[];
  scaleUpEvents?: ScaleEvent[];
  scaleDownEvents?: ScaleEvent[];
  /** Stratus: last time a metric was above its activation threshold. */
  lastActiveTime?: number;
  /** Stratus: consecutive evaluations in which every metric failed. */
  consecutiveFailures?: number;
}

/** A working copy with every list present. */
export interface WorkingHistory {
  recommendations: Recommendation[];
  scaleUpEvents: ScaleEvent[];
  scaleDownEvents: ScaleEvent[];
  lastActiveTime?: number;
  consecutiveFailures: number;
}

function isFiniteNumber(x: unknown): x is number {
  return typeof x === 'number' && Number.isFinite(x);
}

function readRecommendations(list: unknown): Recommendation[] {
  if (!Array.isArray(list)) return [];
  return list
    .filter((r): r is Recommendation => isFiniteNumber(r?.timestamp) && isFiniteNumber(r?.replicas))
    .map((r) => ({ timestamp: r.timestamp, replicas: r.replicas }));
}

function readEvents(list: unknown): ScaleEvent[] {
  if (!Array.isArray(list)) return [];
  return list
    .filter((e): e is ScaleEvent => isFiniteNumber(e?.timestamp) && isFiniteNumber(e?.replicaChange))
    .map((e) => {
      const event: ScaleEvent = { timestamp: e.timestamp, replicaChange: e.replicaChange };
      if (e.outdated) event.outdated = true;
      return event;
    });
}

/** Copies persisted history defensively: malformed entries (e.g. from a hand-edited status) are dropped. */
export function toWorkingHistory(history: ScalerHistory | undefined): WorkingHistory {
  const h = history ?? {};
  const working: WorkingHistory = {
    recommendations: readRecommendations(h.recommendations),
    scaleUpEvents: readEvents(h.scaleUpEvents),
    scaleDownEvents: readEvents(h.scaleDownEvents),
    consecutiveFailures: isFiniteNumber(h.consecutiveFailures) ? h.consecutiveFailures : 0,
  };
  if (isFiniteNumber(h.lastActiveTime)) working.lastActiveTime = h.lastActiveTime;
  return working;
}

/** The JSON form to persist: empty parts are left out. */
export function toPersistedHistory(w: WorkingHistory): ScalerHistory {
  const out: ScalerHistory = {};
  if (w.recommendations.length > 0) out.recommendations = w.recommendations.map((r) => ({ ...r }));
  if (w.scaleUpEvents.length > 0) out.scaleUpEvents = w.scaleUpEvents.map((e) => ({ ...e }));
  if (w.scaleDownEvents.length > 0) out.scaleDownEvents = w.scaleDownEvents.map((e) => ({ ...e }));
  if (w.lastActiveTime !== undefined) out.lastActiveTime = w.lastActiveTime;
  if (w.consecutiveFailures > 0) out.consecutiveFailures = w.consecutiveFailures;
  return out;
}

/** Upstream seeds an autoscaler it has never seen with the current replica count. */
export function recordInitialRecommendation(w: WorkingHistory, currentReplicas: number, now: number): void {
  if (w.recommendations.length === 0) w.recommendations.push({ timestamp: now, replicas: currentReplicas });
}

export function cloneWorkingHistory(w: WorkingHistory): WorkingHistory {
  return toWorkingHistory(toPersistedHistory(w));
}
