// What a Stratus VirtualMachine becomes in KubeVirt: a VirtualMachine (or a
// VirtualMachinePool for a group), Secrets with its cloud-init data and SSH
// keys, and a Service for its ports. Pure functions of the spec and the
// resolved references.
import type { VirtualMachine } from '../../pkg/api/types.generated.js';
import {
  kubevirtLabels,
  type DataVolumeTemplate,
  type VirtualMachine as KubeVirtVirtualMachine,
  type VirtualMachineInstanceSpec,
  type VirtualMachinePool,
  type VirtualMachineSpec as KubeVirtVmSpec,
  type VmiDisk,
  type VmiDomain,
  type VmiVolume,
} from '../../pkg/contracts/kubevirt/index.js';
import type { Service } from '../../pkg/kube/core-types.js';
import type { KubeObject } from '../../pkg/runtime/object.js';
import { childLabels, labelKeys, managedBy, networkMemberLabel } from '../shared/labels.js';
import { networkData, type ResolvedInterface } from './addressing.js';

export const appliedSpecAnnotation = 'stratus.dev/applied-spec';
export const restartAnnotation = 'stratus.dev/restart-requested-at';

export interface ResolvedReferences {
  /** Volume name → the claim holding its data. */
  claims: Map<string, string>;
  interfaces: ResolvedInterface[];
}

/** The spec fields that take effect only when the VM (re)starts. */
export function restartRelevant(vm: VirtualMachine): Record<string, unknown> {
  const { cpu, memory, instancetype, rootDisk, disks, networks, cloudInit, sshKeys, nodeSelector } = vm.spec;
  return { cpu, memory, instancetype, rootDisk, disks, networks, cloudInit, sshKeys, nodeSelector };
}

export function sshSecretName(vm: VirtualMachine): string {
  return `${vm.metadata.name}-ssh-keys`;
}

/** Secret data as the apiserver stores it (data, not stringData), so comparing with what exists stays exact. */
function secret(vm: VirtualMachine, name: string, data: Record<string, string>): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace: vm.metadata.namespace, labels: childLabels('virtualMachine', vm.metadata.name!) },
    type: 'Opaque',
    data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
  };
}

export function desiredSshSecret(vm: VirtualMachine): KubeObject | undefined {
  if (!vm.spec.sshKeys?.length) return undefined;
  return secret(vm, sshSecretName(vm), Object.fromEntries(vm.spec.sshKeys.map((k, i) => [`key${i}`, k])));
}

export function cloudInitSecretName(vm: VirtualMachine): string {
  return `${vm.metadata.name}-cloud-init`;
}

/** Inline cloud-init data may not exceed 2,048 bytes in KubeVirt (vmi-create-admitter.go): Stratus's goes in a Secret of its own. */
interface CloudInitData {
  /** Absent when the user's own Secret holds the user data. */
  userdata?: string;
  networkdata?: string;
}

function cloudInitData(vm: VirtualMachine, refs: ResolvedReferences, group: boolean): CloudInitData | undefined {
  const s = vm.spec;
  const netData = group ? undefined : networkData(refs.interfaces);
  if (!s.cloudInit && !s.sshKeys?.length && !netData) return undefined;
  const data: CloudInitData = {};
  // KubeVirt adds the SSH keys (noCloud propagation) to the user data, so there must be some.
  if (!s.cloudInit?.userDataSecretRef) data.userdata = s.cloudInit?.userData ?? '#cloud-config\n';
  if (netData) data.networkdata = netData;
  return data;
}

/** The Secret KubeVirt reads the VM's cloud-init data from (secretRef, networkDataSecretRef). */
export function desiredCloudInitSecret(vm: VirtualMachine, refs: ResolvedReferences): KubeObject | undefined {
  const data = cloudInitData(vm, refs, vm.spec.replicas !== undefined);
  if (!data?.userdata && !data?.networkdata) return undefined;
  return secret(vm, cloudInitSecretName(vm), { ...data });
}

function cloudInitVolume(vm: VirtualMachine, data: CloudInitData): VmiVolume {
  const userSecret = vm.spec.cloudInit?.userDataSecretRef?.name;
  return {
    name: 'cloudinitdisk',
    cloudInitNoCloud: {
      ...(userSecret ? { secretRef: { name: userSecret } } : { secretRef: { name: cloudInitSecretName(vm) } }),
      ...(data.networkdata ? { networkDataSecretRef: { name: cloudInitSecretName(vm) } } : {}),
    },
  };
}

function templateSpec(vm: VirtualMachine, refs: ResolvedReferences, group: boolean): { spec: VirtualMachineInstanceSpec; dataVolumeTemplates?: DataVolumeTemplate[] } {
  const s = vm.spec;
  const name = vm.metadata.name!;
  const disks: VmiDisk[] = [{ name: 'rootdisk', disk: { bus: s.rootDisk.bus }, bootOrder: 1 }];
  const volumes: VmiVolume[] = [
    s.rootDisk.image
      ? { name: 'rootdisk', containerDisk: { image: s.rootDisk.image } }
      : { name: 'rootdisk', persistentVolumeClaim: { claimName: refs.claims.get(s.rootDisk.volume!) ?? s.rootDisk.volume! } },
  ];
  const dataVolumeTemplates: DataVolumeTemplate[] = [];
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
  const cloudInit = cloudInitData(vm, refs, group);
  if (cloudInit) {
    disks.push({ name: 'cloudinitdisk', disk: { bus: 'virtio' } });
    volumes.push(cloudInitVolume(vm, cloudInit));
  }
  const interfaces = refs.interfaces.map((i) => ({ name: i.name, ...(i.network ? { bridge: {} } : { masquerade: {} }), ...(group ? {} : { macAddress: i.mac }) }));
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

function kubevirtSpec(vm: VirtualMachine, refs: ResolvedReferences, group: boolean): KubeVirtVmSpec {
  const { spec, dataVolumeTemplates } = templateSpec(vm, refs, group);
  const annotations: Record<string, string> = { [appliedSpecAnnotation]: JSON.stringify(restartRelevant(vm)) };
  if (vm.spec.restartRequestedAt) annotations[restartAnnotation] = vm.spec.restartRequestedAt;
  return {
    runStrategy: vm.spec.powerState === 'Running' ? 'Always' : 'Halted',
    ...(vm.spec.instancetype ? { instancetype: { kind: vm.spec.instancetype.kind, name: vm.spec.instancetype.name } } : {}),
    ...(dataVolumeTemplates ? { dataVolumeTemplates } : {}),
    template: { metadata: { labels: templateLabels(vm), annotations }, spec },
  };
}

export function desiredKubeVirtVm(vm: VirtualMachine, refs: ResolvedReferences): KubeVirtVirtualMachine {
  return {
    apiVersion: 'kubevirt.io/v1',
    kind: 'VirtualMachine',
    metadata: { name: vm.metadata.name, namespace: vm.metadata.namespace, labels: childLabels('virtualMachine', vm.metadata.name!) },
    spec: kubevirtSpec(vm, refs, false),
  };
}

export function groupSelector(vm: VirtualMachine): Record<string, string> {
  return { [labelKeys.virtualMachine]: vm.metadata.name! };
}

export function desiredPool(vm: VirtualMachine, refs: ResolvedReferences): VirtualMachinePool {
  return {
    apiVersion: 'pool.kubevirt.io/v1beta1',
    kind: 'VirtualMachinePool',
    metadata: { name: vm.metadata.name, namespace: vm.metadata.namespace, labels: childLabels('virtualMachine', vm.metadata.name!) },
    spec: {
      replicas: vm.spec.replicas ?? 1,
      selector: { matchLabels: groupSelector(vm) },
      // Template changes reach the members' specs; Stratus restarts members itself, one at a time (group-restart.ts).
      updateStrategy: { opportunistic: {} },
      virtualMachineTemplate: { metadata: { labels: { ...managedBy, ...groupSelector(vm) } }, spec: kubevirtSpec(vm, refs, true) },
    },
  };
}

export function serviceName(vm: VirtualMachine): string {
  return vm.metadata.name!;
}

export function desiredService(vm: VirtualMachine): Service | undefined {
  if (!vm.spec.ports?.length) return undefined;
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: serviceName(vm), namespace: vm.metadata.namespace, labels: childLabels('virtualMachine', vm.metadata.name!) },
    spec: {
      type: vm.spec.expose?.type ?? 'ClusterIP',
      selector: groupSelector(vm),
      ports: vm.spec.ports.map((p) => ({ name: p.name, port: p.port, targetPort: p.port, protocol: p.protocol })),
    },
  };
}
