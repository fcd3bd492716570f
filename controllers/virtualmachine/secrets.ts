// The Secrets a VM's instances read when they start: its SSH keys, and its
// cloud-init user and network data (KubeVirt refuses inline cloud-init over
// 2,048 bytes, so Stratus's always goes in a Secret of its own). Pure.
import type { VirtualMachine } from '../../pkg/api/types.generated.js';
import type { VmiVolume } from '../../pkg/contracts/kubevirt/index.js';
import type { KubeObject } from '../../pkg/meta/object.js';
import { childLabels } from '../shared/labels.js';
import { networkData } from './addressing.js';
import type { ResolvedReferences, Shape } from './template.js';

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
export interface CloudInitData {
  /** Absent when the user's own Secret holds the user data. */
  userdata?: string;
  networkdata?: string;
}

/**
 * What the cloud-init Secret holds. A single VM always has network data, so
 * an interface added to it later changes only the Secret (its address
 * reaches the guest at the next boot), not the KubeVirt template, which
 * would then need a restart. Group members get their addresses by DHCP: no
 * network data.
 */
export function cloudInitData(vm: VirtualMachine, refs: ResolvedReferences, shape: Shape): CloudInitData | undefined {
  const s = vm.spec;
  const netData = shape === 'group' ? undefined : networkData(refs.interfaces, true);
  if (!s.cloudInit && !s.sshKeys?.length && !netData) return undefined;
  const data: CloudInitData = {};
  // KubeVirt adds the SSH keys (noCloud propagation) to the user data, so there must be some.
  if (!s.cloudInit?.userDataSecretRef) data.userdata = s.cloudInit?.userData ?? '#cloud-config\n';
  if (netData) data.networkdata = netData;
  return data;
}

/** The Secret KubeVirt reads the VM's cloud-init data from (secretRef, networkDataSecretRef). */
export function desiredCloudInitSecret(vm: VirtualMachine, refs: ResolvedReferences, shape: Shape): KubeObject | undefined {
  const data = cloudInitData(vm, refs, shape);
  if (!data?.userdata && !data?.networkdata) return undefined;
  return secret(vm, cloudInitSecretName(vm), { ...data });
}

export function cloudInitVolume(vm: VirtualMachine, data: CloudInitData): VmiVolume {
  const userSecret = vm.spec.cloudInit?.userDataSecretRef?.name;
  return {
    name: 'cloudinitdisk',
    cloudInitNoCloud: {
      ...(userSecret ? { secretRef: { name: userSecret } } : { secretRef: { name: cloudInitSecretName(vm) } }),
      ...(data.networkdata ? { networkDataSecretRef: { name: cloudInitSecretName(vm) } } : {}),
    },
  };
}

