// Labels, annotations and finalizers KubeVirt puts on the objects it makes
// (kubevirt.io/api core/v1 types.go constants), which Stratus reads and the
// simulated KubeVirt writes.
export const kubevirtLabels = {
  /** On virt-launcher pods: "virt-launcher"; on hotplug attachment pods: "hotplug-disk". */
  app: 'kubevirt.io',
  /** On a VMI's pod and a VM's DataVolumes: the uid of the object that made them. */
  createdBy: 'kubevirt.io/created-by',
  vmName: 'vm.kubevirt.io/name',
  nodeName: 'kubevirt.io/nodeName',
  domain: 'kubevirt.io/domain',
  /** On a pool's members: the ControllerRevision of the pool spec they were made from. */
  poolRevision: 'kubevirt.io/vm-pool-revision-name',
} as const;

/** On a VMI: the generation of its VM's spec it was started from. */
export const vmGenerationAnnotation = 'kubevirt.io/vm-generation';
/** virt-controller's finalizer on the VMIs it makes. */
export const vmiFinalizer = 'kubevirt.io/virtualMachineControllerFinalize';
/** virt-handler's, which virt-api's mutating webhook puts on every VMI; removed once the domain is gone. */
export const vmiHandlerFinalizer = 'kubevirt.io/foregroundDeleteVirtualMachine';
/** The readiness gate virt-launcher pods carry while the VMI is paused. */
export const unpausedGate = 'kubevirt.io/virtual-machine-unpaused';
