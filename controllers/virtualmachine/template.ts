// The instance template a VM's KubeVirt objects share: disks, volumes,
// interfaces, cloud-init, CPU and memory, and the annotations that record
// what a running instance was started from (restarts, pending changes).
// Pure; `shape` says whether it is one VM's or a group's (whose members get
// their MACs and addresses from KubeVirt and DHCP, not from Stratus).
import type { VirtualMachine } from '../../pkg/api/types.generated.js';
import {
  kubevirtLabels,
  type DataVolumeTemplate,
  type VirtualMachineInstanceSpec,
  type VirtualMachineSpec as KubeVirtVmSpec,
  type VmiDisk,
  type VmiDomain,
  type VmiVolume,
} from '../../pkg/contracts/kubevirt/index.js';
import { childLabels, labelKeys, managedBy, networkMemberLabel } from '../shared/labels.js';
import type { ResolvedInterface } from './addressing.js';
import { rootDiskDataVolume, rootDiskTemplate, type ResolvedImage } from './root-disk.js';
import { cloudInitData, cloudInitVolume, sshSecretName } from './secrets.js';

export type Shape = 'single' | 'group';

export const appliedSpecAnnotation = 'stratus.dev/applied-spec';
export const restartAnnotation = 'stratus.dev/restart-requested-at';

export interface ResolvedReferences {
  /** Volume name → the claim holding its data. */
  claims: Map<string, string>;
  interfaces: ResolvedInterface[];
  /** The DiskImage a root disk clones. */
  image?: ResolvedImage;
  /** A Restore in place holding the VM stopped, whatever its powerState. */
  heldBy?: string;
}

/** The spec fields that take effect only when the VM (re)starts. */
export function restartRelevant(vm: VirtualMachine): Record<string, unknown> {
  const { cpu, memory, instancetype, rootDisk, disks, networks, cloudInit, sshKeys, nodeSelector } = vm.spec;
  return { cpu, memory, instancetype, rootDisk, disks, networks, cloudInit, sshKeys, nodeSelector };
}

function templateSpec(vm: VirtualMachine, refs: ResolvedReferences, shape: Shape): { spec: VirtualMachineInstanceSpec; dataVolumeTemplates?: DataVolumeTemplate[] } {
  const s = vm.spec;
  const name = vm.metadata.name!;
  const disks: VmiDisk[] = [{ name: 'rootdisk', disk: { bus: s.rootDisk.bus }, bootOrder: 1 }];
  const dataVolumeTemplates: DataVolumeTemplate[] = [];
  let root: VmiVolume;
  if (s.rootDisk.image) root = { name: 'rootdisk', containerDisk: { image: s.rootDisk.image } };
  else if (s.rootDisk.diskImage && refs.image) {
    dataVolumeTemplates.push(rootDiskTemplate(vm, refs.image));
    root = { name: 'rootdisk', dataVolume: { name: rootDiskDataVolume(vm) } };
  } else root = { name: 'rootdisk', persistentVolumeClaim: { claimName: refs.claims.get(s.rootDisk.volume!) ?? s.rootDisk.volume! } };
  const volumes: VmiVolume[] = [root];
  for (const d of s.disks ?? []) {
    disks.push({ name: d.name, disk: { bus: d.bus }, ...(d.readOnly ? { readOnly: true } : {}) });
    if (d.volume) {
      volumes.push({ name: d.name, persistentVolumeClaim: { claimName: refs.claims.get(d.volume) ?? d.volume, ...(d.readOnly ? { readOnly: true } : {}) } });
    } else {
      const dvName = `${name}-${d.name}`;
      dataVolumeTemplates.push({
        metadata: { name: dvName, labels: childLabels('virtualMachine', name) },
        spec: {
          source: { blank: {} },
          storage: { resources: { requests: { storage: String(d.size) } }, ...(d.storageClassName ? { storageClassName: d.storageClassName } : {}) },
        },
      });
      volumes.push({ name: d.name, dataVolume: { name: dvName } });
    }
  }
  const cloudInit = cloudInitData(vm, refs, shape);
  if (cloudInit) {
    disks.push({ name: 'cloudinitdisk', disk: { bus: 'virtio' } });
    volumes.push(cloudInitVolume(vm, cloudInit));
  }
  const interfaces = refs.interfaces.map((i) => ({ name: i.name, ...(i.network ? { bridge: {} } : { masquerade: {} }), ...(shape === 'group' ? {} : { macAddress: i.mac }) }));
  const networks = refs.interfaces.map((i) => (i.nad ? { name: i.name, multus: { networkName: i.nad } } : { name: i.name, pod: {} }));
  const domain: VmiDomain = { devices: { disks, interfaces } };
  if (!s.instancetype) {
    domain.cpu = { cores: s.cpu?.cores ?? 1, ...(s.cpu?.dedicated ? { dedicatedCpuPlacement: true } : {}) };
    const memory = String(s.memory ?? '1Gi');
    domain.memory = { guest: memory };
    domain.resources = { requests: { memory } };
  }
  const spec: VirtualMachineInstanceSpec = { domain, networks, volumes };
  if (s.nodeSelector) spec.nodeSelector = s.nodeSelector;
  if (s.sshKeys?.length) {
    spec.accessCredentials = [{ sshPublicKey: { source: { secret: { secretName: sshSecretName(vm) } }, propagationMethod: { noCloud: {} } } }];
  }
  return { spec, ...(dataVolumeTemplates.length ? { dataVolumeTemplates } : {}) };
}

function templateLabels(vm: VirtualMachine): Record<string, string> {
  const labels: Record<string, string> = { ...(vm.metadata.labels ?? {}), ...managedBy, [labelKeys.virtualMachine]: vm.metadata.name!, [kubevirtLabels.domain]: vm.metadata.name! };
  for (const n of vm.spec.networks ?? []) if (n.network) labels[networkMemberLabel(n.network)] = 'true';
  return labels;
}

export function kubevirtSpec(vm: VirtualMachine, refs: ResolvedReferences, shape: Shape): KubeVirtVmSpec {
  const { spec, dataVolumeTemplates } = templateSpec(vm, refs, shape);
  const annotations: Record<string, string> = { [appliedSpecAnnotation]: JSON.stringify(restartRelevant(vm)) };
  if (vm.spec.restartRequestedAt) annotations[restartAnnotation] = vm.spec.restartRequestedAt;
  return {
    runStrategy: vm.spec.powerState === 'Running' && !refs.heldBy ? 'Always' : 'Halted',
    ...(vm.spec.instancetype ? { instancetype: { kind: vm.spec.instancetype.kind, name: vm.spec.instancetype.name } } : {}),
    ...(dataVolumeTemplates ? { dataVolumeTemplates } : {}),
    template: { metadata: { labels: templateLabels(vm), annotations }, spec },
  };
}

