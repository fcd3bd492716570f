// The status virt-controller and virt-handler report for a VMI at each
// stage, computed from the stage, the launcher pod running its domain and the
// guest: conditions (Ready, LiveMigratable, and the hotplug ones that make
// KubeVirt move the VMI to a new launcher pod), interfaces, volumes. Fields
// other writers own (migrationState, evacuationNodeName, memory and CPU
// topology) are not part of it.
import type { Pod } from '../../kube/core-types.js';
import { parseNetworks, networksAnnotation } from '../../contracts/multus/index.js';
import type { VmiCondition as KvCondition, VirtualMachineInstance, VirtualMachineInstanceStatus as VmiStatus, VmiVolumeStatus } from '../../contracts/kubevirt/index.js';
import { parseQuantity } from '../../kube/quantity.js';
import { rfc3339 } from '../clock.js';
import { macFor } from '../kubelet/multus.js';
import { guestAddresses } from './guest-network.js';
import { migratability } from './migratable.js';

export type VmiPhase = NonNullable<VmiStatus['phase']>;

export interface VmiObservation {
  phase: VmiPhase;
  /** The launcher pod running the domain. */
  pod?: Pod;
  /** A migration's target pod, while one exists. */
  targetPod?: Pod;
  /** Synchronized=False: why virt-controller cannot make progress. */
  syncError?: { reason: string; message: string };
  agentConnected: boolean;
  /** The cloud-init network data the guest booted with. */
  networkData?: string;
  volumeStatus: VmiVolumeStatus[];
  launcherImage: string;
  /** How long a hotplugged interface waits for the dynamic networks controller before it needs a migration. */
  interfaceHotplugGraceMs: number;
  now: number;
}

/** The condition types this status owns; others on the VMI are left alone. */
const owned = new Set(['Ready', 'Synchronized', 'PodScheduled', 'LiveMigratable', 'AgentConnected', 'HotVCPUChange', 'HotMemoryChange', 'MigrationRequired']);

function condition(prev: KvCondition[] | undefined, type: string, status: 'True' | 'False', now: number, reason = '', message = ''): KvCondition {
  const old = prev?.find((c) => c.type === type);
  return {
    type,
    status,
    lastProbeTime: null,
    lastTransitionTime: old?.status === status && old.lastTransitionTime ? old.lastTransitionTime : rfc3339(now),
    reason,
    message,
  };
}

function readyCondition(vmi: VirtualMachineInstance, o: VmiObservation): KvCondition {
  const prev = vmi.status?.conditions;
  if (!o.pod) return condition(prev, 'Ready', 'False', o.now, 'PodNotExists', 'virt-launcher pod has not yet been scheduled');
  if (o.pod.metadata.deletionTimestamp) return condition(prev, 'Ready', 'False', o.now, 'PodTerminating', 'virt-launcher pod is terminating');
  if (o.phase !== 'Running') return condition(prev, 'Ready', 'False', o.now, 'GuestNotRunning', 'Guest VM is not reported as running');
  const podReady = o.pod.status?.conditions?.find((c) => c.type === 'Ready');
  if (!podReady) return condition(prev, 'Ready', 'False', o.now, 'PodConditionMissing', 'virt-launcher pod is missing the Ready condition');
  return condition(prev, 'Ready', podReady.status === 'True' ? 'True' : 'False', o.now, podReady.reason ?? '', podReady.message ?? '');
}

/** The secondary networks a launcher pod is attached to: NAD "namespace/name" → the pod's interface. */
function podAttachments(vmi: VirtualMachineInstance, pod: Pod | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!pod) return out;
  try {
    for (const s of parseNetworks(pod.metadata.annotations?.[networksAnnotation], vmi.metadata.namespace!)) out.set(`${s.namespace}/${s.name}`, s.interface ?? '');
  } catch {
    // An unreadable annotation attaches nothing.
  }
  return out;
}

const nadKey = (vmi: VirtualMachineInstance, networkName: string): string => (networkName.includes('/') ? networkName : `${vmi.metadata.namespace}/${networkName}`);

function interfaces(vmi: VirtualMachineInstance, o: VmiObservation): NonNullable<VmiStatus['interfaces']> {
  const podIP = o.pod?.status?.podIP;
  const guest = o.agentConnected ? guestAddresses(o.networkData) : [];
  const networks = vmi.spec.networks ?? [];
  const attached = podAttachments(vmi, o.pod);
  const out: NonNullable<VmiStatus['interfaces']> = [];
  (vmi.spec.domain.devices?.interfaces ?? []).forEach((iface, i) => {
    const network = networks.find((n) => n.name === iface.name);
    const secondary = network?.multus && !network.multus.default;
    const podInterface = secondary ? attached.get(nadKey(vmi, network.multus!.networkName)) : undefined;
    // A secondary interface exists once the pod is attached to its network; an absent one has left the domain.
    if (secondary && podInterface === undefined) return;
    const inDomain = iface.state !== 'absent';
    const mac = (iface.macAddress ?? macFor(`${vmi.metadata.uid}${iface.name}`)).toLowerCase();
    const fromGuest = inDomain ? (guest.find((g) => g.mac === mac) ?? guest.find((g) => g.name === `eth${i}`)) : undefined;
    const ips = network?.pod && podIP ? [podIP] : (fromGuest?.addresses ?? []);
    const sources = [...(inDomain ? ['domain'] : []), ...(inDomain && o.agentConnected ? ['guest-agent'] : []), ...(secondary ? ['multus-status'] : [])];
    out.push({
      name: iface.name,
      mac,
      ...(ips.length ? { ipAddress: ips[0], ipAddresses: ips } : {}),
      ...(inDomain && o.agentConnected ? { interfaceName: `eth${i}` } : {}),
      infoSource: sources.join(', '),
      podInterfaceName: secondary ? podInterface || `pod${i}` : 'eth0',
      linkState: 'up',
    });
  });
  return out;
}

function vcpus(t: { sockets?: number; cores?: number; threads?: number } | undefined): number {
  return (t?.sockets ?? 1) * (t?.cores ?? 1) * (t?.threads ?? 1);
}

/** Hotplugged CPU or memory the domain does not have yet (requireCPUHotplug, requireMemoryHotplug): KubeVirt moves the VMI to apply it. */
function hotplugConditions(vmi: VirtualMachineInstance, o: VmiObservation): KvCondition[] {
  const out: KvCondition[] = [];
  const cpu = vmi.spec.domain.cpu;
  const topology = vmi.status?.currentCPUTopology;
  if (topology && cpu?.maxSockets && vcpus(cpu) !== vcpus(topology)) out.push(condition(vmi.status?.conditions, 'HotVCPUChange', 'True', o.now));
  const memory = vmi.spec.domain.memory;
  const requested = vmi.status?.memory?.guestRequested;
  if (memory?.guest && memory.maxGuest && requested !== undefined && parseQuantity(String(memory.guest)) !== parseQuantity(String(requested))) {
    out.push(condition(vmi.status?.conditions, 'HotMemoryChange', 'True', o.now));
  }
  return out;
}

/**
 * An interface hotplugged into (or unplugged from) the spec that the launcher
 * pod does not (or still does) carry: KubeVirt waits for the dynamic networks
 * controller, then asks for a migration to a pod with the right networks.
 */
function migrationRequired(vmi: VirtualMachineInstance, statuses: NonNullable<VmiStatus['interfaces']>, o: VmiObservation): KvCondition | undefined {
  const previous = vmi.status?.conditions?.find((c) => c.type === 'MigrationRequired');
  if (vmi.status?.migrationState && !vmi.status.migrationState.completed) return previous;
  const networks = vmi.spec.networks ?? [];
  const pending = (vmi.spec.domain.devices?.interfaces ?? []).some((iface) => {
    const network = networks.find((n) => n.name === iface.name);
    if (!network?.multus || network.multus.default) return false;
    const status = statuses.find((s) => s.name === iface.name);
    const plugging = iface.state !== 'absent' && !status;
    const unplugging = iface.state === 'absent' && !!status?.infoSource?.includes('multus-status') && !status.infoSource.includes('domain');
    return plugging || unplugging;
  });
  if (!pending) return undefined;
  if (previous?.status === 'True') return previous;
  const waited = previous?.lastTransitionTime ? o.now - Date.parse(previous.lastTransitionTime) : 0;
  return waited >= o.interfaceHotplugGraceMs
    ? condition(vmi.status?.conditions, 'MigrationRequired', 'True', o.now, 'AutoMigrationDueToLiveUpdate')
    : condition(vmi.status?.conditions, 'MigrationRequired', 'False', o.now, 'AutoMigrationPending');
}

export function vmiStatus(vmi: VirtualMachineInstance, o: VmiObservation): VmiStatus {
  const prev = vmi.status;
  const conditions: KvCondition[] = [readyCondition(vmi, o)];
  if (o.syncError) conditions.push(condition(prev?.conditions, 'Synchronized', 'False', o.now, o.syncError.reason, o.syncError.message));
  const podScheduled = o.pod?.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False');
  if (podScheduled) {
    conditions.push(condition(prev?.conditions, 'PodScheduled', 'False', o.now, podScheduled.reason ?? '', podScheduled.message ?? ''));
  }
  const scheduled = o.phase === 'Scheduled' || o.phase === 'Running';
  const ifaces = scheduled ? interfaces(vmi, o) : [];
  if (o.phase === 'Running') {
    const m = migratability(vmi, o.volumeStatus);
    conditions.push(m.migratable ? condition(prev?.conditions, 'LiveMigratable', 'True', o.now) : condition(prev?.conditions, 'LiveMigratable', 'False', o.now, m.reason, m.message));
    if (o.agentConnected) conditions.push(condition(prev?.conditions, 'AgentConnected', 'True', o.now));
    conditions.push(...hotplugConditions(vmi, o));
    const required = migrationRequired(vmi, ifaces, o);
    if (required) conditions.push(required);
  }
  conditions.push(...(prev?.conditions ?? []).filter((c) => !owned.has(c.type)));
  const transitions = [...(prev?.phaseTransitionTimestamps ?? [])];
  if (prev?.phase !== o.phase) transitions.push({ phase: o.phase, phaseTransitionTimestamp: rfc3339(o.now) });
  const status: VmiStatus = {
    phase: o.phase,
    conditions,
    phaseTransitionTimestamps: transitions,
    qosClass: o.pod?.status?.qosClass ?? 'Burstable',
    guestOSInfo: o.agentConnected
      ? { id: 'fedora', name: 'Fedora Linux', prettyName: 'Fedora Linux 41 (Cloud Edition)', version: '41', versionId: '41', kernelRelease: '6.11.4-301.fc41.x86_64', machine: 'x86_64' }
      : {},
    interfaces: ifaces,
    volumeStatus: o.volumeStatus,
  };
  const active = [o.pod, o.targetPod].filter((p): p is Pod => !!p?.metadata.uid && !!p.spec.nodeName);
  if (active.length) status.activePods = Object.fromEntries(active.map((p) => [p.metadata.uid!, p.spec.nodeName!]));
  if (scheduled) {
    status.nodeName = o.pod?.spec.nodeName;
    status.launcherContainerImageVersion = o.launcherImage;
    status.migrationTransport = 'Unix';
    status.migrationMethod = (vmi.spec.volumes ?? []).some((v) => v.containerDisk || v.cloudInitNoCloud) ? 'BlockMigration' : 'LiveMigration';
  }
  return status;
}
