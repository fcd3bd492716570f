import { WorkQueue } from './work-queue.js';
import { ExponentialRateLimiter } from './rate-limiter.js';

const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));

describe('WorkQueue', () => {
  it('stores a key once however often it is added', async () => {
    const q = new WorkQueue();
    q.add('a');
    q.add('a');
    q.add('b');
    expect(q.length).toBe(2);
    expect(await q.get()).toBe('a');
    expect(await q.get()).toBe('b');
  });

  it('never hands out a key that is being processed, and re-queues it when added meanwhile', async () => {
    const q = new WorkQueue();
    q.add('a');
    const key = await q.get();
    q.add('a');
    expect(q.length).toBe(0);
    let second: string | undefined;
    void q.get().then((k) => (second = k));
    await tick();
    expect(second).toBeUndefined();
    q.done(key!);
    await tick();
    expect(second).toBe('a');
  });

  it('delays addAfter, keeping the earliest of two delays', async () => {
    const q = new WorkQueue();
    q.addAfter('a', 50);
    q.addAfter('a', 10);
    expect(q.length).toBe(0);
    await tick(20);
    expect(q.length).toBe(1);
    await tick(50);
    expect(q.length).toBe(1);
  });

  it('counts as unfinished the keys in hand and those delayed to finish a held write, not periodic ones', () => {
    const q = new WorkQueue();
    q.add('now');
    q.addAfter('poll', 2_000);
    q.addAfter('held', 15_000, true);
    expect(q.unfinished).toBe(2);
    // An earlier periodic requeue of a held key keeps it unfinished.
    q.addAfter('held', 1_000);
    q.addAfter('poll', 30_000, true);
    expect(q.unfinished).toBe(3);
    q.shutDown();
  });

  it('backs off rate-limited adds exponentially until forgotten', async () => {
    const q = new WorkQueue({ rateLimiter: new ExponentialRateLimiter(5, 1000) });
    q.addRateLimited('a');
    q.addRateLimited('a');
    q.addRateLimited('a');
    expect(q.failures('a')).toBe(3);
    q.forget('a');
    expect(q.failures('a')).toBe(0);
  });

  it('wakes waiting workers with undefined on shutdown', async () => {
    const q = new WorkQueue();
    const waiting = q.get();
    q.shutDown();
    expect(await waiting).toBeUndefined();
    q.add('late');
    expect(q.length).toBe(0);
  });
});
