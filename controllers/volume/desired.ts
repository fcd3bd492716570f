// What a Volume wants to exist: a PersistentVolumeClaim for a blank disk (or
// one restored from a CSI VolumeSnapshot), or a CDI DataVolume (which makes
// the claim) when data is imported or cloned (from a Volume or a DiskImage).
import type { Volume } from '../../pkg/api/types.generated.js';
import type { PersistentVolumeClaim } from '../../pkg/kube/core-types.js';
import type { DataVolume } from '../../pkg/contracts/cdi/index.js';
import { childLabels } from '../shared/labels.js';

/** The claim holds the data; it is named after the Volume. */
export function claimName(volume: Volume): string {
  return volume.metadata.name!;
}

/** Whether CDI brings in the data (a DataVolume); blank disks and restores from a snapshot are plain claims. */
export function importsData(volume: Volume): boolean {
  const s = volume.spec.source;
  return !!(s?.http || s?.registry || s?.volume || s?.diskImage);
}

function storageSpec(volume: Volume) {
  return {
    accessModes: [volume.spec.accessMode],
    resources: { requests: { storage: String(volume.spec.size) } },
    volumeMode: volume.spec.volumeMode,
    ...(volume.spec.storageClassName ? { storageClassName: volume.spec.storageClassName } : {}),
  };
}

/** `volumeSnapshot`: the CSI VolumeSnapshot the claim is restored from (source.snapshot). */
export function desiredClaim(volume: Volume, volumeSnapshot?: string): PersistentVolumeClaim {
  const from = volumeSnapshot ? { dataSourceRef: { apiGroup: 'snapshot.storage.k8s.io', kind: 'VolumeSnapshot', name: volumeSnapshot } } : {};
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name: claimName(volume), namespace: volume.metadata.namespace, labels: childLabels('volume', volume.metadata.name!) },
    spec: { ...storageSpec(volume), ...from },
  };
}

/** What a DataVolume copies: the claim of the Volume to clone (source.volume), or the DataSource of the DiskImage (source.diskImage). */
export type CloneOf = { sourceClaim: string } | { dataSource: string };

export function desiredDataVolume(volume: Volume, clone?: CloneOf): DataVolume {
  const s = volume.spec.source ?? {};
  const meta = { name: claimName(volume), namespace: volume.metadata.namespace, labels: childLabels('volume', volume.metadata.name!) };
  if (clone && 'dataSource' in clone) {
    return { apiVersion: 'cdi.kubevirt.io/v1beta1', kind: 'DataVolume', metadata: meta, spec: { sourceRef: { kind: 'DataSource', name: clone.dataSource }, storage: storageSpec(volume) } };
  }
  const source = s.http
    ? { http: { url: s.http.url, ...(s.http.secretRef ? { secretRef: s.http.secretRef.name } : {}) } }
    : s.registry
      ? { registry: { url: s.registry.url } }
      : { pvc: { namespace: volume.metadata.namespace!, name: clone?.sourceClaim ?? '' } };
  return { apiVersion: 'cdi.kubevirt.io/v1beta1', kind: 'DataVolume', metadata: meta, spec: { source, storage: storageSpec(volume) } };
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
