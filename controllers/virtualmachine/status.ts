// A VirtualMachine's status from what KubeVirt reports, what it waits for,
// and what blocks it. Ready means "as desired": a VM stopped on purpose is
// Ready; a running one when KubeVirt says it is ready and nothing is moving
// it or applying a change to it live (Reconciling: Migrating, LiveUpdating).
import type { MigrationStatus, NetworkPoolStatus, VirtualMachine, VirtualMachineStatus } from '../../pkg/api/types.generated.js';
import { removeCondition, setCondition, summarize, type Summary } from '../../pkg/runtime/conditions/conditions.js';
import { conditionOf, type VirtualMachine as KubeVirtVirtualMachine, type VirtualMachineInstance, type VirtualMachinePool } from '../../pkg/contracts/kubevirt/index.js';
import { formatSelector } from '../../pkg/meta/labels.js';
import { Progress, Stuck, summaryWith, type Problem } from '../shared/problems.js';
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
  /** Why the pending changes wait for a restart. */
  pendingWhy?: string[];
  /** Changes applied to the running instances without a restart, and those being applied now. */
  liveUpdates?: string[];
  applying?: string[];
  serviceName?: string;
  restartedAt?: string;
  /** The VM's latest migration, and what a running one (or a group's drain) is doing. */
  migration?: MigrationStatus;
  migrating?: string;
  migratedAt?: string;
  /** Group members that cannot leave a node being drained (evictionStrategy LiveMigrate), and why. */
  heldOnDrain?: { vmi: string; why: string }[];
  /** KubeVirt's LiveMigratable of the running instances (a group's: the first member that cannot). */
  migratable?: { status: 'True' | 'False'; reason: string; message: string };
  /** A Restore in place holding the VM stopped. */
  heldBy?: string;
  now: number;
}

function phaseOf(printable: string | undefined, wantRunning: boolean): Phase {
  switch (printable) {
    case 'Running':
    case 'Migrating':
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

/** A running VM that is being moved or changed live is progressing: kstatus InProgress, Argo CD Progressing. */
function inMotion(o: VmObservation): Summary | undefined {
  if (o.applying?.length) {
    return { state: 'progressing', reason: Progress.LiveUpdate, message: `applying ${o.applying.join(', ')} live${o.migrating ? `; ${o.migrating}` : ''}` };
  }
  if (o.migrating) return { state: 'progressing', reason: Progress.Migration, message: o.migrating };
  return undefined;
}

/** What a ready VM's message adds: changes waiting for a restart, and members a drain cannot move. */
function notes(o: VmObservation): string {
  const out: string[] = [];
  if (o.pendingChanges.length) out.push(`changes waiting for a restart: ${o.pendingChanges.join(', ')}${o.pendingWhy?.length ? ` (${o.pendingWhy.join('; ')})` : ''}`);
  for (const h of o.heldOnDrain ?? []) out.push(`${h.vmi} keeps its node, which is being drained: it cannot live-migrate (${h.why}) and evictionStrategy is LiveMigrate`);
  return out.map((n) => `; ${n}`).join('');
}

/** The LiveMigratable condition, KubeVirt's, while an instance runs. */
function withMigratable(conditions: NonNullable<VirtualMachineStatus['conditions']>, o: VmObservation, vm: VirtualMachine): NonNullable<VirtualMachineStatus['conditions']> {
  if (!o.migratable) return removeCondition(conditions, 'LiveMigratable');
  return setCondition(conditions, { type: 'LiveMigratable', ...o.migratable }, vm.metadata.generation, o.now);
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
    const busy = inMotion(o);
    if (busy) return { phase, summary: busy };
    return { phase, summary: { state: 'ready', reason: 'Running', message: `running on ${o.vmi?.status?.nodeName ?? 'a node'}${notes(o)}` } };
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
    const busy = inMotion(o);
    if (busy) return { phase: 'Running', summary: busy };
    return { phase: want === 0 ? 'Stopped' : 'Running', summary: { state: 'ready', reason: 'Running', message: `${ready}/${want} VMs ready${notes(o)}` } };
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
    conditions: withMigratable(summarize(vm.status?.conditions, summary, vm.metadata.generation, o.now), o, vm),
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
  if (o.liveUpdates?.length) status.liveUpdates = o.liveUpdates;
  if (o.restartedAt) status.restartedAt = o.restartedAt;
  if (o.migratedAt) status.migratedAt = o.migratedAt;
  if (o.migration) status.migration = o.migration;
  if (o.serviceName) {
    status.serviceName = o.serviceName;
    status.address = `${o.serviceName}.${vm.metadata.namespace}.svc`;
  } else if (status.ipAddresses?.[0]) status.address = status.ipAddresses[0];
  return status;
}
