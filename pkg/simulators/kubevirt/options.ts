// The simulated KubeVirt: virt-controller (VM → VMI → virt-launcher pod),
// virt-handler (the domain boots), the guest agent, VirtualMachinePools,
// snapshots and restores.

export interface KubeVirtSimOptions {
  /** From the virt-launcher pod being ready to the domain running (VMI phase Running). */
  bootDelayMs: number;
  /** From Running to the guest agent connecting and reporting the guest's addresses. */
  agentDelayMs: number;
  /** The virt-launcher image, as KubeVirt's install names it. */
  launcherImage: string;
  /** How long a VMI with an injected guest crash runs before it fails. */
  crashAfterMs: number;
  /** The feature gates the KubeVirt CR enables (virt-api refuses VirtualMachineSnapshots and Restores without Snapshot). */
  featureGates: string[];
}

export const defaultKubeVirtOptions: KubeVirtSimOptions = {
  bootDelayMs: 200,
  agentDelayMs: 100,
  launcherImage: 'quay.io/kubevirt/virt-launcher:v1.6.2',
  crashAfterMs: 1_000,
  featureGates: ['Snapshot'],
};

export const realisticKubeVirt: Partial<KubeVirtSimOptions> = { bootDelayMs: 15_000, agentDelayMs: 20_000, crashAfterMs: 10_000 };
