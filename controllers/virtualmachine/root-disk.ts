// A VM's root disk cloned from a DiskImage: a DataVolume KubeVirt makes from
// the VM's template (per member, for a group), cloning the image's CDI
// DataSource; the disk goes with the VM.
import type { VirtualMachine } from '../../pkg/api/types.generated.js';
import type { DataVolumeTemplate } from '../../pkg/contracts/kubevirt/index.js';
import { childLabels } from '../shared/labels.js';

/** The resolved image: the DataSource to clone and the size of its disk. */
export interface ResolvedImage {
  dataSource: string;
  size: string;
}

export function rootDiskDataVolume(vm: VirtualMachine): string {
  return `${vm.metadata.name}-rootdisk`;
}

export function rootDiskTemplate(vm: VirtualMachine, image: ResolvedImage): DataVolumeTemplate {
  return {
    metadata: { name: rootDiskDataVolume(vm), labels: childLabels('virtualMachine', vm.metadata.name!) },
    spec: {
      sourceRef: { kind: 'DataSource', name: image.dataSource },
      storage: { resources: { requests: { storage: String(vm.spec.rootDisk.size ?? image.size) } } },
    },
  };
}
