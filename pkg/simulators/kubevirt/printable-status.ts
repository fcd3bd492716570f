// VirtualMachine.status.printableStatus, decided in KubeVirt's order: the
// first matching rule wins.
import type { DataVolume } from '../../contracts/cdi/index.js';
import type { VirtualMachine as KubeVirtVirtualMachine, VirtualMachineInstance } from '../../contracts/kubevirt/index.js';

export interface PrintableInputs {
  vm: KubeVirtVirtualMachine;
  vmi?: VirtualMachineInstance;
  dataVolumes: DataVolume[];
  unboundClaim: boolean;
  /** Whether the run strategy wants the VM running now. */
  startExpected: boolean;
  stopExpected: boolean;
  inCrashBackoff: boolean;
}

const final = (vmi?: VirtualMachineInstance): boolean => vmi?.status?.phase === 'Succeeded' || vmi?.status?.phase === 'Failed';

function vmiCondition(vmi: VirtualMachineInstance | undefined, type: string, status: string, reason: string): boolean {
  return !!vmi?.status?.conditions?.some((c) => c.type === type && c.status === status && c.reason === reason);
}

function dataVolumeFailed(dv: DataVolume): boolean {
  const running = dv.status?.conditions?.find((c) => c.type === 'Running');
  return dv.status?.phase === 'Failed' || ((dv.status?.restartCount ?? 0) > 0 && running?.reason === 'Error');
}

export function printableStatus(i: PrintableInputs): string {
  const { vm, vmi } = i;
  if (vm.metadata.deletionTimestamp) return 'Terminating';
  if (vmi && !final(vmi) && (vmi.metadata.deletionTimestamp || i.stopExpected)) return 'Stopping';
  if (vmi?.status?.migrationState?.startTimestamp && !vmi.status.migrationState.endTimestamp) return 'Migrating';
  if (vmi?.status?.phase === 'Running') return 'Running';
  if (vmiCondition(vmi, 'Synchronized', 'False', 'FailedPvcNotFound')) return 'ErrorPvcNotFound';
  if (i.dataVolumes.some(dataVolumeFailed)) return 'DataVolumeError';
  if (vmiCondition(vmi, 'PodScheduled', 'False', 'Unschedulable')) return 'ErrorUnschedulable';
  if (i.startExpected && i.dataVolumes.some((dv) => dv.status?.phase !== 'Succeeded')) return 'Provisioning';
  if (i.startExpected && i.unboundClaim) return 'WaitingForVolumeBinding';
  if (vmiCondition(vmi, 'Synchronized', 'False', 'ErrImagePull')) return 'ErrImagePull';
  if (vmiCondition(vmi, 'Synchronized', 'False', 'ImagePullBackOff')) return 'ImagePullBackOff';
  if ((!vmi || final(vmi)) && i.inCrashBackoff) return 'CrashLoopBackOff';
  if ((!vmi && i.startExpected) || (vmi && ['', 'Pending', 'Scheduling', 'Scheduled'].includes(vmi.status?.phase ?? ''))) return 'Starting';
  if (final(vmi) || (!vmi && !i.startExpected)) return 'Stopped';
  return 'Unknown';
}
