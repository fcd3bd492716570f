// Adds and removes one finalizer with an optimistic lock: the patch carries
// the resourceVersion the decision was based on, so a concurrent change makes
// it fail with 409 Conflict (a quiet requeue) instead of overwriting the list.
import type { KubeObject } from '../../meta/object.js';
import type { Client } from './client.js';
import type { ResourceType } from '../../meta/resource.js';

export function hasFinalizer(obj: KubeObject, finalizer: string): boolean {
  return (obj.metadata.finalizers ?? []).includes(finalizer);
}

async function setFinalizers(client: Client, type: ResourceType, obj: KubeObject, finalizers: string[]): Promise<KubeObject> {
  return client.patch(type, obj.metadata.namespace, obj.metadata.name!, { merge: {
    metadata: { resourceVersion: obj.metadata.resourceVersion, finalizers },
  } });
}

/** Returns the updated object, or undefined when the finalizer was already there. */
export async function addFinalizer(client: Client, type: ResourceType, obj: KubeObject, finalizer: string): Promise<KubeObject | undefined> {
  if (hasFinalizer(obj, finalizer)) return undefined;
  return setFinalizers(client, type, obj, [...(obj.metadata.finalizers ?? []), finalizer]);
}

export async function removeFinalizer(client: Client, type: ResourceType, obj: KubeObject, finalizer: string): Promise<KubeObject | undefined> {
  if (!hasFinalizer(obj, finalizer)) return undefined;
  return setFinalizers(client, type, obj, (obj.metadata.finalizers ?? []).filter((f) => f !== finalizer));
}
