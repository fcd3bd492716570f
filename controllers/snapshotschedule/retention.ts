// Which of a schedule's Snapshots go: per source, the ready ones beyond the
// newest `keep`, and those older than `maxAge` — but never the newest ready
// one of a source (a source whose snapshots keep failing keeps its last good
// one), never one in progress, never one something restores from. A failed
// one goes once a newer one of its source is ready (until then it says why).
export interface Taken {
  name: string;
  /** The source, e.g. VirtualMachine/db. */
  source: string;
  scheduledAt: number;
  ready: boolean;
  failed: boolean;
  inUse: boolean;
}

export interface Retention {
  keep?: number;
  maxAgeMs?: number;
}

export function expired(taken: Taken[], retention: Retention, now: number): string[] {
  const bySource = new Map<string, Taken[]>();
  for (const t of taken) bySource.set(t.source, [...(bySource.get(t.source) ?? []), t]);
  const out: string[] = [];
  for (const list of bySource.values()) {
    const newestFirst = [...list].sort((a, b) => b.scheduledAt - a.scheduledAt);
    const ready = newestFirst.filter((t) => t.ready);
    const old = (t: Taken) => retention.maxAgeMs !== undefined && now - t.scheduledAt > retention.maxAgeMs;
    ready.forEach((t, i) => {
      if (i > 0 && ((retention.keep !== undefined && i >= retention.keep) || old(t)) && !t.inUse) out.push(t.name);
    });
    const newestReady = ready[0]?.scheduledAt ?? -Infinity;
    for (const t of newestFirst) if (t.failed && !t.ready && !t.inUse && (t.scheduledAt < newestReady || old(t))) out.push(t.name);
  }
  return out.sort();
}

/** When the next ready Snapshot grows older than maxAge (to come back then), if ever. */
export function nextExpiry(taken: Taken[], retention: Retention, now: number): number | undefined {
  if (retention.maxAgeMs === undefined) return undefined;
  const times = taken.filter((t) => t.ready && t.scheduledAt + retention.maxAgeMs! > now).map((t) => t.scheduledAt + retention.maxAgeMs! + 1);
  return times.length ? Math.min(...times) : undefined;
}
