// The scheduler's VolumeBinding step for a pod's claims. A claim of a
// WaitForFirstConsumer StorageClass is provisioned only once the scheduler
// has chosen a node for its first pod: the scheduler writes that node into
// the claim (volume.kubernetes.io/selected-node), the PV controller hands the
// claim to the provisioner, and the pod is bound to the node once its claims
// are bound.
import type { PersistentVolumeClaim, Pod, StorageClass } from '../../kube/core-types.js';
import { PersistentVolumeClaims, StorageClasses } from '../../kube/resources.js';
import type { Cache } from '../../runtime/cache/cache.js';

export const selectedNodeAnnotation = 'volume.kubernetes.io/selected-node';

export type VolumeBinding =
  /** Every claim is bound; `node` if one is provisioned for a node already (its pod goes there). */
  | { ready: true; node?: string }
  /** A claim is being provisioned (for `node`, if delayed): the pod waits. */
  | { waiting: true; node?: string }
  /** Claims to bind on the node the scheduler chooses. */
  | { delayed: PersistentVolumeClaim[] }
  | { unschedulable: string };

export function claimNames(pod: Pod): string[] {
  return (pod.spec.volumes ?? []).flatMap((v) => (v.persistentVolumeClaim ? [v.persistentVolumeClaim.claimName] : []));
}

export function volumeBinding(cache: Cache, pod: Pod): VolumeBinding {
  const delayed: PersistentVolumeClaim[] = [];
  let node: string | undefined;
  let waiting = false;
  for (const name of claimNames(pod)) {
    const claim = cache.get<PersistentVolumeClaim>(PersistentVolumeClaims, pod.metadata.namespace, name);
    if (!claim || claim.metadata.deletionTimestamp) return { unschedulable: `persistentvolumeclaim "${name}" not found` };
    const selected = claim.metadata.annotations?.[selectedNodeAnnotation];
    if (selected) node = selected;
    if (claim.spec.volumeName && claim.status?.phase === 'Bound') continue;
    const cls = cache.get<StorageClass>(StorageClasses, undefined, claim.spec.storageClassName ?? '');
    if (cls?.volumeBindingMode === 'WaitForFirstConsumer' && !selected) delayed.push(claim);
    // An Immediate claim still provisioning: the real scheduler reports the pod
    // Unschedulable ("unbound immediate PersistentVolumeClaims") and retries;
    // here the pod waits quietly, as the simulated driver provisions in moments.
    else waiting = true;
  }
  if (waiting) return { waiting: true, node };
  return delayed.length ? { delayed } : { ready: true, node };
}
