// The simulated KubeVirt: virt-operator (its KubeVirt CR), virt-controller
// (VM → VMI → virt-launcher pod, migrations, evacuations, workload updates,
// hotplug, snapshots and restores), virt-handler (the domain boots, moves,
// takes hotplugged devices), the guest agent, and VirtualMachinePools.

export interface KubeVirtSimOptions {
  /** From the virt-launcher pod being ready to the domain running (VMI phase Running). */
  bootDelayMs: number;
  /** From Running to the guest agent connecting and reporting the guest's addresses. */
  agentDelayMs: number;
  /** The virt-launcher image, as KubeVirt's install names it. */
  launcherImage: string;
  /** How long a VMI with an injected guest crash runs before it fails. */
  crashAfterMs: number;
  /**
   * Alpha and beta feature gates of the install (its KubeVirt CR): Stratus
   * needs DeclarativeHotplugVolumes to add and remove disks live, and virt-api
   * refuses VirtualMachineSnapshots and Restores without Snapshot.
   */
  featureGates: string[];
  /** The install's workloadUpdateMethods: LiveMigrate is how running VMs take hotplugged CPU, memory and interfaces. */
  workloadUpdateMethods: string[];
  /** From a migration's target pod running to the target virt-handler ready to receive the domain. */
  migrationPrepareMs: number;
  /** How fast guest memory crosses to the target node, in bytes per second. */
  migrationBytesPerSecond: number;
  /** From a hotplug volume being mounted in the launcher pod to the guest seeing the disk. */
  hotplugAttachMs: number;
  /** How long KubeVirt waits for the dynamic networks controller before a hotplugged interface needs a migration (KubeVirt: 15 s). */
  interfaceHotplugGraceMs: number;
}

export const defaultKubeVirtOptions: KubeVirtSimOptions = {
  bootDelayMs: 200,
  agentDelayMs: 100,
  launcherImage: 'quay.io/kubevirt/virt-launcher:v1.8.2',
  crashAfterMs: 1_000,
  featureGates: ['DeclarativeHotplugVolumes', 'Snapshot'],
  workloadUpdateMethods: ['LiveMigrate'],
  migrationPrepareMs: 100,
  migrationBytesPerSecond: 32 * 2 ** 30,
  hotplugAttachMs: 100,
  interfaceHotplugGraceMs: 1_000,
};

/** A 10 GbE migration network, a hotplugged disk seen after two seconds, and KubeVirt's own grace for interfaces. */
export const realisticKubeVirt: Partial<KubeVirtSimOptions> = {
  bootDelayMs: 15_000,
  agentDelayMs: 20_000,
  crashAfterMs: 10_000,
  migrationPrepareMs: 3_000,
  migrationBytesPerSecond: 1.1 * 2 ** 30,
  hotplugAttachMs: 2_000,
  interfaceHotplugGraceMs: 15_000,
};
