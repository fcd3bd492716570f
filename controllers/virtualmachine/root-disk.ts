// A VM's root disk cloned from a DiskImage: a DataVolume KubeVirt makes from
// the VM's template (per member, for a group), cloning the image's CDI
// DataSource; the disk goes with the VM. Once the VM has that template it
// keeps it: a refresh of the image (or the image gone) changes nothing for
// a VM that has its disk.
import type { VirtualMachine } from '../../pkg/api/types.generated.js';
import {
  KubeVirtVirtualMachines,
  memberSpecOf,
  VirtualMachinePools,
  type DataVolumeTemplate,
  type VirtualMachine as KubeVirtVirtualMachine,
  type VirtualMachinePool,
} from '../../pkg/contracts/kubevirt/index.js';
import type { Cache } from '../../pkg/runtime/cache/cache.js';
import { isControlledBy } from '../../pkg/meta/object.js';
import { childLabels } from '../shared/labels.js';

/** The resolved image: the DataSource to clone and the size of the VM's disk. */
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
      storage: { resources: { requests: { storage: image.size } } },
    },
  };
}

/** The image the root disk template of the VM's KubeVirt objects already clones, when it is the one the spec names. */
export function existingRootImage(cache: Cache, vm: VirtualMachine): ResolvedImage | undefined {
  const ns = vm.metadata.namespace;
  const name = vm.metadata.name!;
  let spec: KubeVirtVirtualMachine['spec'] | undefined;
  if (vm.spec.replicas === undefined) {
    const kv = cache.get<KubeVirtVirtualMachine>(KubeVirtVirtualMachines, ns, name);
    spec = kv && isControlledBy(kv, vm.metadata.uid) ? kv.spec : undefined;
  } else {
    const pool = cache.get<VirtualMachinePool>(VirtualMachinePools, ns, name);
    spec = pool && isControlledBy(pool, vm.metadata.uid) ? memberSpecOf(pool) : undefined;
  }
  const template = spec?.dataVolumeTemplates?.find((t) => t?.metadata?.name === rootDiskDataVolume(vm));
  const ref = template?.spec.sourceRef;
  const size = template?.spec.storage?.resources?.requests?.storage;
  return ref?.kind === 'DataSource' && ref.name === vm.spec.rootDisk.diskImage && size !== undefined ? { dataSource: ref.name, size: String(size) } : undefined;
}
