// What a Volume wants to exist: a PersistentVolumeClaim for a blank disk, or
// a CDI DataVolume (which makes the claim) when data is imported or cloned.
import type { Volume } from '../../pkg/api/types.generated.js';
import type { PersistentVolumeClaim } from '../../pkg/kube/core-types.js';
import type { DataVolume } from '../../pkg/contracts/cdi/index.js';
import { childLabels } from '../shared/labels.js';

/** The claim holds the data; it is named after the Volume. */
export function claimName(volume: Volume): string {
  return volume.metadata.name!;
}

export function importsData(volume: Volume): boolean {
  const s = volume.spec.source;
  return !!(s?.http || s?.registry || s?.volume);
}

function storageSpec(volume: Volume) {
  return {
    accessModes: [volume.spec.accessMode],
    resources: { requests: { storage: String(volume.spec.size) } },
    volumeMode: volume.spec.volumeMode,
    ...(volume.spec.storageClassName ? { storageClassName: volume.spec.storageClassName } : {}),
  };
}

export function desiredClaim(volume: Volume): PersistentVolumeClaim {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name: claimName(volume), namespace: volume.metadata.namespace, labels: childLabels('volume', volume.metadata.name!) },
    spec: storageSpec(volume),
  };
}

/** `sourceClaim` is the claim of the Volume to clone, for source.volume. */
export function desiredDataVolume(volume: Volume, sourceClaim?: string): DataVolume {
  const s = volume.spec.source ?? {};
  const source = s.http
    ? { http: { url: s.http.url, ...(s.http.secretRef ? { secretRef: s.http.secretRef.name } : {}) } }
    : s.registry
      ? { registry: { url: s.registry.url } }
      : { pvc: { namespace: volume.metadata.namespace!, name: sourceClaim! } };
  return {
    apiVersion: 'cdi.kubevirt.io/v1beta1',
    kind: 'DataVolume',
    metadata: { name: claimName(volume), namespace: volume.metadata.namespace, labels: childLabels('volume', volume.metadata.name!) },
    spec: { source, storage: storageSpec(volume) },
  };
}

/** A patch growing the claim's request to the Volume's size (for claims CDI made). */
export function claimGrowth(volume: Volume): PersistentVolumeClaim {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name: claimName(volume), namespace: volume.metadata.namespace },
    spec: { resources: { requests: { storage: String(volume.spec.size) } } },
  };
}
