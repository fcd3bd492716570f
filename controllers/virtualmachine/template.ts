// The instance template a VM's KubeVirt objects share: disks, volumes,
// interfaces, cloud-init, CPU and memory, and the annotations that record
// what a running instance was started from (restarts, pending changes).
// It is built for KubeVirt's live updates: vCPUs are sockets (hotplugged up
// to maxSockets), memory is guest memory (up to maxGuest), data disks are
// hotplug volumes, and a secondary interface leaving the spec stays as
// `state: absent` until the running instance has let go of it.
// Pure; `shape` says whether it is one VM's or a group's (whose members get
// their MACs and addresses from KubeVirt and DHCP, not from Stratus, and
// whose drains Stratus orchestrates member by member: eviction strategy
// External).
import type { VirtualMachine } from '../../pkg/api/types.generated.js';
import {
  kubevirtLabels,
  type DataVolumeTemplate,
  type VirtualMachineInstanceSpec,
  type VirtualMachineSpec as KubeVirtVmSpec,
  type VmiDisk,
  type VmiDomain,
  type VmiInterface,
  type VmiNetwork,
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
  /** Secondary interfaces the running instances still have that the spec no longer names: unplugged live. */
  unplugging?: { iface: VmiInterface; network: VmiNetwork }[];
  /** The DiskImage a root disk clones. */
  image?: ResolvedImage;
  /** A Restore in place holding the VM stopped, whatever its powerState. */
  heldBy?: string;
}

/** The spec fields a running instance is compared with (what it started with, in the applied-spec annotation). */
export function restartRelevant(vm: VirtualMachine) {
  const { cpu, memory, maxMemory, instancetype, rootDisk, disks, networks, cloudInit, sshKeys, nodeSelector, evictionStrategy } = vm.spec;
  return { cpu, memory, maxMemory, instancetype, rootDisk, disks, networks, cloudInit, sshKeys, nodeSelector, evictionStrategy: evictionStrategy ?? 'LiveMigrateIfPossible' };
}

/** Fields added to the record after instances were already running from it: a record without them is older, not a change. */
export const laterFields: readonly string[] = ['maxMemory', 'evictionStrategy'];

/** The record of restartRelevant a template carries (appliedSpecAnnotation); later fields are written even when unset. */
export function appliedSpec(vm: VirtualMachine): string {
  const fields = restartRelevant(vm);
  return JSON.stringify({ ...fields, ...Object.fromEntries(laterFields.map((f) => [f, fields[f as keyof typeof fields] ?? null])) });
}

/** KubeVirt hotplugs virtio and SCSI disks, not SATA ones. */
export function hotpluggableBus(d: { bus?: string }): boolean {
  return (d.bus ?? 'virtio') !== 'sata';
}

/** What KubeVirt does with the VM on a node drain; a group's members are Stratus's to move, one at a time. */
function evictionStrategy(vm: VirtualMachine, shape: Shape): string {
  const strategy = vm.spec.evictionStrategy ?? 'LiveMigrateIfPossible';
  return shape === 'group' && strategy !== 'None' ? 'External' : strategy;
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
    const hotpluggable = hotpluggableBus(d) ? { hotpluggable: true } : {};
    if (d.volume) {
      volumes.push({ name: d.name, persistentVolumeClaim: { claimName: refs.claims.get(d.volume) ?? d.volume, ...(d.readOnly ? { readOnly: true } : {}), ...hotpluggable } });
    } else {
      const dvName = `${name}-${d.name}`;
      dataVolumeTemplates.push({
        metadata: { name: dvName, labels: childLabels('virtualMachine', name) },
        spec: {
          source: { blank: {} },
          storage: { resources: { requests: { storage: String(d.size) } }, ...(d.storageClassName ? { storageClassName: d.storageClassName } : {}) },
        },
      });
      volumes.push({ name: d.name, dataVolume: { name: dvName, ...hotpluggable } });
    }
  }
  const cloudInit = cloudInitData(vm, refs, shape);
  if (cloudInit) {
    disks.push({ name: 'cloudinitdisk', disk: { bus: 'virtio' } });
    volumes.push(cloudInitVolume(vm, cloudInit));
  }
  const interfaces: VmiInterface[] = refs.interfaces.map((i) => ({ name: i.name, ...(i.network ? { bridge: {} } : { masquerade: {} }), ...(shape === 'group' ? {} : { macAddress: i.mac }) }));
  const networks: VmiNetwork[] = refs.interfaces.map((i) => (i.nad ? { name: i.name, multus: { networkName: i.nad } } : { name: i.name, pod: {} }));
  for (const u of refs.unplugging ?? []) {
    interfaces.push({ ...u.iface, state: 'absent' });
    networks.push(u.network);
  }
  const domain: VmiDomain = { devices: { disks, interfaces } };
  if (!s.instancetype) {
    const cores = s.cpu?.cores ?? 1;
    domain.cpu = { sockets: cores, cores: 1, threads: 1, ...(s.cpu?.maxCores ? { maxSockets: s.cpu.maxCores } : {}), ...(s.cpu?.dedicated ? { dedicatedCpuPlacement: true } : {}) };
    domain.memory = { guest: String(s.memory ?? '1Gi'), ...(s.maxMemory ? { maxGuest: String(s.maxMemory) } : {}) };
  }
  const spec: VirtualMachineInstanceSpec = { domain, networks, volumes, evictionStrategy: evictionStrategy(vm, shape) };
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
  const annotations: Record<string, string> = { [appliedSpecAnnotation]: appliedSpec(vm) };
  if (vm.spec.restartRequestedAt) annotations[restartAnnotation] = vm.spec.restartRequestedAt;
  return {
    runStrategy: vm.spec.powerState === 'Running' && !refs.heldBy ? 'Always' : 'Halted',
    ...(vm.spec.instancetype ? { instancetype: { kind: vm.spec.instancetype.kind, name: vm.spec.instancetype.name } } : {}),
    ...(dataVolumeTemplates ? { dataVolumeTemplates } : {}),
    template: { metadata: { labels: templateLabels(vm), annotations }, spec },
  };
}

