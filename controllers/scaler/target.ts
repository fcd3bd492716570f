// The Scaler's target: anything with a scale subresource. Its /scale gives
// the replicas and the selector of its pods.
import { stuck, Stuck, waiting, Waiting, type Problem } from '../shared/problems.js';
import type { Scaler } from '../../pkg/api/types.generated.js';
import type { CachedPod } from '../shared/cached-pod.js';
import { Pods } from '../../pkg/kube/resources.js';
import { isNotFound } from '../../pkg/runtime/client/api-error.js';
import type { Cache } from '../../pkg/runtime/cache/cache.js';
import type { Client, Scale } from '../../pkg/runtime/client/client.js';
import { NoKindMatchError, type MappedResource, type RestMapper } from '../../pkg/runtime/client/rest-mapper.js';

export interface Target {
  type: MappedResource;
  scale: Scale;
  pods: CachedPod[];
}

export type TargetResult = { target: Target } | { problem: Problem };

export async function resolveTarget(scaler: Scaler, mapper: RestMapper, client: Client, cache: Cache): Promise<TargetResult> {
  const ref = scaler.spec.scaleTargetRef;
  const ns = scaler.metadata.namespace;
  let type: MappedResource;
  try {
    type = await mapper.resourceFor(ref.apiVersion, ref.kind);
  } catch (err) {
    if (err instanceof NoKindMatchError) return { problem: stuck(Stuck.InvalidTarget, `spec.scaleTargetRef: ${err.message}`) };
    throw err;
  }
  if (!type.subresources.includes('scale')) return { problem: stuck(Stuck.InvalidTarget, `spec.scaleTargetRef: ${ref.kind} has no scale subresource`) };
  let scale: Scale;
  try {
    scale = await client.getScale(type, ns, ref.name);
  } catch (err) {
    if (isNotFound(err)) return { problem: waiting(Waiting.Target, `${ref.kind} ${ref.name} does not exist`) };
    throw err;
  }
  const selector = scale.status.selector;
  const pods = selector ? cache.list<CachedPod>(Pods, { namespace: ns, labelSelector: selector }) : [];
  return { target: { type, scale, pods } };
}
