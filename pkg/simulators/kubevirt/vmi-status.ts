// The status virt-controller and virt-handler report for a VMI at each
// stage, computed from the stage, its launcher pod and the guest.
import type { Pod } from '../../kube/core-types.js';
import { rfc3339 } from '../clock.js';
import { macFor } from '../kubelet/multus.js';
import { guestAddresses } from './guest-network.js';
import type { VmiCondition as KvCondition, VirtualMachineInstance, VirtualMachineInstanceStatus as VmiStatus } from '../../contracts/kubevirt/index.js';

export type VmiPhase = NonNullable<VmiStatus['phase']>;

export interface VmiObservation {
  phase: VmiPhase;
  pod?: Pod;
  /** Synchronized=False: why virt-controller cannot make progress. */
  syncError?: { reason: string; message: string };
  agentConnected: boolean;
  /** The guest's cloud-init network data. */
  networkData?: string;
  launcherImage: string;
  now: number;
}

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

function liveMigratable(vmi: VirtualMachineInstance, o: VmiObservation): KvCondition {
  const claim = (vmi.spec.volumes ?? []).find((v) => v.persistentVolumeClaim || v.dataVolume);
  if (claim) {
    const name = claim.persistentVolumeClaim?.claimName ?? claim.dataVolume?.name;
    return condition(vmi.status?.conditions, 'LiveMigratable', 'False', o.now, 'DisksNotLiveMigratable', `cannot migrate VMI: PVC ${name} is not shared, live migration requires that all PVCs must be shared (using ReadWriteMany access mode)`);
  }
  return condition(vmi.status?.conditions, 'LiveMigratable', 'True', o.now);
}

function interfaces(vmi: VirtualMachineInstance, o: VmiObservation): VmiStatus['interfaces'] {
  const podIP = o.pod?.status?.podIP;
  const guest = o.agentConnected ? guestAddresses(o.networkData) : [];
  const networks = vmi.spec.networks ?? [];
  return (vmi.spec.domain.devices?.interfaces ?? []).map((iface, i) => {
    const network = networks.find((n) => n.name === iface.name);
    const mac = (iface.macAddress ?? macFor(`${vmi.metadata.uid}${iface.name}`)).toLowerCase();
    const fromGuest = guest.find((g) => g.mac === mac) ?? guest.find((g) => g.name === `eth${i}`);
    const onPodNetwork = !!network?.pod;
    const ips = onPodNetwork && podIP ? [podIP] : (fromGuest?.addresses ?? []);
    const sources = ['domain', ...(o.agentConnected ? ['guest-agent'] : []), ...(network?.multus ? ['multus-status'] : [])];
    return {
      name: iface.name,
      mac,
      ...(ips.length ? { ipAddress: ips[0], ipAddresses: ips } : {}),
      ...(o.agentConnected ? { interfaceName: `eth${i}` } : {}),
      infoSource: sources.join(', '),
      podInterfaceName: onPodNetwork ? 'eth0' : `pod${i}`,
      linkState: 'up',
    };
  });
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
  if (o.phase === 'Running') {
    conditions.push(liveMigratable(vmi, o));
    if (o.agentConnected) conditions.push(condition(prev?.conditions, 'AgentConnected', 'True', o.now));
  }
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
    interfaces: scheduled ? interfaces(vmi, o) : [],
  };
  if (o.pod?.metadata.uid && o.pod.spec.nodeName) status.activePods = { [o.pod.metadata.uid]: o.pod.spec.nodeName };
  if (scheduled) {
    status.nodeName = o.pod?.spec.nodeName;
    status.launcherContainerImageVersion = o.launcherImage;
    status.migrationTransport = 'Unix';
  }
  return status;
}
