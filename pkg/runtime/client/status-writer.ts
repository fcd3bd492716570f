// Writes an object's status through its /status subresource, and only when
// it differs from what the object already reports: a reconcile that changes
// nothing writes nothing.
import type { KubeObject } from '../../meta/object.js';
import { deepEqual } from '../../util/equality.js';
import type { Client } from './client.js';
import type { ResourceType } from '../../meta/resource.js';

/**
 * Applies `status` (server-side apply on /status, so fields Stratus stops
 * reporting disappear). Returns false when nothing needed writing.
 */
export async function writeStatus<S>(client: Client, type: ResourceType, obj: KubeObject, status: S): Promise<boolean> {
  if (deepEqual(obj.status, status)) return false;
  await client.apply(
    type,
    {
      apiVersion: obj.apiVersion,
      kind: obj.kind,
      metadata: { name: obj.metadata.name, namespace: obj.metadata.namespace },
      status: status as unknown,
    },
    { subresource: 'status', force: true },
  );
  return true;
}
