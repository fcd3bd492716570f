// Which claims KubeVirt can snapshot: those whose StorageClass's driver has a
// VolumeSnapshotClass (KubeVirt's getVolumeSnapshotClassName).
import type { StorageClass } from '../../kube/core-types.js';
import { StorageClasses } from '../../kube/resources.js';
import { defaultSnapshotClass, VolumeSnapshotClasses, type VolumeSnapshotClass } from '../../contracts/csi-snapshot/index.js';
import type { Cache } from '../../runtime/cache/cache.js';

export function snapshotClassFor(cache: Cache, storageClassName: string | undefined): VolumeSnapshotClass | undefined {
  const cls = storageClassName ? cache.get<StorageClass>(StorageClasses, undefined, storageClassName) : undefined;
  return cls ? defaultSnapshotClass(cache.list<VolumeSnapshotClass>(VolumeSnapshotClasses), cls.provisioner) : undefined;
}
