// How an App's requests are split between its revisions, and how its
// instances are: spec.traffic says where traffic should go, status.traffic
// where it goes now. Traffic moves to what spec.traffic asks once every
// revision that is to serve runs all its instances, ready. Pure functions.
//
// Instances follow traffic: each revision gets its share of spec.replicas
// (largest remainder, so the shares add up), at least one while it takes any
// traffic or has a tag, and while traffic is about to move a revision keeps
// the larger of its shares before and after. So a new revision is brought
// up to its share before it takes the requests, and the one it replaces
// goes down only after (for a moment an App runs up to twice its instances).
import type { App, TrafficStatus } from '../../pkg/api/types.generated.js';

export interface Target {
  revision: string;
  percent: number;
  tag?: string;
  /** The entry follows the latest revision. */
  latestRevision?: boolean;
}

/** spec.traffic (default: everything to the latest revision), the latest revision resolved to `latest`. */
export function desiredTraffic(app: App, latest: string): Target[] {
  const entries = app.spec.traffic?.length ? app.spec.traffic : [{ latestRevision: true, percent: 100 }];
  return entries.map((t) => ({
    revision: t.latestRevision ? latest : t.revision!,
    percent: t.percent ?? 0,
    ...(t.tag ? { tag: t.tag } : {}),
    ...(t.latestRevision ? { latestRevision: true } : {}),
  }));
}

/** status.traffic as targets, or nothing if it names a revision that is gone. */
export function servedTraffic(app: App, exists: (revision: string) => boolean): Target[] {
  const served = (app.status?.traffic ?? []).map((t: TrafficStatus) => ({
    revision: t.revision,
    percent: t.percent ?? 0,
    ...(t.tag ? { tag: t.tag } : {}),
    ...(t.latestRevision ? { latestRevision: true } : {}),
  }));
  return served.every((t) => exists(t.revision)) ? served : [];
}

function key(t: Target): string {
  return `${t.revision}|${t.percent}|${t.tag ?? ''}|${t.latestRevision ? 1 : 0}`;
}

export function sameTraffic(a: Target[], b: Target[]): boolean {
  return a.length === b.length && a.map(key).sort().join() === b.map(key).sort().join();
}

/** Each revision's share of the requests, in percent (entries for one revision add up). */
export function percents(targets: Target[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const t of targets) out.set(t.revision, (out.get(t.revision) ?? 0) + t.percent);
  return out;
}

/** Revisions that must run instances to serve `targets`: those with a share or a tag. */
export function serving(targets: Target[]): Set<string> {
  return new Set(targets.filter((t) => t.percent > 0 || t.tag).map((t) => t.revision));
}

/** Each revision's instances for serving `targets` with `total` instances. */
export function replicaShares(total: number, targets: Target[]): Map<string, number> {
  const shares = new Map<string, number>();
  const p = percents(targets);
  for (const r of serving(targets)) shares.set(r, 0);
  if (total <= 0) return shares;
  const exact = [...p].filter(([, pct]) => pct > 0).map(([r, pct]) => ({ r, pct, n: (total * pct) / 100 }));
  let left = total;
  for (const e of exact) {
    shares.set(e.r, Math.floor(e.n));
    left -= Math.floor(e.n);
  }
  // Largest remainder; on a tie, the larger share, then the later revision.
  const order = [...exact].sort((a, b) => b.n - Math.floor(b.n) - (a.n - Math.floor(a.n)) || b.pct - a.pct || b.r.localeCompare(a.r));
  for (const e of order.slice(0, left)) shares.set(e.r, shares.get(e.r)! + 1);
  for (const [r, n] of shares) if (n === 0) shares.set(r, 1);
  return shares;
}

/** Instances per revision while traffic goes from one split to the next: the larger share of each. */
export function wantedReplicas(total: number, ...splits: Target[][]): Map<string, number> {
  const out = new Map<string, number>();
  for (const split of splits) for (const [r, n] of replicaShares(total, split)) out.set(r, Math.max(out.get(r) ?? 0, n));
  return out;
}

/** Whether a revision runs all the instances `target` gives it, ready. */
export type Availability = (revision: string, target: Target[]) => boolean;

/**
 * Where traffic goes next: to `target` once every revision it needs runs
 * all its instances (`available`), else where it goes now. Nothing served
 * yet (a new App) takes the target at once.
 */
export function nextServed(served: Target[], target: Target[], available: Availability): Target[] {
  if (!served.length || sameTraffic(served, target)) return target;
  return [...serving(target)].every((r) => available(r, target)) ? target : served;
}

/** The revision the App's own Service sends to: the largest share (the latest on a tie). */
export function primaryRevision(targets: Target[]): string | undefined {
  return [...percents(targets)].sort(([a, x], [b, y]) => y - x || b.localeCompare(a))[0]?.[0];
}
