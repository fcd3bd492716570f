// The simulated CSI driver: provisions, clones, expands and snapshots volumes
// for the default StorageClass, as external-provisioner, external-resizer,
// external-snapshotter's sidecar and the snapshot controller would.

export interface StorageSimOptions {
  storageClass: string;
  /** A second StorageClass of the driver, binding WaitForFirstConsumer (as most clouds' defaults do). */
  delayedBindingClass: string;
  /** The VolumeSnapshotClass of the driver (the default one). */
  snapshotClass: string;
  /** The CSI driver name, also the StorageClass provisioner. */
  driver: string;
  provisionDelayMs: number;
  resizeDelayMs: number;
  /** Extra time to provision a volume from a snapshot, or as a clone of another volume (CSI clone). */
  restoreDelayMs: number;
  cloneDelayMs: number;
  /** From a VolumeSnapshotContent to the snapshot being cut (creationTime). */
  snapshotCutDelayMs: number;
  /** From the cut to readyToUse (the driver's upload). */
  snapshotReadyDelayMs: number;
  /** How often a failing snapshot is retried. */
  snapshotRetryMs: number;
}

export const defaultStorageOptions: StorageSimOptions = {
  storageClass: 'stratus-sim',
  delayedBindingClass: 'stratus-sim-wffc',
  snapshotClass: 'stratus-sim-snapshots',
  driver: 'csi.sim.stratus.dev',
  provisionDelayMs: 50,
  resizeDelayMs: 200,
  restoreDelayMs: 100,
  cloneDelayMs: 100,
  snapshotCutDelayMs: 100,
  snapshotReadyDelayMs: 200,
  snapshotRetryMs: 10_000,
};

export const realisticStorage: Partial<StorageSimOptions> = {
  provisionDelayMs: 2_000,
  resizeDelayMs: 5_000,
  restoreDelayMs: 5_000,
  cloneDelayMs: 3_000,
  snapshotCutDelayMs: 1_000,
  snapshotReadyDelayMs: 10_000,
};

/**
 * PVCs carrying this annotation with value ProvisioningFailed are never
 * provisioned; with SnapshotFailed, snapshots of them fail.
 */
export { injectFailureAnnotation } from '../kubelet/options.js';

export const provisionerAnnotation = 'volume.kubernetes.io/storage-provisioner';
export const betaProvisionerAnnotation = 'volume.beta.kubernetes.io/storage-provisioner';
export const provisionedByAnnotation = 'pv.kubernetes.io/provisioned-by';
export const defaultClassAnnotation = 'storageclass.kubernetes.io/is-default-class';
