// The manager runs a set of controllers over one shared cache: it starts the
// caches and waits for them, elects a leader if asked, serves health and
// metrics, and shuts everything down gracefully.
import { setMaxListeners } from 'node:events';
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Logger } from 'winston';
import { Cache, type CacheTransform } from '../cache/cache.js';
import { Client, defaultFieldManager } from '../client/client.js';
import { RestClient, type ClusterAccess } from '../client/rest-client.js';
import type { Controller } from '../controller/controller.js';
import { EventRecorder } from '../events/recorder.js';
import { LeaderElector } from '../leaderelection/leader-elector.js';
import { silentLogger } from '../log/logger.js';
import { RuntimeMetrics } from '../metrics/runtime-metrics.js';
import { HealthServer } from './health-server.js';

/** Something the manager runs alongside the controllers. */
export interface Runnable {
  name: string;
  start(signal: AbortSignal): Promise<void>;
  /** Run only on the leader (default true). */
  needLeaderElection?: boolean;
}

export interface ManagerOptions {
  kubeConfig: ClusterAccess;
  /** Watch and reconcile only this namespace. */
  namespace?: string;
  logger?: Logger;
  metrics?: RuntimeMetrics;
  /** host:port for /healthz, /readyz and /metrics; undefined disables the server. */
  healthAddress?: string;
  leaderElection?: { namespace: string; name: string; identity?: string; leaseDurationMs?: number; renewDeadlineMs?: number; retryPeriodMs?: number };
  fieldManager?: string;
  userAgent?: string;
  stallTimeoutMs?: number;
  /** What the cache keeps of some types' objects (pkg/runtime/cache/cache.ts). */
  cacheTransforms?: readonly CacheTransform[];
}

export class Manager {
  readonly rest: RestClient;
  readonly client: Client;
  readonly cache: Cache;
  readonly metrics: RuntimeMetrics;
  readonly log: Logger;
  readonly identity: string;
  private readonly options: ManagerOptions;
  private readonly controllers: Controller[] = [];
  private readonly runnables: Runnable[] = [];
  private elector?: LeaderElector;
  private health?: HealthServer;
  private started = false;
  /** Set once the caches the controllers start with have synced: /readyz. */
  private synced = false;
  /** The port the health server listens on, once started. */
  healthPort?: number;

  constructor(options: ManagerOptions) {
    this.options = options;
    this.log = options.logger ?? silentLogger();
    this.metrics = options.metrics ?? new RuntimeMetrics();
    this.identity = options.leaderElection?.identity ?? `${hostname()}_${randomBytes(4).toString('hex')}`;
    this.rest = new RestClient(options.kubeConfig, {
      userAgent: options.userAgent ?? 'stratus',
      observer: this.metrics.requestObserver(),
    });
    this.client = new Client(this.rest, options.fieldManager ?? defaultFieldManager);
    this.cache = new Cache(this.client, {
      namespace: options.namespace,
      logger: this.log,
      stallTimeoutMs: options.stallTimeoutMs,
      transforms: options.cacheTransforms,
    });
  }

  get namespace(): string | undefined {
    return this.options.namespace;
  }

  add(controller: Controller): void {
    this.controllers.push(controller);
  }

  /** Every controller idle: nothing queued or in progress now (keys due later aside). */
  get idle(): boolean {
    return this.controllers.every((c) => c.idle);
  }

  addRunnable(runnable: Runnable): void {
    this.runnables.push(runnable);
  }

  eventRecorder(controllerName: string): EventRecorder {
    return new EventRecorder(this.client, `stratus.dev/${controllerName}`, this.identity, this.log);
  }

  get isLeader(): boolean {
    return this.elector ? this.elector.isLeader : this.started;
  }

  /**
   * Runs until `signal` aborts (resolves after in-flight reconciles finish and
   * the lease is released) or leadership is lost (rejects with LeaderLostError).
   */
  async start(signal: AbortSignal): Promise<void> {
    // Every informer, worker and timer listens to the one signal.
    setMaxListeners(0, signal);
    if (this.options.healthAddress !== undefined) {
      this.health = new HealthServer({
        address: this.options.healthAddress,
        registry: this.metrics.registry,
        live: () => true,
        // Informers added later (a Scaler reading a new kind) do not make a running manager unready.
        ready: () => this.synced,
      });
      this.healthPort = await this.health.start();
    }
    try {
      this.cache.start(signal);
      const sources = new Set(this.controllers.flatMap((c) => c.sources));
      try {
        await Promise.all([...sources].map((s) => s.waitForSync(signal)));
      } catch (err) {
        // Stopped before the caches synced (Ctrl-C right after start): a stop, not a failure.
        if (signal.aborted) return;
        throw err;
      }
      this.log.info('caches synced', { informers: sources.size });
      this.synced = true;
      const unelected = this.runnables.filter((r) => r.needLeaderElection === false);
      const background = unelected.map((r) => this.runSafely(r, signal));
      const le = this.options.leaderElection;
      if (!le) {
        this.started = true;
        await Promise.all([this.runLeaderWork(signal), ...background]);
        return;
      }
      this.elector = new LeaderElector({
        client: this.client,
        namespace: le.namespace,
        name: le.name,
        identity: this.identity,
        leaseDurationMs: le.leaseDurationMs,
        renewDeadlineMs: le.renewDeadlineMs,
        retryPeriodMs: le.retryPeriodMs,
        logger: this.log,
        onStartedLeading: (leaderSignal) => {
          this.metrics.leaderStatus.set({ name: le.name }, 1);
          leaderWork = this.runLeaderWork(leaderSignal);
        },
        onStoppedLeading: () => this.metrics.leaderStatus.set({ name: le.name }, 0),
      });
      let leaderWork: Promise<void> | undefined;
      this.metrics.leaderStatus.set({ name: le.name }, 0);
      try {
        await this.elector.run(signal);
      } finally {
        await leaderWork;
        await Promise.all(background);
      }
    } finally {
      await this.health?.stop();
      this.rest.close();
    }
  }

  private async runLeaderWork(signal: AbortSignal): Promise<void> {
    const elected = this.runnables.filter((r) => r.needLeaderElection !== false);
    await Promise.all([...this.controllers.map((c) => c.start(signal)), ...elected.map((r) => this.runSafely(r, signal))]);
  }

  private async runSafely(r: Runnable, signal: AbortSignal): Promise<void> {
    try {
      await r.start(signal);
    } catch (err) {
      if (!signal.aborted) this.log.error('runnable failed', { runnable: r.name, error: (err as Error).message });
    }
  }
}
