// The simulated CSI driver: provisions and expands volumes for the default
// StorageClass, as external-provisioner and external-resizer would.

export interface StorageSimOptions {
  storageClass: string;
  /** The CSI driver name, also the StorageClass provisioner. */
  driver: string;
  provisionDelayMs: number;
  resizeDelayMs: number;
}

export const defaultStorageOptions: StorageSimOptions = {
  storageClass: 'stratus-sim',
  driver: 'csi.sim.stratus.dev',
  provisionDelayMs: 50,
  resizeDelayMs: 200,
};

export const realisticStorage: Partial<StorageSimOptions> = { provisionDelayMs: 2_000, resizeDelayMs: 5_000 };

/** PVCs carrying this annotation with value ProvisioningFailed are never provisioned. */
export { injectFailureAnnotation } from '../kubelet/options.js';

export const provisionerAnnotation = 'volume.kubernetes.io/storage-provisioner';
export const betaProvisionerAnnotation = 'volume.beta.kubernetes.io/storage-provisioner';
export const provisionedByAnnotation = 'pv.kubernetes.io/provisioned-by';
export const defaultClassAnnotation = 'storageclass.kubernetes.io/is-default-class';
