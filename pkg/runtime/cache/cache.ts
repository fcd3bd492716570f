// The shared cache: one informer per resource type, shared by every
// controller of a manager, read through get/list/byIndex.
import type { Logger } from 'winston';
import type { Client } from '../client/client.js';
import type { ResourceType } from '../../meta/resource.js';
import { objectKey } from '../../meta/resource.js';
import { selectorMatcher, stringSelectorMatcher, type LabelSelector } from '../../meta/labels.js';
import type { KubeObject } from '../../meta/object.js';
import { Informer } from './informer.js';

export const namespaceIndex = 'namespace';
export const ownerIndex = 'owner-uid';

/** What the cache keeps of each object of a type: the fields its readers use. */
export interface CacheTransform {
  type: ResourceType;
  keep: (obj: KubeObject) => KubeObject;
}

export interface CacheOptions {
  /** Watch namespaced types in this namespace only. */
  namespace?: string;
  logger?: Logger;
  stallTimeoutMs?: number;
  resyncPeriodMs?: number;
  transforms?: readonly CacheTransform[];
}

export interface CacheListOptions {
  namespace?: string;
  labelSelector?: string | LabelSelector;
}

/** A narrower view than the cache's own: one namespace (even outside the cache's), a field selector. */
export interface InformerScope {
  namespace?: string;
  fieldSelector?: string;
}

function typeKey(type: ResourceType, scope?: InformerScope): string {
  const base = `${type.group}/${type.version}/${type.resource}`;
  return scope ? `${base}?namespace=${scope.namespace ?? ''}&fieldSelector=${scope.fieldSelector ?? ''}` : base;
}

export class Cache {
  private readonly client: Client;
  private readonly options: CacheOptions;
  private readonly informers = new Map<string, Informer>();
  private signal?: AbortSignal;

  constructor(client: Client, options: CacheOptions = {}) {
    this.client = client;
    this.options = options;
  }

  /**
   * The informer for `type` (within `scope`, if given: get/list/byIndex
   * read the unscoped one), created (and started, if the cache runs) on
   * first use.
   */
  informer<T extends KubeObject = KubeObject>(type: ResourceType, scope?: InformerScope): Informer<T> {
    const key = typeKey(type, scope);
    let informer = this.informers.get(key);
    if (!informer) {
      informer = new Informer(this.client, {
        type,
        namespace: type.namespaced ? (scope ? scope.namespace : this.options.namespace) : undefined,
        fieldSelector: scope?.fieldSelector,
        logger: this.options.logger,
        stallTimeoutMs: this.options.stallTimeoutMs,
        resyncPeriodMs: this.options.resyncPeriodMs,
        transform: this.options.transforms?.find((t) => t.type.group === type.group && t.type.resource === type.resource)?.keep,
      });
      informer.addIndex(namespaceIndex, (o) => [o.metadata.namespace ?? '']);
      informer.addIndex(ownerIndex, (o) => (o.metadata.ownerReferences ?? []).map((r) => r.uid));
      this.informers.set(key, informer);
      if (this.signal) void informer.start(this.signal);
    }
    return informer as unknown as Informer<T>;
  }

  start(signal: AbortSignal): void {
    this.signal = signal;
    for (const informer of this.informers.values()) void informer.start(signal);
  }

  async waitForSync(signal?: AbortSignal): Promise<void> {
    await Promise.all([...this.informers.values()].map((i) => i.waitForSync(signal)));
  }

  get hasSynced(): boolean {
    return [...this.informers.values()].every((i) => i.hasSynced);
  }

  get<T extends KubeObject = KubeObject>(type: ResourceType, namespace: string | undefined, name: string): T | undefined {
    return this.informer<T>(type).get(objectKey(type.namespaced ? namespace : undefined, name));
  }

  list<T extends KubeObject = KubeObject>(type: ResourceType, o: CacheListOptions = {}): T[] {
    const informer = this.informer<T>(type);
    const items = o.namespace !== undefined ? informer.indexer.byIndex(namespaceIndex, o.namespace) : informer.list();
    if (!o.labelSelector) return items;
    const matches =
      typeof o.labelSelector === 'string' ? stringSelectorMatcher(o.labelSelector) : selectorMatcher(o.labelSelector);
    return items.filter((obj) => matches(obj.metadata.labels));
  }

  byIndex<T extends KubeObject = KubeObject>(type: ResourceType, index: string, value: string): T[] {
    return this.informer<T>(type).indexer.byIndex(index, value);
  }

  /** Objects of `type` whose controller (or any owner) has this uid. */
  ownedBy<T extends KubeObject = KubeObject>(type: ResourceType, ownerUid: string): T[] {
    return this.byIndex<T>(type, ownerIndex, ownerUid);
  }

  /** Total objects cached, for metrics and the memory benchmark. */
  get size(): number {
    let n = 0;
    for (const i of this.informers.values()) n += i.indexer.size;
    return n;
  }
}
