// CSI snapshots (snapshot.storage.k8s.io, kubernetes-csi/external-snapshotter), by group/version/resource.
import { resourceType as t } from '../../meta/resource.js';

export const VolumeSnapshots = t('snapshot.storage.k8s.io', 'v1', 'volumesnapshots', 'VolumeSnapshot');
export const VolumeSnapshotContents = t('snapshot.storage.k8s.io', 'v1', 'volumesnapshotcontents', 'VolumeSnapshotContent', false);
export const VolumeSnapshotClasses = t('snapshot.storage.k8s.io', 'v1', 'volumesnapshotclasses', 'VolumeSnapshotClass', false);
