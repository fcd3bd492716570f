import { BucketRateLimiter, ExponentialRateLimiter, MaxOfRateLimiter } from './rate-limiter.js';

describe('ExponentialRateLimiter', () => {
  it('doubles from 5 ms per failure of a key and caps at 1000 s', () => {
    const l = new ExponentialRateLimiter(5, 1000_000);
    expect([1, 2, 3, 4].map(() => l.when('a'))).toEqual([5, 10, 20, 40]);
    expect(l.when('b')).toBe(5);
    for (let i = 0; i < 100; i++) l.when('a');
    expect(l.when('a')).toBe(1000_000);
  });

  it('starts over after forget', () => {
    const l = new ExponentialRateLimiter();
    l.when('a');
    l.when('a');
    l.forget('a');
    expect(l.failures('a')).toBe(0);
    expect(l.when('a')).toBe(5);
  });
});

describe('BucketRateLimiter', () => {
  it('lets a burst through, then spaces retries at the rate', () => {
    let now = 0;
    const l = new BucketRateLimiter(10, 2, () => now);
    expect(l.when()).toBe(0);
    expect(l.when()).toBe(0);
    expect(l.when()).toBeCloseTo(100);
    expect(l.when()).toBeCloseTo(200);
    now = 1000;
    expect(l.when()).toBe(0);
  });
});

describe('MaxOfRateLimiter', () => {
  it('waits for the slower of its limiters', () => {
    let now = 0;
    const l = new MaxOfRateLimiter(new ExponentialRateLimiter(5, 1000), new BucketRateLimiter(1, 1, () => now));
    expect(l.when('x')).toBe(5);
    expect(l.when('x')).toBe(1000);
  });
});
