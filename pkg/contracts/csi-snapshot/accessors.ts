// Names the external-snapshotter uses and readers over its objects.
import type { VolumeSnapshotClass } from './generated/volume-snapshot-class.js';
import type { VolumeSnapshot } from './generated/volume-snapshot.js';

export const snapshotGroup = 'snapshot.storage.k8s.io';

/** On the VolumeSnapshotClass a driver's snapshots use when none is named. */
export const defaultSnapshotClassAnnotation = 'snapshot.storage.kubernetes.io/is-default-class';

export const snapshotterFinalizers = {
  /** On a VolumeSnapshot while a claim is being restored from it. */
  asSource: 'snapshot.storage.kubernetes.io/volumesnapshot-as-source-protection',
  /** On a VolumeSnapshot bound to its content. */
  bound: 'snapshot.storage.kubernetes.io/volumesnapshot-bound-protection',
  /** On a VolumeSnapshotContent bound to its VolumeSnapshot. */
  contentBound: 'snapshot.storage.kubernetes.io/volumesnapshotcontent-bound-protection',
  /** On a claim while a snapshot of it is being cut. */
  claimAsSource: 'snapshot.storage.kubernetes.io/pvc-as-source-protection',
} as const;

export function volumeSnapshotReady(vs: VolumeSnapshot | undefined): boolean {
  return vs?.status?.readyToUse === true;
}

/** The class a driver's snapshots get by default: its only one, else the one annotated default. */
export function defaultSnapshotClass(classes: VolumeSnapshotClass[], driver: string): VolumeSnapshotClass | undefined {
  const mine = classes.filter((c) => c.driver === driver);
  return mine.length === 1 ? mine[0] : mine.find((c) => c.metadata.annotations?.[defaultSnapshotClassAnnotation] === 'true');
}
