// virt-controller's live updates of a running VMI from its VM (watch/vm
// sync): interfaces hotplugged into or unplugged from the template (state
// absent), hotplug volumes declared in the template (DeclarativeHotplugVolumes),
// and — under the LiveUpdate rollout strategy, while no other change needs a
// restart — CPU sockets up to maxSockets, guest memory up to maxGuest (for a
// VM that can migrate: the new memory arrives with a migration) and the node
// selector. What cannot go live is KubeVirt's RestartRequired message. Pure:
// it returns the JSON patch of the VMI.
import type { VirtualMachineInstance, VirtualMachineInstanceSpec, VmiInterface, VmiNetwork, VmiVolume, VmiDisk } from '../../contracts/kubevirt/index.js';
import { parseQuantity } from '../../kube/quantity.js';
import { deepEqual } from '../../util/equality.js';
import type { ClusterConfig } from './cluster-config.js';
import { isMigratable } from './migrations.js';
import { isHotplugVolume } from './volume-status.js';

export type JsonPatchOp = { op: 'test' | 'add' | 'replace'; path: string; value: unknown };

export interface LiveUpdate {
  /** The VMI patch (tests first, so a concurrent change fails it). */
  ops: JsonPatchOp[];
  /** KubeVirt's RestartRequired message for a change that cannot go live. */
  restartRequired?: string;
  /** A change still in flight that the next one must wait for (KubeVirt retries). */
  busy?: string;
  /** The template's interfaces and networks without the unplugged ones the VMI has let go, when that removes any. */
  detached?: { interfaces: VmiInterface[]; networks: VmiNetwork[] };
}

const byName = <T extends { name: string }>(items: T[] | undefined): Map<string, T> => new Map((items ?? []).map((x) => [x.name, x]));
const condition = (vmi: VirtualMachineInstance, type: string, status: string) => !!vmi.status?.conditions?.some((c) => c.type === type && c.status === status);
const migrating = (vmi: VirtualMachineInstance) => !!vmi.status?.migrationState?.startTimestamp && !vmi.status.migrationState.endTimestamp;
const quantity = (q: string | number | undefined) => (q === undefined ? undefined : parseQuantity(String(q)));

/** Interfaces hotplugged (a bridge or SR-IOV one new in the template) or changing state, and unplugged ones the guest let go of (network controllers/vm.go). */
function syncInterfaces(template: VirtualMachineInstanceSpec, vmi: VirtualMachineInstance): { interfaces: VmiInterface[]; networks: VmiNetwork[] } {
  const interfaces = structuredClone(vmi.spec.domain.devices?.interfaces ?? []);
  const networks = structuredClone(vmi.spec.networks ?? []);
  const templateNets = byName(template.networks);
  for (const want of template.domain.devices?.interfaces ?? []) {
    const have = interfaces.find((i) => i.name === want.name);
    if (!have && want.state !== 'absent' && (want.bridge || want.sriov) && templateNets.has(want.name)) {
      interfaces.push(structuredClone(want));
      networks.push(structuredClone(templateNets.get(want.name)!));
    } else if (have && want.state !== have.state && have.state !== 'absent') have.state = want.state;
  }
  const reported = new Set((vmi.status?.interfaces ?? []).map((s) => s.name));
  const kept = interfaces.filter((i) => i.state !== 'absent' || reported.has(i.name));
  return { interfaces: kept, networks: networks.filter((n) => kept.some((i) => i.name === n.name)) };
}

/** Declared hotplug volumes (storage/hotplug): the VMI's follow the template's, disks with them. */
function syncVolumes(template: VirtualMachineInstanceSpec, vmi: VirtualMachineInstance): { volumes: VmiVolume[]; disks: VmiDisk[] } {
  const wanted = byName(template.volumes);
  const volumes = (vmi.spec.volumes ?? []).filter((v) => {
    if (!isHotplugVolume(v)) return true;
    const want = wanted.get(v.name);
    return !!want && (!isHotplugVolume(want) || deepEqual(want, v));
  });
  const statuses = new Set((vmi.status?.volumeStatus ?? []).map((s) => s.name));
  const present = new Set(volumes.map((v) => v.name));
  for (const v of template.volumes ?? []) if (isHotplugVolume(v) && !present.has(v.name) && !statuses.has(v.name)) volumes.push(structuredClone(v));
  const names = new Set(volumes.map((v) => v.name));
  const templateDisks = byName(template.domain.devices?.disks);
  const disks = (vmi.spec.domain.devices?.disks ?? []).filter((d) => names.has(d.name) || (templateDisks.has(d.name) && !wanted.has(d.name)));
  const diskNames = new Set(disks.map((d) => d.name));
  for (const d of template.domain.devices?.disks ?? []) {
    const v = volumes.find((x) => x.name === d.name);
    if (v && isHotplugVolume(v) && !diskNames.has(d.name)) disks.push(structuredClone(d));
  }
  return { volumes, disks };
}

/** Sets `path` to `value`, testing first that it still holds `was` (or adding it when it was unset). */
function replace(ops: JsonPatchOp[], path: string, was: unknown, value: unknown): void {
  if (was === undefined) ops.push({ op: 'add', path, value });
  else ops.push({ op: 'test', path, value: was }, { op: 'replace', path, value });
}

/** handleCPUChangeRequest: more sockets up to maxSockets; fewer, or past it, needs a restart. */
function cpu(template: VirtualMachineInstanceSpec, vmi: VirtualMachineInstance, out: LiveUpdate): void {
  const want = template.domain.cpu;
  const have = vmi.spec.domain.cpu;
  if (!want || !have || (want.sockets ?? 0) === (have.sockets ?? 0)) return;
  if (condition(vmi, 'HotVCPUChange', 'True')) return void (out.busy = 'another CPU hotplug is in progress');
  if (migrating(vmi)) return void (out.busy = 'CPU hotplug is not allowed while VMI is migrating');
  if ((want.sockets ?? 0) > (have.maxSockets ?? 0)) return void (out.restartRequired = "CPU sockets updated in template spec to a value higher than what's available");
  if ((want.sockets ?? 0) < (have.sockets ?? 0)) return void (out.restartRequired = 'Reduction of CPU socket count requires a restart');
  replace(out.ops, '/spec/domain/cpu/sockets', have.sockets, want.sockets);
}

/** handleMemoryHotplugRequest: more guest memory up to maxGuest, for a VM that can migrate. */
function memory(template: VirtualMachineInstanceSpec, vmi: VirtualMachineInstance, out: LiveUpdate): void {
  const want = quantity(template.domain.memory?.guest);
  const have = quantity(vmi.spec.domain.memory?.guest);
  const status = vmi.status?.memory;
  if (want === undefined || have === undefined || !status?.guestCurrent || want === have) return;
  if (condition(vmi, 'HotMemoryChange', 'False')) return void (out.restartRequired = 'memory updated in template spec. Memory-hotplug failed and is not available for this VM configuration');
  if (!isMigratable(vmi)) return void (out.restartRequired = 'memory updated in template spec. Memory-hotplug is only available for migratable VMs');
  const max = quantity(vmi.spec.domain.memory?.maxGuest);
  if (max === undefined) return void (out.restartRequired = 'memory updated in template spec. Memory-hotplug is not available for this VM configuration');
  if (condition(vmi, 'HotMemoryChange', 'True')) return void (out.busy = 'another memory hotplug is in progress');
  if (migrating(vmi)) return void (out.busy = 'memory hotplug is not allowed while VMI is migrating');
  if (want < (quantity(status.guestAtBoot) ?? 0)) return void (out.restartRequired = 'memory updated in template spec to a value lower than what the VM started with');
  if (want > max) return void (out.restartRequired = "memory updated in template spec to a value higher than what's available");
  replace(out.ops, '/spec/domain/memory/guest', vmi.spec.domain.memory?.guest, template.domain.memory?.guest);
  const requests = vmi.spec.domain.resources?.requests?.memory;
  if (requests !== undefined) {
    const next = Math.max(parseQuantity(String(requests)) + (want - parseQuantity(String(status.guestCurrent))), want);
    replace(out.ops, '/spec/domain/resources/requests/memory', requests, String(next));
  }
}

export function liveUpdate(template: VirtualMachineInstanceSpec, vmi: VirtualMachineInstance, config: ClusterConfig, needsRestart: boolean): LiveUpdate {
  const out: LiveUpdate = { ops: [] };
  const nets = syncInterfaces(template, vmi);
  if (!deepEqual(nets.interfaces, vmi.spec.domain.devices?.interfaces ?? []) || !deepEqual(nets.networks, vmi.spec.networks ?? [])) {
    replace(out.ops, '/spec/networks', vmi.spec.networks, nets.networks);
    replace(out.ops, '/spec/domain/devices/interfaces', vmi.spec.domain.devices?.interfaces, nets.interfaces);
  }
  const inVmi = new Set(nets.interfaces.map((i) => i.name));
  const reported = new Set((vmi.status?.interfaces ?? []).map((s) => s.name));
  const keptInTemplate = (template.domain.devices?.interfaces ?? []).filter((i) => i.state !== 'absent' || inVmi.has(i.name) || reported.has(i.name));
  if (keptInTemplate.length !== (template.domain.devices?.interfaces ?? []).length) {
    out.detached = { interfaces: keptInTemplate, networks: (template.networks ?? []).filter((n) => keptInTemplate.some((i) => i.name === n.name)) };
  }
  if (config.featureGates.has('DeclarativeHotplugVolumes') && !config.featureGates.has('HotplugVolumes') && vmi.status?.phase === 'Running') {
    const storage = syncVolumes(template, vmi);
    if (!deepEqual(storage.volumes, vmi.spec.volumes ?? []) || !deepEqual(storage.disks, vmi.spec.domain.devices?.disks ?? [])) {
      replace(out.ops, '/spec/volumes', vmi.spec.volumes, storage.volumes);
      replace(out.ops, '/spec/domain/devices/disks', vmi.spec.domain.devices?.disks, storage.disks);
    }
  }
  if (config.liveUpdate && !needsRestart) {
    cpu(template, vmi, out);
    if (!deepEqual(template.nodeSelector ?? {}, vmi.spec.nodeSelector ?? {})) replace(out.ops, '/spec/nodeSelector', vmi.spec.nodeSelector, template.nodeSelector ?? {});
    memory(template, vmi, out);
  }
  return out;
}
