// Where traffic goes next, with or without a progressive rollout. Without
// spec.rollout, traffic moves to spec.traffic once its revisions are ready.
// With it, a new latest revision takes the latest entry's share in steps:
// each step's split is served once the new revision runs its instances for
// it, holds for the step's pause, and the last gives it everything. The new
// revision failing meanwhile (`failure` says why) halts the rollout and
// moves its share back to the revision it came from at once; it stays there
// until a newer revision is made. The progress lives in status.rollout, so
// a restarted controller carries on where the last one was. Pure.
import type { App, RolloutStatus } from '../../pkg/api/types.generated.js';
import { conditionTime } from '../../pkg/runtime/conditions/conditions.js';
import { nextServed, sameTraffic, type Availability, type Target } from './traffic.js';

export interface Progress {
  /** Where traffic goes now. */
  served: Target[];
  /** Where it is headed this step (spec.traffic, or the rollout's current split). */
  target: Target[];
  rollout?: RolloutStatus;
  requeueAfterMs?: number;
}

/** The latest entry's share given to `revision` instead. */
function latestTo(desired: Target[], revision: string): Target[] {
  return desired.map((t) => (t.latestRevision ? { ...t, revision } : t));
}

/** Step `k`'s split: `to` takes the step's part of the latest entry's share, `from` the rest; past the last step, `desired`. */
function stepTraffic(app: App, desired: Target[], from: string, k: number): Target[] {
  const steps = app.spec.rollout!.steps;
  if (k >= steps.length) return desired;
  return desired.flatMap((t) => {
    if (!t.latestRevision) return [t];
    const part = Math.min(t.percent, Math.max(1, Math.round((t.percent * steps[k]!.percent) / 100)));
    return [{ revision: from, percent: t.percent - part }, { ...t, percent: part }];
  });
}

export function progress(app: App, desired: Target[], served: Target[], available: Availability, failure: (revision: string) => string | undefined, now: number): Progress {
  const latest = desired.find((t) => t.latestRevision)?.revision;
  const current = app.status?.rollout?.revision === latest ? app.status?.rollout : undefined;
  const servedLatest = served.find((t) => t.latestRevision)?.revision;
  const from = current?.from ?? (servedLatest !== latest ? servedLatest : undefined);
  if (!app.spec.rollout || !latest || !from) return { served: nextServed(served, desired, available), target: desired };

  const back = latestTo(desired, from);
  if (current?.rolledBack) return { served: nextServed(served, back, available), target: back, rollout: current };
  const failed = failure(latest);
  const k = current?.step ?? 0;
  const status = (step: number, startedAt?: number): RolloutStatus => ({ revision: latest, from, step, ...(startedAt !== undefined ? { stepStartedAt: conditionTime(startedAt) } : {}) });
  if (failed) {
    const percent = stepTraffic(app, desired, from, k).find((t) => t.latestRevision)?.percent ?? 0;
    return { served: back, target: back, rollout: { ...status(k), rolledBack: `${latest} failed at step ${k + 1} (${percent}%): ${failed}; its traffic went back to ${from}` } };
  }

  const steps = app.spec.rollout.steps;
  const pauseMs = (step: number) => (steps[step]?.pauseSeconds ?? 60) * 1000;
  // Move towards step `step`: done past the last step once served, else the step starts when its split is served.
  const moveTo = (step: number): Progress => {
    const target = stepTraffic(app, desired, from, step);
    const next = nextServed(served, target, available);
    const reached = sameTraffic(next, target);
    if (reached && step >= steps.length) return { served: next, target };
    return { served: next, target, rollout: status(step, reached ? now : undefined), ...(reached ? { requeueAfterMs: pauseMs(step) } : {}) };
  };
  const target = stepTraffic(app, desired, from, k);
  if (!sameTraffic(served, target)) return moveTo(k);
  if (k >= steps.length) return { served, target };
  const started = current?.stepStartedAt ? Date.parse(current.stepStartedAt) : now;
  const left = started + pauseMs(k) - now;
  if (left > 0) return { served, target, rollout: status(k, started), requeueAfterMs: left };
  return moveTo(k + 1);
}
