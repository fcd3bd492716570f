import { defaultControllerRateLimiter, type RateLimiter } from '../queue/rate-limiter.js';
import { Controller } from './controller.js';
import { TerminalError, type Reconciler, type Request } from './types.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function controllerWith(reconcile: (req: Request) => Promise<unknown>, workers = 2): Controller {
  const reconciler: Reconciler = { reconcile: async (req) => void (await reconcile(req)) };
  return new Controller({ name: 'test', reconciler, workers });
}

describe('Controller', () => {
  it('retries a failing key with exponential backoff while other keys carry on', async () => {
    const attempts: number[] = [];
    const done: string[] = [];
    // Records the delays the controller asks for, so the test checks the
    // backoff itself rather than how punctual a busy machine's timers are.
    const inner = defaultControllerRateLimiter();
    const delays: number[] = [];
    const rateLimiter: RateLimiter = {
      when: (key) => {
        const d = inner.when(key);
        if (key === 'ns/bad') delays.push(d);
        return d;
      },
      forget: (key) => inner.forget(key),
      failures: (key) => inner.failures(key),
    };
    const c = new Controller({
      name: 'test',
      workers: 2,
      rateLimiter,
      reconciler: {
        reconcile: async (req) => {
          if (req.key === 'ns/bad') {
            attempts.push(performance.now());
            throw new Error('boom');
          }
          done.push(req.key);
        },
      },
    });
    const stop = new AbortController();
    const running = c.start(stop.signal);
    c.enqueue('ns/bad');
    c.enqueue('ns/good-1');
    await sleep(700);
    c.enqueue('ns/good-2');
    await sleep(50);
    stop.abort();
    await running;
    expect(done).toEqual(['ns/good-1', 'ns/good-2']);
    // Every failure asked for twice the previous delay: 5, 10, 20, 40 … ms.
    expect(delays.length).toBeGreaterThanOrEqual(4);
    expect(delays).toEqual(delays.map((_, i) => 5 * 2 ** i));
    // And no retry came before its delay was up (1 ms of timer rounding).
    for (let i = 1; i < attempts.length; i++) expect(attempts[i]! - attempts[i - 1]!).toBeGreaterThanOrEqual(delays[i - 1]! - 1);
  });

  it('does not retry terminal errors', async () => {
    let calls = 0;
    const c = controllerWith(async () => {
      calls++;
      throw new TerminalError('spec.size is invalid');
    });
    const stop = new AbortController();
    const running = c.start(stop.signal);
    c.enqueue('ns/x');
    await sleep(200);
    stop.abort();
    await running;
    expect(calls).toBe(1);
  });

  it('survives reconcilers that throw non-Error values or TypeErrors', async () => {
    const seen: string[] = [];
    const c = controllerWith(async (req) => {
      seen.push(req.key);
      if (req.key === 'a') throw 'a string';
      if (req.key === 'b') (undefined as unknown as { x: number }).x;
    }, 1);
    const stop = new AbortController();
    const running = c.start(stop.signal);
    c.enqueue('a');
    c.enqueue('b');
    c.enqueue('c');
    await sleep(50);
    stop.abort();
    await running;
    expect(seen.slice(0, 3)).toEqual(['a', 'b', 'c']);
  });

  it('requeues after the requested delay and lets in-flight reconciles finish on shutdown', async () => {
    const times: number[] = [];
    let finished = false;
    const reconciler: Reconciler = {
      reconcile: async (req) => {
        times.push(performance.now());
        if (req.key === 'slow') {
          await sleep(100);
          finished = true;
          return;
        }
        return times.length < 3 ? { requeueAfterMs: 30 } : undefined;
      },
    };
    const c = new Controller({ name: 'requeue', reconciler, workers: 2 });
    const stop = new AbortController();
    const running = c.start(stop.signal);
    c.enqueue('x');
    await sleep(120);
    expect(times.length).toBe(3);
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(25);
    c.enqueue('slow');
    await sleep(10);
    stop.abort();
    await running;
    expect(finished).toBe(true);
  });
});
