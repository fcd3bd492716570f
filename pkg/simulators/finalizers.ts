// How the simulated upstream controllers change finalizers: a JSON patch
// that first tests the list it was decided from (or the uid, when there is
// no list yet), as KubeVirt's and the snapshot controller's patches do, so a
// concurrent change or a recreated object makes the patch fail instead of
// overwriting it.
import { isConflict, isInvalid, isNotFound } from '../runtime/client/api-error.js';
import type { Client } from '../runtime/client/client.js';
import type { KubeObject } from '../meta/object.js';
import type { ResourceType } from '../meta/resource.js';
import { deepEqual } from '../util/equality.js';

/** A write that lost its race (the object is gone, changed or replaced): the next reconcile decides again. */
export function ignoreGone(err: unknown): void {
  if (!isNotFound(err) && !isConflict(err) && !isInvalid(err)) throw err;
}

export async function patchFinalizers(client: Client, type: ResourceType, obj: KubeObject, finalizers: string[]): Promise<void> {
  const old = obj.metadata.finalizers;
  if (deepEqual(old ?? [], finalizers)) return;
  await client
    .patch(type, obj.metadata.namespace, obj.metadata.name!, {
      json: [old ? { op: 'test', path: '/metadata/finalizers', value: old } : { op: 'test', path: '/metadata/uid', value: obj.metadata.uid }, { op: 'add', path: '/metadata/finalizers', value: finalizers }],
    })
    .catch(ignoreGone);
}
