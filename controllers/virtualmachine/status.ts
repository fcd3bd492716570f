// A VirtualMachine's status from what KubeVirt reports, what it waits for,
// and what blocks it. Ready means "as desired": a VM stopped on purpose is
// Ready; a running one when KubeVirt says it is ready.
import type { NetworkPoolStatus, VirtualMachine, VirtualMachineStatus } from '../../pkg/api/types.generated.js';
import { summarize, type Summary } from '../../pkg/runtime/conditions/conditions.js';
import { conditionOf, type VirtualMachine as KubeVirtVirtualMachine, type VirtualMachineInstance, type VirtualMachinePool } from '../../pkg/contracts/kubevirt/index.js';
import { formatSelector } from '../../pkg/meta/labels.js';
import { Stuck, summaryWith, type Problem } from '../shared/problems.js';
import { groupSelector } from './desired.js';

type Phase = NonNullable<VirtualMachineStatus['phase']>;

/** KubeVirt printable statuses that need a human: they make the VM Stalled. */
const failing = new Set(['ErrImagePull', 'ImagePullBackOff', 'CrashLoopBackOff', 'ErrorUnschedulable', 'ErrorPvcNotFound', 'DataVolumeError']);

export interface VmObservation {
  kubevirtVm?: KubeVirtVirtualMachine;
  vmi?: VirtualMachineInstance;
  pool?: VirtualMachinePool;
  poolMembers?: KubeVirtVirtualMachine[];
  /** The group members' VMIs. */
  memberVmis?: VirtualMachineInstance[];
  /** While a group restart rolls: how far it is. */
  restarting?: string;
  /** What it waits for (Volumes, Networks, addresses) or what blocks it until something changes. */
  problems: Problem[];
  /** A group's address pools on its Networks. */
  networks?: NetworkPoolStatus[];
  pendingChanges: string[];
  serviceName?: string;
  restartedAt?: string;
  /** A Restore in place holding the VM stopped. */
  heldBy?: string;
  now: number;
}

function phaseOf(printable: string | undefined, wantRunning: boolean): Phase {
  switch (printable) {
    case 'Running':
      return 'Running';
    case 'Stopped':
      return 'Stopped';
    case 'Starting':
      return 'Starting';
    case 'Provisioning':
    case 'WaitingForVolumeBinding':
      return 'Provisioning';
    case 'Stopping':
    case 'Terminating':
      return 'Stopping';
    case undefined:
      return wantRunning ? 'Starting' : 'Stopped';
    default:
      return failing.has(printable) ? 'Failed' : 'Unknown';
  }
}

/** The message KubeVirt gives for a failing VM: the condition that explains it. */
function kubevirtMessage(vm: KubeVirtVirtualMachine): string {
  const when = (type: string, status: string) => {
    const c = conditionOf(vm, type);
    return c?.status === status ? c : undefined;
  };
  const explain = when('Synchronized', 'False') ?? when('PodScheduled', 'False') ?? when('Failure', 'True');
  return explain?.message || `KubeVirt reports ${vm.status?.printableStatus}`;
}

function singleSummary(vm: VirtualMachine, o: VmObservation): { phase: Phase; summary: Summary } {
  const want = vm.spec.powerState;
  const kv = o.kubevirtVm;
  const printable = kv?.status?.printableStatus;
  const phase = phaseOf(printable, want === 'Running');
  if (printable && failing.has(printable)) return { phase, summary: { state: 'stalled', reason: printable, message: kubevirtMessage(kv!) } };
  if (want === 'Stopped') {
    return phase === 'Stopped' || !kv?.status?.created
      ? { phase: 'Stopped', summary: { state: 'ready', reason: 'Stopped', message: 'stopped, as requested' } }
      : { phase: 'Stopping', summary: { state: 'progressing', reason: 'Stopping', message: 'stopping' } };
  }
  if (kv?.status?.ready && phase === 'Running') {
    const pending = o.pendingChanges.length ? `; changes waiting for a restart: ${o.pendingChanges.join(', ')}` : '';
    return { phase, summary: { state: 'ready', reason: 'Running', message: `running on ${o.vmi?.status?.nodeName ?? 'a node'}${pending}` } };
  }
  return { phase, summary: { state: 'progressing', reason: printable ?? 'Starting', message: `KubeVirt reports ${printable ?? 'no status yet'}` } };
}

function groupSummary(vm: VirtualMachine, o: VmObservation): { phase: Phase; summary: Summary } {
  const want = vm.spec.replicas ?? 1;
  const members = o.poolMembers ?? [];
  const ready = members.filter((m) => m.status?.ready).length;
  const broken = members.find((m) => failing.has(m.status?.printableStatus ?? ''));
  if (broken) {
    return { phase: 'Failed', summary: { state: 'stalled', reason: broken.status!.printableStatus!, message: `${broken.metadata.name}: ${kubevirtMessage(broken)}` } };
  }
  if (vm.spec.powerState === 'Stopped') {
    const running = members.filter((m) => m.status?.created).length;
    return running === 0
      ? { phase: 'Stopped', summary: { state: 'ready', reason: 'Stopped', message: `${members.length} VMs, all stopped as requested` } }
      : { phase: 'Stopping', summary: { state: 'progressing', reason: 'Stopping', message: `${running} of ${members.length} VMs still running` } };
  }
  if (members.length === want && ready === want && o.restarting) return { phase: 'Running', summary: { state: 'progressing', reason: 'Restarting', message: o.restarting } };
  if (members.length === want && ready === want) {
    const pending = o.pendingChanges.length ? `; changes waiting for a restart: ${o.pendingChanges.join(', ')}` : '';
    return { phase: want === 0 ? 'Stopped' : 'Running', summary: { state: 'ready', reason: 'Running', message: `${ready}/${want} VMs ready${pending}` } };
  }
  if (o.restarting) return { phase: 'Running', summary: { state: 'progressing', reason: 'Restarting', message: `${o.restarting}; ${ready}/${want} VMs ready` } };
  return { phase: 'Starting', summary: { state: 'progressing', reason: 'Scaling', message: `${ready}/${want} VMs ready (${members.length} exist)` } };
}

export function vmStatus(vm: VirtualMachine, o: VmObservation): VirtualMachineStatus {
  const group = vm.spec.replicas !== undefined;
  const shape = group ? groupSummary(vm, o) : singleSummary(vm, o);
  const held: Summary | undefined = o.heldBy
    ? { state: 'progressing', reason: 'Restoring', message: `stopped for Restore ${o.heldBy}, which is bringing back its disks; it runs again afterwards as powerState says` }
    : undefined;
  const summary = summaryWith(o.problems, held ?? shape.summary);
  // A group short of addresses still runs the members that have one.
  const blocking = o.problems.find((p) => p.reason !== Stuck.AddressesExhausted);
  const phase = blocking ? (blocking.stuck ? 'Failed' : 'Pending') : shape.phase;
  const status: VirtualMachineStatus = {
    observedGeneration: vm.metadata.generation,
    conditions: summarize(vm.status?.conditions, summary, vm.metadata.generation, o.now),
    phase,
    powerState: group ? ((o.poolMembers ?? []).some((m) => m.status?.created) ? 'Running' : 'Stopped') : o.kubevirtVm?.status?.created ? 'Running' : 'Stopped',
    selector: formatSelector({ matchLabels: groupSelector(vm) }),
  };
  if (group) {
    status.replicas = o.poolMembers?.length ?? 0;
    status.readyReplicas = (o.poolMembers ?? []).filter((m) => m.status?.ready).length;
  } else {
    status.replicas = o.kubevirtVm ? 1 : 0;
    status.readyReplicas = o.kubevirtVm?.status?.ready ? 1 : 0;
    const vmi = o.vmi;
    if (vmi?.status?.nodeName) status.nodeName = vmi.status.nodeName;
    const interfaces = (vmi?.status?.interfaces ?? []).filter((i) => i.name);
    if (interfaces.length) {
      const networks = new Map((vm.spec.networks ?? []).map((n) => [n.name, n.network]));
      status.interfaces = interfaces.map((i) => ({
        name: i.name!,
        ...(networks.get(i.name!) ? { network: networks.get(i.name!)! } : {}),
        ...(i.ipAddress ? { ipAddress: i.ipAddress } : {}),
        ...(i.mac ? { macAddress: i.mac } : {}),
      }));
      const ips = interfaces.map((i) => i.ipAddress).filter((ip): ip is string => !!ip);
      if (ips.length) status.ipAddresses = ips;
    }
  }
  if (o.networks?.length) status.networks = o.networks;
  if (o.pendingChanges.length) status.pendingChanges = o.pendingChanges;
  if (o.restartedAt) status.restartedAt = o.restartedAt;
  if (o.serviceName) {
    status.serviceName = o.serviceName;
    status.address = `${o.serviceName}.${vm.metadata.namespace}.svc`;
  } else if (status.ipAddresses?.[0]) status.address = status.ipAddresses[0];
  return status;
}
