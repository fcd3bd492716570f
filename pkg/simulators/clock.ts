// Simulated components measure their delays from when they first saw an
// object reach a stage. The times live in memory: after a restart a
// simulator simply starts its delays again, as a restarted kubelet would
// re-run its sync loops.
export class StageClock {
  private readonly seen = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  /** When `id` (e.g. uid + stage) was first seen; records now on first call. */
  since(id: string): number {
    let t = this.seen.get(id);
    if (t === undefined) this.seen.set(id, (t = this.now()));
    return t;
  }

  /** Milliseconds left until `delayMs` has passed since `id` was first seen (0 when done). */
  remaining(id: string, delayMs: number): number {
    return Math.max(0, this.since(id) + delayMs - this.now());
  }

  forget(prefix: string): void {
    for (const key of this.seen.keys()) if (key.startsWith(prefix)) this.seen.delete(key);
  }

  current(): number {
    return this.now();
  }
}

/** RFC 3339 with seconds, as the apiserver stores metav1.Time. */
export function rfc3339(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}
