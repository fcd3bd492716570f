// A controller: event sources feed a keyed work queue; workers take keys and
// call the reconciler; one place (`finish`) decides what happens next.
import { randomUUID } from 'node:crypto';
import type { Logger } from 'winston';
import type { Informer } from '../cache/informer.js';
import { isConflict, isNamespaceTerminating, isNotFound } from '../client/api-error.js';
import { splitKey } from '../../meta/resource.js';
import { enqueueObject, type EventHandler } from '../handler/handlers.js';
import { silentLogger } from '../log/logger.js';
import type { RuntimeMetrics } from '../metrics/runtime-metrics.js';
import type { KubeObject } from '../../meta/object.js';
import type { Predicate } from '../predicate/predicates.js';
import type { RateLimiter } from '../queue/rate-limiter.js';
import { WorkQueue } from '../queue/work-queue.js';
import { TerminalError, type Reconciler, type Request, type Result } from './types.js';


export interface ControllerOptions {
  name: string;
  reconciler: Reconciler;
  /** Keys reconciled in parallel (never the same key twice); default 1. */
  workers?: number;
  rateLimiter?: RateLimiter;
  logger?: Logger;
  metrics?: RuntimeMetrics;
}

type Outcome = 'success' | 'error' | 'requeue' | 'requeue_after';

export class Controller {
  readonly name: string;
  readonly queue: WorkQueue;
  private readonly options: ControllerOptions;
  private readonly log: Logger;
  private readonly informers: Informer[] = [];
  private readonly unsubscribes: (() => void)[] = [];

  constructor(options: ControllerOptions) {
    this.name = options.name;
    this.options = options;
    this.log = (options.logger ?? silentLogger()).child({ controller: options.name });
    this.queue = new WorkQueue({ rateLimiter: options.rateLimiter, metrics: options.metrics?.queue(options.name) });
  }

  /**
   * Routes an informer's events through `predicates` (all must pass) and
   * `handler` (default: the object's own key) into the queue.
   */
  watch<T extends KubeObject>(
    informer: Informer<T>,
    handler: EventHandler<T> = enqueueObject,
    ...predicates: Predicate<T>[]
  ): this {
    this.informers.push(informer as unknown as Informer);
    this.unsubscribes.push(
      informer.subscribe((event) => {
        if (predicates.every((p) => p(event))) handler(event, (key) => this.queue.add(key));
      }),
    );
    return this;
  }

  /**
   * Like watch, but a key waits `delayMs` before it is reconciled, so a burst
   * of events (e.g. many children changing) becomes one reconcile.
   */
  watchCoalesced<T extends KubeObject>(informer: Informer<T>, delayMs: number, handler: EventHandler<T>, ...predicates: Predicate<T>[]): this {
    this.informers.push(informer as unknown as Informer);
    this.unsubscribes.push(
      informer.subscribe((event) => {
        if (predicates.every((p) => p(event))) handler(event, (key) => this.queue.addAfter(key, delayMs, true));
      }),
    );
    return this;
  }

  /**
   * Nothing being reconciled, queued, or delayed to finish work: a status
   * change settling, a coalesced burst of events, a retry after an error.
   * Periodic requeues (a Scaler's next evaluation, a schedule's next run)
   * are not work in hand.
   */
  get idle(): boolean {
    return this.queue.unfinished === 0;
  }

  enqueue(key: string): void {
    this.queue.add(key);
  }

  /** The informers this controller reads, so the manager can wait for them. */
  get sources(): readonly Informer[] {
    return this.informers;
  }

  /** Runs the workers until `signal` aborts, then lets in-flight reconciles finish. */
  async start(signal: AbortSignal): Promise<void> {
    const stop = (): void => this.queue.shutDown();
    signal.addEventListener('abort', stop, { once: true });
    const workers = Array.from({ length: this.options.workers ?? 1 }, () => this.worker(signal));
    await Promise.all(workers);
    for (const unsubscribe of this.unsubscribes) unsubscribe();
    signal.removeEventListener('abort', stop);
  }

  private async worker(signal: AbortSignal): Promise<void> {
    for (;;) {
      const key = await this.queue.get();
      if (key === undefined) return;
      try {
        if (signal.aborted) continue;
        await this.reconcileKey(key, signal);
      } finally {
        this.queue.done(key);
      }
    }
  }

  private async reconcileKey(key: string, signal: AbortSignal): Promise<void> {
    const reconcileId = randomUUID();
    const log = this.log.child({ key, reconcileID: reconcileId });
    const request: Request = { key, ...splitKey(key) };
    const metrics = this.options.metrics;
    metrics?.activeWorkers.inc({ controller: this.name });
    const started = performance.now();
    let result: Result | void = undefined;
    let error: unknown;
    try {
      result = await this.options.reconciler.reconcile(request, { signal, log, reconcileId });
    } catch (err) {
      error = err;
    } finally {
      metrics?.activeWorkers.dec({ controller: this.name });
      metrics?.reconcileTime.observe({ controller: this.name }, (performance.now() - started) / 1000);
    }
    const outcome = this.finish(key, result, error, log);
    metrics?.reconcileTotal.inc({ controller: this.name, result: outcome });
  }

  /** The one place that decides what follows a reconcile. */
  private finish(key: string, result: Result | void, error: unknown, log: Logger): Outcome {
    if (error !== undefined) {
      if (error instanceof TerminalError) {
        this.queue.forget(key);
        this.options.metrics?.reconcileErrors.inc({ controller: this.name });
        log.error('reconcile failed; not retrying', { error: error.message });
        return 'error';
      }
      if (isNotFound(error)) {
        // The object (or its parent) went away while we worked on it: nothing left to do.
        log.debug('gone; dropping', { error: (error as Error).message });
        this.queue.forget(key);
        return 'success';
      }
      if (isNamespaceTerminating(error)) {
        // The object goes with its namespace; retrying cannot help.
        log.debug('namespace is terminating; dropping', { error: (error as Error).message });
        this.queue.forget(key);
        return 'success';
      }
      if (isConflict(error)) {
        // Someone changed the object since we read it: the cache will catch
        // up and we try again; not worth an error log.
        log.debug('conflict; requeueing', { error: (error as Error).message });
        this.queue.addRateLimited(key);
        return 'requeue';
      }
      if (!(error instanceof Error) || error.name === 'TypeError' || error.name === 'RangeError') {
        this.options.metrics?.reconcilePanics.inc({ controller: this.name });
      }
      this.options.metrics?.reconcileErrors.inc({ controller: this.name });
      log.error('reconcile failed; retrying with backoff', {
        error: error instanceof Error ? error.message : String(error),
        stack: error instanceof Error ? error.stack : undefined,
        failures: this.queue.failures(key) + 1,
      });
      this.queue.addRateLimited(key);
      return 'error';
    }
    if (result?.requeueAfterMs !== undefined && result.requeueAfterMs > 0) {
      this.queue.forget(key);
      this.queue.addAfter(key, result.requeueAfterMs, result.heldWrite);
      return 'requeue_after';
    }
    if (result?.requeue) {
      this.queue.addRateLimited(key);
      return 'requeue';
    }
    this.queue.forget(key);
    return 'success';
  }
}
