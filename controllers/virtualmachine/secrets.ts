// The Secrets a VM's instances read when they start: its SSH keys, and its
// cloud-init data when it cannot go inline in the KubeVirt VM — user data
// too large for KubeVirt, or network data (small user data alone goes
// inline: one write fewer per VM group, and the data is the VM spec's own,
// nothing the VM does not show). Pure.
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

/** KubeVirt refuses inline cloud-init user data or network data over 2,048 bytes each (vmi-create-admitter.go). */
const inlineMaxBytes = 2048;

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

/**
 * Whether the data goes inline: user data within KubeVirt's limit, and no
 * network data. Network data inline would make every interface added to or
 * removed from a running VM a change of the KubeVirt template's cloud-init
 * disk, which KubeVirt applies only at a restart (RestartRequired) — and
 * with it any CPU or memory change; from the Secret the guest reads it at
 * its next boot, and the interface itself is hotplugged live.
 */
function fitsInline(data: CloudInitData): boolean {
  return data.networkdata === undefined && (data.userdata === undefined || Buffer.byteLength(data.userdata) <= inlineMaxBytes);
}

/** The Secret KubeVirt reads the VM's cloud-init data from (secretRef, networkDataSecretRef), when it cannot go inline. */
export function desiredCloudInitSecret(vm: VirtualMachine, refs: ResolvedReferences, shape: Shape): KubeObject | undefined {
  const data = cloudInitData(vm, refs, shape);
  if ((!data?.userdata && !data?.networkdata) || fitsInline(data)) return undefined;
  return secret(vm, cloudInitSecretName(vm), { ...data });
}

export function cloudInitVolume(vm: VirtualMachine, data: CloudInitData): VmiVolume {
  const userSecret = vm.spec.cloudInit?.userDataSecretRef?.name;
  const inline = fitsInline(data);
  const own = { name: cloudInitSecretName(vm) };
  const user = userSecret ? { secretRef: { name: userSecret } } : inline ? { userData: data.userdata } : { secretRef: own };
  const network = !data.networkdata ? {} : inline ? { networkData: data.networkdata } : { networkDataSecretRef: own };
  return { name: 'cloudinitdisk', cloudInitNoCloud: { ...user, ...network } };
}

