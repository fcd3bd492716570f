// What a Scaler's status keeps of the algorithm's history, so that a
// restarted controller decides as an uninterrupted one would, or later —
// never scaling down earlier — while a Scaler at rest writes nothing.
//
// The algorithm records a recommendation on every evaluation, as the HPA
// does in memory. The status keeps runs instead: a past run of one
// recommendation with the time it was last made (`until`), and the current
// run without a time. So an unchanged recommendation changes nothing, and a
// restart treats the current run as made just now — the conservative
// reading: it holds a scale-down at least as long as the uninterrupted
// controller, which made it at most until then. Runs that a later one
// dominates in both directions cannot change any window's verdict and are
// dropped. Activity (for the 1 → 0 cooldown) is kept the same way: `active`
// while a metric is above its threshold, the time it last was otherwise.
// Times are RFC 3339 to the second, rounded up: later, never earlier.
import type { ScalerHistory as HistoryStatus } from '../../pkg/api/types.generated.js';
import { statusTime, type Recommendation, type ScaleEvent, type ScalerHistory } from './algorithm/index.js';

/** Most entries a list keeps; beyond it the oldest are merged, conservatively. */
const maxEntries = 64;

interface Run {
  replicas: number;
  /** Milliseconds; undefined for the current run. */
  until?: number;
}

function runsOf(recommendations: readonly Recommendation[]): Run[] {
  const sorted = [...recommendations].sort((a, b) => a.timestamp - b.timestamp);
  const runs: Run[] = [];
  for (const r of sorted) {
    const last = runs.at(-1);
    if (last && last.replicas === r.replicas) last.until = r.timestamp;
    else runs.push({ replicas: r.replicas, until: r.timestamp });
  }
  const current = runs.at(-1);
  if (current) delete current.until;
  // A run with a later one at least as high (for the scale-down window's maximum) and one at
  // least as low (for the scale-up window's minimum) decides nothing any window will ask.
  return runs.filter((run, i) => {
    const later = runs.slice(i + 1);
    return !(later.some((l) => l.replicas >= run.replicas) && later.some((l) => l.replicas <= run.replicas));
  });
}

/** Merges the oldest runs into one that holds their highest count until the latest of them: scale-downs only wait longer. */
function capRuns(runs: Run[]): Run[] {
  if (runs.length <= maxEntries) return runs;
  const merged = runs.slice(0, runs.length - maxEntries + 1);
  const until = Math.max(...merged.map((r) => r.until!));
  return [{ replicas: Math.max(...merged.map((r) => r.replicas)), until }, ...runs.slice(merged.length)];
}

/** Merges the oldest events into one at the latest of their times with their whole change: the policies only count more, for longer. */
function capEvents(events: readonly ScaleEvent[]): ScaleEvent[] {
  const current = events.filter((e) => !e.outdated).sort((a, b) => a.timestamp - b.timestamp);
  if (current.length <= maxEntries) return [...events];
  const merged = current.slice(0, current.length - maxEntries + 1);
  const event = { timestamp: Math.max(...merged.map((e) => e.timestamp)), replicaChange: merged.reduce((n, e) => n + e.replicaChange, 0) };
  return [event, ...current.slice(merged.length)];
}

const eventStatus = (e: ScaleEvent) => ({ time: statusTime(e.timestamp), replicas: e.replicaChange, ...(e.outdated ? { outdated: true } : {}) });

export interface PersistOptions {
  /** Whether a metric is above its activation threshold now. */
  active: boolean;
  /** spec.fallback.failureThreshold: failures past it change no decision. */
  failureThreshold?: number;
}

/** The status form of the working history. */
export function persistHistory(h: ScalerHistory, o: PersistOptions): HistoryStatus {
  const out: HistoryStatus = {};
  const runs = capRuns(runsOf(h.recommendations ?? []));
  if (runs.length) out.recommendations = runs.map((r) => (r.until === undefined ? { replicas: r.replicas } : { replicas: r.replicas, until: statusTime(r.until) }));
  if (h.scaleUpEvents?.length) out.scaleUpEvents = capEvents(h.scaleUpEvents).map(eventStatus);
  if (h.scaleDownEvents?.length) out.scaleDownEvents = capEvents(h.scaleDownEvents).map(eventStatus);
  if (o.active) out.active = true;
  else if (h.lastActiveTime !== undefined) out.lastActiveTime = statusTime(h.lastActiveTime);
  const failures = Math.min(h.consecutiveFailures ?? 0, o.failureThreshold ?? 0);
  if (failures > 0) out.failures = failures;
  return out;
}

function time(s: string | undefined): number | undefined {
  const ms = s === undefined ? NaN : Date.parse(s);
  return Number.isFinite(ms) ? ms : undefined;
}

/** The working history a controller without one starts from: the current run and an ongoing activity as of `now`. */
export function restoreHistory(status: HistoryStatus | undefined, now: number): ScalerHistory {
  const h: ScalerHistory = {};
  const recommendations = (status?.recommendations ?? []).flatMap((r) => {
    const until = r.until === undefined ? now : time(r.until);
    return until === undefined ? [] : [{ timestamp: until, replicas: r.replicas }];
  });
  if (recommendations.length) h.recommendations = recommendations;
  const events = (list: HistoryStatus['scaleUpEvents']): ScaleEvent[] =>
    (list ?? []).flatMap((e) => {
      const at = time(e.time);
      return at === undefined ? [] : [{ timestamp: at, replicaChange: e.replicas, ...(e.outdated ? { outdated: true } : {}) }];
    });
  const up = events(status?.scaleUpEvents);
  const down = events(status?.scaleDownEvents);
  if (up.length) h.scaleUpEvents = up;
  if (down.length) h.scaleDownEvents = down;
  const lastActive = status?.active ? now : time(status?.lastActiveTime);
  if (lastActive !== undefined) h.lastActiveTime = lastActive;
  if (status?.failures) h.consecutiveFailures = status.failures;
  return h;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const within = <T>(next: readonly T[] | undefined, previous: readonly T[] | undefined) => (next ?? []).every((n) => (previous ?? []).some((p) => same(n, p)));

/**
 * `previous` when `next` only lacks entries of it (they expired): dropping
 * what no decision can use any more is not worth a write. Restoring the
 * stale entries later changes nothing either, since they are expired then.
 */
export function keepUnlessNew(next: HistoryStatus, previous: HistoryStatus | undefined): HistoryStatus {
  if (!previous) return next;
  const unchanged =
    within(next.recommendations, previous.recommendations) &&
    within(next.scaleUpEvents, previous.scaleUpEvents) &&
    within(next.scaleDownEvents, previous.scaleDownEvents) &&
    next.active === previous.active &&
    next.lastActiveTime === previous.lastActiveTime &&
    next.failures === previous.failures;
  return unchanged ? previous : next;
}
