// A VMI's status.volumeStatus, as virt-controller and virt-handler keep it:
// every volume with its device target and its claim's access modes (which
// decide whether the VMI can migrate), and hotplugged volumes through their
// phases — Pending or Bound (the claim), AttachedToNode (an attachment pod
// holds it), MountedToPod, Ready (the guest sees the disk) and, once removed
// from the spec, UnMountedFromPod and Detaching until no attachment pod holds
// it. Pure: `mountedFor` says how long a volume has been mounted.
import type { PersistentVolumeClaim, Pod } from '../../kube/core-types.js';
import type { VirtualMachineInstance, VmiVolume, VmiVolumeStatus } from '../../contracts/kubevirt/index.js';

/** CDI's default filesystem overhead, which KubeVirt reports without a CDIConfig saying otherwise. */
const defaultFilesystemOverhead = '0.055';

export function isHotplugVolume(v: VmiVolume): boolean {
  return !!(v.persistentVolumeClaim?.hotpluggable || v.dataVolume?.hotpluggable);
}

export function claimOf(v: VmiVolume): string | undefined {
  return v.persistentVolumeClaim?.claimName ?? v.dataVolume?.name;
}

/** The claims an attachment pod mounts, by volume name. */
export function attachedVolumes(pod: Pod): string[] {
  return ((pod.spec.volumes ?? []) as { name: string; persistentVolumeClaim?: unknown }[]).filter((v) => v.persistentVolumeClaim).map((v) => v.name);
}

export const podReady = (p: Pod): boolean => !p.metadata.deletionTimestamp && !!p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');

export interface VolumeInputs {
  claims: (name: string) => PersistentVolumeClaim | undefined;
  /** The attachment pods of the VMI's launcher pod. */
  attachmentPods: Pod[];
  /** How long (ms) the volume has been mounted in a ready attachment pod; starts the count when first asked. */
  mountedFor: (volume: string) => number;
  hotplugAttachMs: number;
}

function claimInfo(claim: PersistentVolumeClaim | undefined): Pick<VmiVolumeStatus, 'persistentVolumeClaimInfo'> {
  if (!claim) return {};
  return {
    persistentVolumeClaimInfo: {
      claimName: claim.metadata.name,
      accessModes: claim.spec.accessModes ?? [],
      volumeMode: claim.spec.volumeMode ?? 'Filesystem',
      ...(claim.status?.capacity ? { capacity: claim.status.capacity } : {}),
      ...(claim.spec.resources?.requests ? { requests: claim.spec.resources.requests } : {}),
      filesystemOverhead: defaultFilesystemOverhead,
    },
  };
}

/** Device names in disk order: virtio disks vda, vdb, …; SATA and SCSI disks sda, sdb, …. */
function targets(vmi: VirtualMachineInstance): Map<string, string> {
  const out = new Map<string, string>();
  const next = { vd: 0, sd: 0 };
  for (const d of vmi.spec.domain.devices?.disks ?? []) {
    const prefix = (d.disk?.bus ?? 'virtio') === 'virtio' ? 'vd' : 'sd';
    out.set(d.name, `${prefix}${String.fromCharCode(97 + next[prefix]++)}`);
  }
  return out;
}

function hotplugStatus(v: VmiVolume, target: string, i: VolumeInputs): VmiVolumeStatus {
  const claimName = claimOf(v)!;
  const claim = i.claims(claimName);
  const pod = i.attachmentPods.find((p) => !p.metadata.deletionTimestamp && attachedVolumes(p).includes(v.name) && podReady(p)) ?? i.attachmentPods.find((p) => !p.metadata.deletionTimestamp && attachedVolumes(p).includes(v.name));
  const base = { name: v.name, target: '', ...claimInfo(claim) };
  if (!pod) {
    if (!claim) return { ...base, hotplugVolume: {}, phase: 'Pending', reason: 'FailedPvcNotFound', message: `PVC ${claimName} not found` };
    const bound = claim.status?.phase === 'Bound';
    return { ...base, hotplugVolume: {}, phase: bound ? 'Bound' : 'Pending', reason: 'PVCNotReady', message: `PVC is in phase ${bound ? 'Bound' : 'ClaimPending'}` };
  }
  if (!podReady(pod)) {
    return { ...base, hotplugVolume: { attachPodName: pod.metadata.name }, phase: 'AttachedToNode', reason: 'SuccessfulCreate', message: `Created hotplug attachment pod ${pod.metadata.name}, for volume ${v.name}` };
  }
  const hotplugVolume = { attachPodName: pod.metadata.name, attachPodUID: pod.metadata.uid };
  if (i.mountedFor(v.name) < i.hotplugAttachMs) {
    return { ...base, hotplugVolume, phase: 'MountedToPod', reason: 'VolumeMountedToPod', message: `Volume ${v.name} has been mounted in virt-launcher pod` };
  }
  return { ...base, target, hotplugVolume, phase: 'Ready', reason: 'VolumeReady', message: `Successfully attach hotplugged volume ${v.name} to VM` };
}

/** A hotplugged volume removed from the spec: unmounted, then detaching with its attachment pod, then gone. */
function unpluggedStatus(previous: VmiVolumeStatus, i: VolumeInputs): VmiVolumeStatus | undefined {
  const pod = i.attachmentPods.find((p) => attachedVolumes(p).includes(previous.name));
  if (!pod) return undefined;
  if (pod.metadata.deletionTimestamp) {
    return { ...previous, phase: 'Detaching', reason: 'SuccessfulDelete', message: `Deleted hotplug attachment pod ${pod.metadata.name}, for volume ${previous.name}` };
  }
  return { ...previous, target: '', phase: 'UnMountedFromPod', reason: 'VolumeUnMountedFromPod', message: `Volume ${previous.name} has been unmounted from virt-launcher pod` };
}

export function volumeStatus(vmi: VirtualMachineInstance, i: VolumeInputs): VmiVolumeStatus[] {
  const devices = targets(vmi);
  const out: VmiVolumeStatus[] = [];
  const inSpec = new Set<string>();
  for (const v of vmi.spec.volumes ?? []) {
    inSpec.add(v.name);
    const target = devices.get(v.name) ?? '';
    if (isHotplugVolume(v)) out.push(hotplugStatus(v, target, i));
    else {
      const claim = claimOf(v);
      out.push({ name: v.name, target, ...(claim ? claimInfo(i.claims(claim)) : {}) });
    }
  }
  for (const previous of vmi.status?.volumeStatus ?? []) {
    if (inSpec.has(previous.name) || !previous.hotplugVolume) continue;
    const unplugged = unpluggedStatus(previous, i);
    if (unplugged) out.push(unplugged);
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * The hotplug volumes whose claims are bound, or wait for their first
 * consumer (`firstConsumer`: the attachment pod is that consumer, and its
 * scheduling binds them, as virt-controller's volumeReadyToAttachToNode
 * allows): what the current attachment pod should hold.
 */
export function attachableVolumes(vmi: VirtualMachineInstance, claims: (name: string) => PersistentVolumeClaim | undefined, firstConsumer: (claim: PersistentVolumeClaim) => boolean): VmiVolume[] {
  return (vmi.spec.volumes ?? []).filter((v) => {
    const claim = isHotplugVolume(v) ? claims(claimOf(v)!) : undefined;
    return !!claim && (claim.status?.phase === 'Bound' || (claim.status?.phase === 'Pending' && firstConsumer(claim)));
  });
}
