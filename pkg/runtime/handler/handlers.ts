// Event handlers turn an informer event into the work-queue keys to reconcile.
import type { InformerEvent } from '../cache/informer.js';
import type { KubeObject } from '../../meta/object.js';
import { keyOf } from '../../meta/object.js';
import { parseApiVersion } from '../../meta/resource.js';

export type Enqueue = (key: string) => void;
export type EventHandler<T extends KubeObject = KubeObject> = (event: InformerEvent<T>, enqueue: Enqueue) => void;

function objectsOf<T extends KubeObject>(event: InformerEvent<T>): T[] {
  return event.type === 'update' ? [event.old, event.obj] : [event.obj];
}

/** Reconcile the object itself (a controller's own kind). */
export const enqueueObject: EventHandler = (event, enqueue) => enqueue(keyOf(event.obj));

/**
 * Reconcile the owner of a child: the ownerReference of the given group and
 * kind (the controlling one, unless `onlyController` is false). On update,
 * both the old and the new owner are enqueued, so a child that changed owner
 * is seen by both.
 */
export function enqueueOwner(owner: { group: string; kind: string }, onlyController = true): EventHandler {
  return (event, enqueue) => {
    for (const obj of objectsOf(event)) {
      for (const ref of obj.metadata.ownerReferences ?? []) {
        if (onlyController && !ref.controller) continue;
        if (ref.kind !== owner.kind || parseApiVersion(ref.apiVersion).group !== owner.group) continue;
        enqueue(obj.metadata.namespace ? `${obj.metadata.namespace}/${ref.name}` : ref.name);
      }
    }
  };
}

/** Reconcile whatever `map` says an object concerns (e.g. the VMs that use a Volume). */
export function enqueueMapped<T extends KubeObject = KubeObject>(map: (obj: T) => string[]): EventHandler<T> {
  return (event, enqueue) => {
    for (const obj of objectsOf(event) as T[]) for (const key of map(obj)) enqueue(key);
  };
}
