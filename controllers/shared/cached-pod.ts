// What the controllers read of a Pod, which is all the operator's cache
// keeps of one. Pods are the objects it caches most of (two per running VM,
// one per App replica, and the pods of every Scaler's target), and most of
// a pod is spec the controllers never read: volumes, tolerations, the
// containers' images, commands, environment and probes.
import type { Container, Pod, PodStatus } from '../../pkg/kube/core-types.js';
import type { KubeObject } from '../../pkg/meta/object.js';
import { Pods } from '../../pkg/kube/resources.js';
import type { CacheTransform } from '../../pkg/runtime/cache/cache.js';

type CachedContainer = Pick<Container, 'name' | 'resources' | 'restartPolicy'>;

/** Metadata and status whole; of the spec, the resources of the pod and of its containers and sidecars (the Scaler's requests). */
export interface CachedPod extends KubeObject {
  spec: { containers: CachedContainer[]; initContainers?: CachedContainer[]; resources?: Pod['spec']['resources'] };
  status?: PodStatus;
}

function cachedContainer({ name, resources, restartPolicy }: Container): CachedContainer {
  return { name, ...(resources ? { resources } : {}), ...(restartPolicy ? { restartPolicy } : {}) };
}

export function cachedPod(pod: Pod): CachedPod {
  const { containers, initContainers, resources } = pod.spec;
  return {
    ...pod,
    spec: { containers: containers.map(cachedContainer), ...(initContainers ? { initContainers: initContainers.map(cachedContainer) } : {}), ...(resources ? { resources } : {}) },
  };
}

export const cachedPods: CacheTransform = { type: Pods, keep: (o) => cachedPod(o as Pod) };
