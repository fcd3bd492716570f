// What the simulated CSI driver creates: its StorageClass and
// VolumeSnapshotClass, and the PersistentVolume for a claim.
import type { PersistentVolume, PersistentVolumeClaim, StorageClass } from '../../kube/core-types.js';
import { defaultSnapshotClassAnnotation, snapshotGroup, type VolumeSnapshotClass } from '../../contracts/csi-snapshot/index.js';
import { contentMetadata, type DiskContent } from './content.js';
import { defaultClassAnnotation, provisionedByAnnotation, type StorageSimOptions } from './options.js';

/** The driver's StorageClasses: the default one binds at once, the other once a pod uses the claim. */
export function storageClasses(o: StorageSimOptions): StorageClass[] {
  const cls = (name: string, volumeBindingMode: StorageClass['volumeBindingMode'], annotations?: Record<string, string>): StorageClass => ({
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name, ...(annotations ? { annotations } : {}) },
    provisioner: o.driver,
    reclaimPolicy: 'Delete',
    allowVolumeExpansion: true,
    volumeBindingMode,
  });
  return [cls(o.storageClass, 'Immediate', { [defaultClassAnnotation]: 'true' }), cls(o.delayedBindingClass, 'WaitForFirstConsumer')];
}

export function snapshotClass(o: StorageSimOptions): VolumeSnapshotClass {
  return {
    apiVersion: `${snapshotGroup}/v1`,
    kind: 'VolumeSnapshotClass',
    metadata: { name: o.snapshotClass, annotations: { [defaultSnapshotClassAnnotation]: 'true' } },
    driver: o.driver,
    deletionPolicy: 'Delete',
  };
}

export function volumeName(claim: PersistentVolumeClaim): string {
  return `pvc-${claim.metadata.uid}`;
}

export function persistentVolume(claim: PersistentVolumeClaim, cls: StorageClass, o: StorageSimOptions, content: DiskContent): PersistentVolume {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name: volumeName(claim), annotations: { [provisionedByAnnotation]: o.driver, ...contentMetadata(content) } },
    spec: {
      capacity: { storage: claim.spec.resources?.requests?.storage ?? '1Gi' },
      accessModes: claim.spec.accessModes ?? ['ReadWriteOnce'],
      claimRef: {
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        namespace: claim.metadata.namespace,
        name: claim.metadata.name,
        uid: claim.metadata.uid,
      },
      persistentVolumeReclaimPolicy: cls.reclaimPolicy ?? 'Delete',
      storageClassName: cls.metadata.name,
      volumeMode: claim.spec.volumeMode ?? 'Filesystem',
      csi: { driver: o.driver, volumeHandle: `vol-${claim.metadata.uid}`, fsType: 'ext4' },
    },
  };
}
