// What the controllers read of a Pod, which is all the operator's cache
// keeps of one. Pods are the objects it caches most of (two per running VM,
// one per App replica, and the pods of every Scaler's target), and most of
// a pod is spec the controllers never read: volumes, tolerations, the
// containers' images, commands, environment and probes.
import type { Container, Pod, PodStatus } from '../../pkg/kube/core-types.js';
import type { KubeObject } from '../../pkg/meta/object.js';
import { Pods } from '../../pkg/kube/resources.js';
import type { CacheTransform } from '../../pkg/runtime/cache/cache.js';

/** Metadata and status whole; of the spec, the containers' names and resources (the Scaler's requests). */
export interface CachedPod extends KubeObject {
  spec: { containers: Pick<Container, 'name' | 'resources'>[] };
  status?: PodStatus;
}

export function cachedPod(pod: Pod): CachedPod {
  const containers = pod.spec.containers.map(({ name, resources }) => (resources ? { name, resources } : { name }));
  return { ...pod, spec: { containers } };
}

export const cachedPods: CacheTransform = { type: Pods, keep: (o) => cachedPod(o as Pod) };
