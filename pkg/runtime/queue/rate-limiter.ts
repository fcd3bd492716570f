// How long to wait before retrying a key, as client-go's default controller
// rate limiter decides: the larger of a per-key exponential backoff
// (5 ms doubling to 1000 s) and an overall token bucket (10/s, burst 100).

export interface RateLimiter {
  /** The delay before the next retry of `key`; counts a failure. */
  when(key: string): number;
  /** Forgets the failures of `key` (after a success). */
  forget(key: string): void;
  failures(key: string): number;
}

export class ExponentialRateLimiter implements RateLimiter {
  private readonly counts = new Map<string, number>();
  constructor(
    private readonly baseMs = 5,
    private readonly maxMs = 1000_000,
  ) {}

  when(key: string): number {
    const n = this.counts.get(key) ?? 0;
    this.counts.set(key, n + 1);
    // 2^n overflows to Infinity long before n matters; clamp first.
    return Math.min(this.baseMs * 2 ** Math.min(n, 62), this.maxMs);
  }

  forget(key: string): void {
    this.counts.delete(key);
  }

  failures(key: string): number {
    return this.counts.get(key) ?? 0;
  }
}

/** A token bucket shared by all keys: `qps` tokens a second, at most `burst` saved. */
export class BucketRateLimiter implements RateLimiter {
  private tokens: number;
  private last: number;
  constructor(
    private readonly qps = 10,
    private readonly burst = 100,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = burst;
    this.last = now();
  }

  when(): number {
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) / 1000) * this.qps);
    this.last = t;
    this.tokens -= 1;
    // A negative balance is a reservation: wait until it is paid back.
    return this.tokens >= 0 ? 0 : (-this.tokens / this.qps) * 1000;
  }

  forget(): void {}

  failures(): number {
    return 0;
  }
}

export class MaxOfRateLimiter implements RateLimiter {
  private readonly limiters: RateLimiter[];
  constructor(...limiters: RateLimiter[]) {
    this.limiters = limiters;
  }

  when(key: string): number {
    return Math.max(...this.limiters.map((l) => l.when(key)));
  }

  forget(key: string): void {
    for (const l of this.limiters) l.forget(key);
  }

  failures(key: string): number {
    return Math.max(...this.limiters.map((l) => l.failures(key)));
  }
}

export function defaultControllerRateLimiter(): RateLimiter {
  return new MaxOfRateLimiter(new ExponentialRateLimiter(5, 1000_000), new BucketRateLimiter(10, 100));
}
