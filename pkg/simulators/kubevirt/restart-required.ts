// Whether a running VM's template changed in a way KubeVirt cannot apply
// live (syncRestartRequired in watch/vm): the fields the LiveUpdate rollout
// strategy applies are taken from the current template into the one the VMI
// started from — CPU sockets, guest memory, node selector, affinity,
// tolerations, hotplug volumes and their disks, interfaces that came or went
// through hotplug — and whatever still differs needs a restart. Pure.
import type { VirtualMachineInstance, VirtualMachineInstanceSpec, VmiInterface, VmiNetwork } from '../../contracts/kubevirt/index.js';
import { deepEqual } from '../../util/equality.js';
import { isHotplugVolume } from './volume-status.js';

const byName = <T extends { name: string }>(items: T[] | undefined): Map<string, T> => new Map((items ?? []).map((x) => [x.name, x]));

/** Every volume that was added, changed or removed is a hotplug volume. */
function liveVolumes(old: VirtualMachineInstanceSpec, current: VirtualMachineInstanceSpec): boolean {
  const before = byName(old.volumes);
  for (const v of current.volumes ?? []) {
    const o = before.get(v.name);
    if (isHotplugVolume(v)) before.delete(v.name);
    else if (!o || !deepEqual(o, v)) return false;
    else before.delete(v.name);
  }
  return [...before.values()].every(isHotplugVolume);
}

/** Every disk that was added, changed or removed belongs to a hotplug volume. */
function liveDisks(old: VirtualMachineInstanceSpec, current: VirtualMachineInstanceSpec): boolean {
  const before = byName(old.domain.devices?.disks);
  const oldVolumes = byName(old.volumes);
  const volumes = byName(current.volumes);
  for (const d of current.domain.devices?.disks ?? []) {
    const v = volumes.get(d.name);
    const o = before.get(d.name);
    if (v && isHotplugVolume(v)) before.delete(d.name);
    else if (!o || !deepEqual(o, d)) return false;
    else before.delete(d.name);
  }
  return [...before.values()].every((d) => {
    const v = oldVolumes.get(d.name);
    return (!v || isHotplugVolume(v)) && !d.cdrom;
  });
}

const withoutState = (i: VmiInterface | undefined): VmiInterface | undefined => (i ? { ...i, state: undefined } : undefined);

/** An interface or network the VMI has was removed without the unplug flow (state absent), or changed (vmliveupdate.IsRestartRequired). */
export function interfacesNeedRestart(template: VirtualMachineInstanceSpec, vmi: VirtualMachineInstance): boolean {
  const desired = byName(template.domain.devices?.interfaces);
  for (const current of vmi.spec.domain.devices?.interfaces ?? []) {
    const want = desired.get(current.name);
    if (!want || !deepEqual(withoutState(want), withoutState(current))) return true;
  }
  const nets = byName<VmiNetwork>(template.networks);
  const podNetwork = (list: VmiNetwork[] | undefined) => (list ?? []).some((n) => n.pod);
  if (podNetwork(template.networks) && !podNetwork(vmi.spec.networks)) return true;
  return (vmi.spec.networks ?? []).some((n) => !nets.has(n.name) || !deepEqual(nets.get(n.name), n));
}

/** The template a running VMI started from (its VM revision) against the VM's template now. */
export function restartRequired(started: VirtualMachineInstanceSpec, current: VirtualMachineInstanceSpec, vmi: VirtualMachineInstance, liveUpdate: boolean): boolean {
  const last = structuredClone(started);
  if (liveVolumes(last, current)) last.volumes = current.volumes;
  if (liveDisks(last, current)) last.domain.devices = { ...last.domain.devices, disks: current.domain.devices?.disks };
  if (liveUpdate) {
    if (last.domain.cpu && current.domain.cpu) last.domain.cpu = { ...last.domain.cpu, sockets: current.domain.cpu.sockets };
    if (current.domain.memory?.guest !== undefined) last.domain.memory = { ...last.domain.memory, guest: current.domain.memory.guest };
    last.nodeSelector = current.nodeSelector;
    last.affinity = current.affinity;
    last.tolerations = current.tolerations;
  }
  if (!interfacesNeedRestart(current, vmi)) {
    last.domain.devices = { ...last.domain.devices, interfaces: current.domain.devices?.interfaces };
    last.networks = current.networks;
  }
  // The firmware UUID KubeVirt writes into a VM that had none is the one the VMI runs with.
  const uuid = current.domain.firmware?.uuid;
  if (uuid && vmi.spec.domain.firmware?.uuid === uuid) last.domain.firmware = { ...last.domain.firmware, uuid };
  return !deepEqual(stripUndefined(last), stripUndefined(current));
}

/** JSON as stored: fields set to undefined by the copies above are absent. */
function stripUndefined<T>(x: T): T {
  return JSON.parse(JSON.stringify(x)) as T;
}
