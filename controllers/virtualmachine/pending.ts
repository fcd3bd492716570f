// Which spec changes wait for a restart: those a running instance cannot
// take live (live-update.ts).
import type { VirtualMachine } from '../../pkg/api/types.generated.js';
import type { VirtualMachine as KubeVirtVirtualMachine, VirtualMachineInstance } from '../../pkg/contracts/kubevirt/index.js';
import { changesOf } from './live-update.js';

/** spec.<field> for each change the running VMI needs a restart for; [] when stopped. */
export function pendingChanges(vm: VirtualMachine, vmi: VirtualMachineInstance | undefined, kubevirtVm?: KubeVirtVirtualMachine): string[] {
  return changesOf(vm, vmi, kubevirtVm)
    .filter((c) => c.state === 'pending')
    .map((c) => c.field);
}
