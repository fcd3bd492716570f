// A list+watch cache of one resource type (optionally one namespace).
//
// Compared with client-node's informer it: reconnects after any error with
// backoff (not only 410), relists on 410 Gone and emits the adds, updates and
// deletes that happened meanwhile, asks for bookmarks so reconnects resume
// close to now, and aborts a watch that has gone silent (a half-open
// connection never errors on its own).
import type { IncomingMessage } from 'node:http';
import type { Logger } from 'winston';
import { ApiError, isGone } from '../client/api-error.js';
import type { Client } from '../client/client.js';
import { apiVersionOf, resourcePath, type ResourceType } from '../../meta/resource.js';
import type { KubeObject, ObjectList } from '../../meta/object.js';
import { keyOf } from '../../meta/object.js';
import { sleep } from '../../util/sleep.js';
import { toCached } from './freeze.js';
import { Indexer, type IndexFunc } from './indexer.js';

export type InformerEvent<T extends KubeObject = KubeObject> =
  | { type: 'add'; obj: T }
  | { type: 'update'; obj: T; old: T }
  | { type: 'delete'; obj: T };

export type InformerListener<T extends KubeObject = KubeObject> = (event: InformerEvent<T>) => void;

export interface InformerOptions {
  type: ResourceType;
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Re-deliver every object as an update this often; off by default. */
  resyncPeriodMs?: number;
  /** Abort a watch that received nothing (not even a bookmark) for this long; default 90 s. */
  stallTimeoutMs?: number;
  logger?: Logger;
  /** What of each object to keep (the fields its readers use), before it is cached. */
  transform?: (obj: KubeObject) => KubeObject;
}

interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: KubeObject & { code?: number; reason?: string; message?: string };
}

const minWatchTimeoutSeconds = 300;
const backoffInitialMs = 800;
const backoffMaxMs = 30_000;

export class Informer<T extends KubeObject = KubeObject> {
  readonly options: InformerOptions;
  readonly indexer = new Indexer<T>();
  private readonly client: Client;
  private readonly listeners = new Set<InformerListener<T>>();
  private resourceVersion = '';
  private synced = false;
  private syncWaiters: (() => void)[] = [];
  private running?: Promise<void>;
  /** Counts relists and watch restarts, for tests and metrics. */
  readonly stats = { lists: 0, watches: 0, stalls: 0, errors: 0 };

  constructor(client: Client, options: InformerOptions) {
    this.client = client;
    this.options = options;
  }

  private cached(obj: T): T {
    return toCached((this.options.transform ? this.options.transform(obj) : obj) as T);
  }

  get description(): string {
    const { group, version, resource } = this.options.type;
    return `${group ? group + '/' : ''}${version}/${resource}${this.options.namespace ? ` in ${this.options.namespace}` : ''}`;
  }

  addIndex(name: string, fn: IndexFunc<T>): void {
    this.indexer.addIndex(name, fn);
  }

  /** Subscribes to changes; current objects are replayed as adds when already synced. */
  subscribe(listener: InformerListener<T>): () => void {
    this.listeners.add(listener);
    if (this.synced) for (const obj of this.indexer.list()) listener({ type: 'add', obj });
    return () => this.listeners.delete(listener);
  }

  get hasSynced(): boolean {
    return this.synced;
  }

  waitForSync(signal?: AbortSignal): Promise<void> {
    if (this.synced) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.syncWaiters.push(resolve);
      signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
    });
  }

  get(key: string): T | undefined {
    return this.indexer.get(key);
  }

  list(): T[] {
    return this.indexer.list();
  }

  /** Starts list+watch in the background until `signal` aborts. Idempotent. */
  start(signal: AbortSignal): Promise<void> {
    this.running ??= this.run(signal);
    return this.running;
  }

  private emit(event: InformerEvent<T>): void {
    for (const l of this.listeners) {
      try {
        l(event);
      } catch (err) {
        this.options.logger?.error('informer listener failed', { informer: this.description, error: String(err) });
      }
    }
  }

  private async run(signal: AbortSignal): Promise<void> {
    let backoff = backoffInitialMs;
    let needList = true;
    let resync: NodeJS.Timeout | undefined;
    if (this.options.resyncPeriodMs) {
      resync = setInterval(() => {
        for (const obj of this.indexer.list()) this.emit({ type: 'update', obj, old: obj });
      }, this.options.resyncPeriodMs);
      resync.unref();
    }
    try {
      while (!signal.aborted) {
        try {
          if (needList) {
            await this.relist(signal);
            needList = false;
          }
          const delivered = await this.watch(signal);
          if (delivered) backoff = backoffInitialMs;
        } catch (err) {
          if (signal.aborted) break;
          this.stats.errors++;
          if (isGone(err)) {
            this.options.logger?.info('watch expired (410 Gone); relisting', { informer: this.description });
            needList = true;
            continue;
          }
          this.options.logger?.warn('list/watch failed; retrying', {
            informer: this.description,
            error: err instanceof Error ? err.message : String(err),
            retryInMs: backoff,
          });
          await sleep(backoff * (0.5 + Math.random()), signal).catch(() => {});
          backoff = Math.min(backoff * 2, backoffMaxMs);
        }
      }
    } finally {
      if (resync) clearInterval(resync);
    }
  }

  /** Lists everything and reconciles the store with it, emitting the differences. */
  private async relist(signal: AbortSignal): Promise<void> {
    this.stats.lists++;
    const list: ObjectList<T> = await this.client.listAll<T>(this.options.type, {
      namespace: this.options.namespace,
      labelSelector: this.options.labelSelector,
      fieldSelector: this.options.fieldSelector,
    });
    if (signal.aborted) return;
    const seen = new Set<string>();
    // Items of a built-in kind's list carry no apiVersion and kind (a watch's do):
    // cached objects always have them, so comparing with a desired child holds across a relist.
    const typeMeta = { apiVersion: apiVersionOf(this.options.type), kind: this.options.type.kind };
    for (const item of list.items) {
      const obj = this.cached(item.kind ? item : { ...typeMeta, ...item });
      const key = keyOf(obj);
      seen.add(key);
      const old = this.indexer.get(key);
      this.indexer.upsert(key, obj);
      if (!old) this.emit({ type: 'add', obj });
      else if (old.metadata.resourceVersion !== obj.metadata.resourceVersion) this.emit({ type: 'update', obj, old });
    }
    for (const old of this.indexer.list()) {
      const key = keyOf(old);
      if (!seen.has(key)) {
        this.indexer.remove(key);
        this.emit({ type: 'delete', obj: old });
      }
    }
    this.resourceVersion = list.metadata.resourceVersion ?? '';
    if (!this.synced) {
      this.synced = true;
      for (const w of this.syncWaiters.splice(0)) w();
    }
  }

  /** One watch from the last resourceVersion. Resolves when it ends; true if it delivered anything. */
  private async watch(signal: AbortSignal): Promise<boolean> {
    this.stats.watches++;
    const timeoutSeconds = Math.floor(minWatchTimeoutSeconds * (1 + Math.random()));
    const stallMs = this.options.stallTimeoutMs ?? 90_000;
    const res: IncomingMessage = await this.client.rest.stream(
      resourcePath(this.options.type, this.options.namespace),
      {
        watch: 1,
        allowWatchBookmarks: true,
        resourceVersion: this.resourceVersion,
        timeoutSeconds,
        labelSelector: this.options.labelSelector,
        fieldSelector: this.options.fieldSelector,
      },
      signal,
      stallMs,
    );
    res.socket?.setKeepAlive(true, 15_000);
    let delivered = false;
    return new Promise<boolean>((resolve, reject) => {
      let buffer = '';
      let failure: unknown;
      let watchdog: NodeJS.Timeout | undefined;
      const arm = (): void => {
        clearTimeout(watchdog);
        watchdog = setTimeout(() => {
          this.stats.stalls++;
          this.options.logger?.warn('watch silent too long; reconnecting', { informer: this.description, stallMs });
          res.destroy();
        }, stallMs);
        watchdog.unref();
      };
      arm();
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        arm();
        buffer += chunk;
        let nl: number;
        while ((nl = buffer.indexOf('\n')) >= 0) {
          const line = buffer.slice(0, nl);
          buffer = buffer.slice(nl + 1);
          if (!line.trim()) continue;
          try {
            delivered = this.handle(JSON.parse(line) as WatchEvent) || delivered;
          } catch (err) {
            failure = err;
            res.destroy();
            return;
          }
        }
      });
      const finish = (): void => {
        clearTimeout(watchdog);
        if (failure) reject(failure);
        else resolve(delivered);
      };
      res.on('end', finish);
      res.on('close', finish);
      res.on('error', (err) => {
        failure ??= err;
      });
    });
  }

  /** Applies one watch event; returns true if it was an object change. */
  private handle(event: WatchEvent): boolean {
    if (event.type === 'ERROR') {
      const status = event.object;
      throw new ApiError('watch', this.description, status.code ?? 500, status);
    }
    const rv = event.object.metadata?.resourceVersion;
    if (event.type === 'BOOKMARK') {
      if (rv) this.resourceVersion = rv;
      return false;
    }
    const obj = this.cached(event.object as T);
    const key = keyOf(obj);
    if (rv) this.resourceVersion = rv;
    if (event.type === 'DELETED') {
      const old = this.indexer.get(key);
      this.indexer.remove(key);
      this.emit({ type: 'delete', obj: old ?? obj });
      return true;
    }
    const old = this.indexer.get(key);
    this.indexer.upsert(key, obj);
    this.emit(old ? { type: 'update', obj, old } : { type: 'add', obj });
    return true;
  }
}
