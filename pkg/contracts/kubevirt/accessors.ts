// Typed getters over KubeVirt objects (cluster-api's internal/contract
// idea): what Stratus and the simulators read from them, in one place.
import type { VirtualMachineInstanceSpec } from './generated/virtual-machine-instance.js';
import type { VirtualMachinePool } from './generated/virtual-machine-pool.js';
import type { VirtualMachine, VirtualMachineSpec } from './generated/virtual-machine.js';

interface WithConditions {
  status?: { conditions?: { type: string; status: string; reason?: string; message?: string }[] };
}

/** The condition of `type`, if reported. */
export function conditionOf<T extends WithConditions>(obj: T | undefined, type: string): NonNullable<NonNullable<T['status']>['conditions']>[number] | undefined {
  return obj?.status?.conditions?.find((c) => c.type === type);
}

/** Whether the condition of `type` is True. */
export function hasCondition(obj: WithConditions | undefined, type: string): boolean {
  return conditionOf(obj, type)?.status === 'True';
}

/** The claims an instance's volumes mount: persistentVolumeClaim claims and DataVolumes (whose claim shares the name). */
export function claimNames(spec: VirtualMachineInstanceSpec): string[] {
  return (spec.volumes ?? []).map((v) => v.persistentVolumeClaim?.claimName ?? v.dataVolume?.name).filter((n): n is string => !!n);
}

/** A VM's instance template; one without a spec (which KubeVirt's admission refuses) reads as an empty instance. */
export function templateSpecOf(vm: VirtualMachine): VirtualMachineInstanceSpec {
  return vm.spec.template.spec ?? { domain: { devices: {} } };
}

/** The spec a pool's members are made from; none (which KubeVirt's admission refuses) reads as an empty VM. */
export function memberSpecOf(pool: VirtualMachinePool): VirtualMachineSpec {
  return pool.spec.virtualMachineTemplate.spec ?? { template: {} };
}
