// The parts of KubeVirt's API the simulator reads and writes.
import type { KubeObject } from '../../runtime/object.js';
import type { ResourceRequirements } from '../../kube/core-types.js';
import type { LabelSelector } from '../../runtime/labels.js';

export type RunStrategy = 'Always' | 'RerunOnFailure' | 'Manual' | 'Halted' | 'Once';

export interface KvCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  lastProbeTime?: string | null;
  lastTransitionTime?: string | null;
  reason?: string;
  message?: string;
}

export interface VmiVolume {
  name: string;
  containerDisk?: { image: string };
  persistentVolumeClaim?: { claimName: string };
  dataVolume?: { name: string };
  cloudInitNoCloud?: { userData?: string; userDataBase64?: string; networkData?: string; secretRef?: { name: string } };
  cloudInitConfigDrive?: { userData?: string; networkData?: string };
}

export interface VmiInterface {
  name: string;
  masquerade?: Record<string, never>;
  bridge?: Record<string, never>;
  macAddress?: string;
}

export interface VmiNetwork {
  name: string;
  pod?: Record<string, never>;
  multus?: { networkName: string; default?: boolean };
}

export interface VmiSpec {
  domain: {
    cpu?: { cores?: number; sockets?: number; threads?: number };
    memory?: { guest?: string };
    resources?: ResourceRequirements;
    devices?: { disks?: { name: string }[]; interfaces?: VmiInterface[] };
  };
  networks?: VmiNetwork[];
  volumes?: VmiVolume[];
  nodeSelector?: Record<string, string>;
  hostname?: string;
  terminationGracePeriodSeconds?: number;
}

export interface VmiStatus {
  phase?: 'Pending' | 'Scheduling' | 'Scheduled' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';
  nodeName?: string;
  reason?: string;
  conditions?: KvCondition[];
  interfaces?: {
    name?: string;
    ipAddress?: string;
    ipAddresses?: string[];
    mac?: string;
    interfaceName?: string;
    infoSource?: string;
    podInterfaceName?: string;
    linkState?: string;
  }[];
  phaseTransitionTimestamps?: { phase: string; phaseTransitionTimestamp: string }[];
  guestOSInfo?: Record<string, string>;
  qosClass?: string;
  launcherContainerImageVersion?: string;
  activePods?: Record<string, string>;
  migrationMethod?: string;
  migrationTransport?: string;
}

export interface VirtualMachineInstance extends KubeObject {
  spec: VmiSpec;
  status?: VmiStatus;
}

export interface StateChangeRequest {
  action: 'Start' | 'Stop';
  uid?: string;
  data?: Record<string, string>;
}

export interface VirtualMachineStatus {
  printableStatus?: string;
  ready?: boolean;
  created?: boolean;
  runStrategy?: string;
  conditions?: KvCondition[];
  stateChangeRequests?: StateChangeRequest[];
  startFailure?: { consecutiveFailCount: number; lastFailedVMIUID?: string; retryAfterTimestamp?: string };
  observedGeneration?: number;
  desiredGeneration?: number;
}

export interface DataVolumeTemplate {
  apiVersion?: string;
  kind?: string;
  metadata: KubeObject['metadata'];
  spec: Record<string, unknown>;
}

export interface KubeVirtVirtualMachine extends KubeObject {
  spec: {
    running?: boolean;
    runStrategy?: RunStrategy;
    template: { metadata?: KubeObject['metadata']; spec: VmiSpec };
    dataVolumeTemplates?: DataVolumeTemplate[];
    instancetype?: { kind?: string; name: string };
    preference?: { kind?: string; name: string };
  };
  status?: VirtualMachineStatus;
}

export interface VirtualMachinePool extends KubeObject {
  spec: {
    replicas?: number;
    selector: LabelSelector;
    paused?: boolean;
    virtualMachineTemplate: { metadata?: KubeObject['metadata']; spec: KubeVirtVirtualMachine['spec'] };
    /** How template changes reach existing members; one of the three is set. */
    updateStrategy?: { opportunistic?: Record<string, never>; proactive?: Record<string, unknown>; unmanaged?: Record<string, never> };
  };
  status?: { replicas?: number; readyReplicas?: number; labelSelector?: string; conditions?: KvCondition[] };
}
