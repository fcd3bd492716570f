// Children Stratus has just written that the cache may not show yet. Right
// after a write the informer can still hold the object as it was before (for
// seconds, under load), and a reconcile in that window would find the child
// not as wanted and write the same thing again. A write is remembered until
// the informer delivers any event for that child — ours, or anyone else's —
// so a change by someone else, or a deletion, is never missed: only the same
// desired state, with nothing heard since, is not written twice.
import type { Cache } from '../../pkg/runtime/cache/cache.js';
import type { ResourceType } from '../../pkg/meta/resource.js';
import { objectKey } from '../../pkg/meta/resource.js';
import type { KubeObject } from '../../pkg/meta/object.js';

interface Written {
  hash: string;
  object: KubeObject;
}

export class UnseenWrites {
  private readonly written = new Map<string, Written>();
  private readonly watched = new Set<string>();

  constructor(private readonly cache: Cache) {}

  /** The object last written with this desired-state hash, if nothing has been heard of the child since. */
  unseen<T extends KubeObject>(type: ResourceType, desired: KubeObject, hash: string): T | undefined {
    const w = this.written.get(this.id(type, desired.metadata.namespace, desired.metadata.name!));
    return w?.hash === hash ? (w.object as T) : undefined;
  }

  wrote(type: ResourceType, object: KubeObject, hash: string): void {
    this.watch(type);
    this.written.set(this.id(type, object.metadata.namespace, object.metadata.name!), { hash, object });
  }

  private id(type: ResourceType, namespace: string | undefined, name: string): string {
    return `${type.group}/${type.resource}/${objectKey(type.namespaced ? namespace : undefined, name)}`;
  }

  private watch(type: ResourceType): void {
    const key = `${type.group}/${type.resource}`;
    if (this.watched.has(key)) return;
    this.watched.add(key);
    this.cache.informer(type).subscribe((e) => this.written.delete(this.id(type, e.obj.metadata.namespace, e.obj.metadata.name!)));
  }
}

const byCache = new WeakMap<Cache, UnseenWrites>();

/** The record for one cache (one manager). */
export function unseenWritesOf(cache: Cache): UnseenWrites {
  let w = byCache.get(cache);
  if (!w) byCache.set(cache, (w = new UnseenWrites(cache)));
  return w;
}
