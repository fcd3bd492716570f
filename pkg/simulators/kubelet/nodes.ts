// Node objects and their status, as a kubelet registers and reports them.
import type { Node } from '../../kube/core-types.js';
import { rfc3339 } from '../clock.js';
import type { KubeletSimOptions } from './options.js';

const simNodeLabel = 'sim.stratus.dev/node';

export function nodeName(index: number): string {
  return `stratus-node-${index + 1}`;
}

/** Each node's pods get addresses from its own /20 of 10.244.0.0/16, as a CNI's host-local IPAM would. */
export function podCidr(index: number): string {
  return `10.244.${(index % 16) * 16}.0/20`;
}

export function nodeAddress(index: number): string {
  return `10.0.0.${index + 10}`;
}

export function desiredNode(index: number): Node {
  const name = nodeName(index);
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels: {
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'beta.kubernetes.io/os': 'linux',
        'beta.kubernetes.io/arch': 'amd64',
        'kubevirt.io/schedulable': 'true',
        [simNodeLabel]: 'true',
      },
    },
    spec: { podCIDR: podCidr(index), podCIDRs: [podCidr(index)] },
  };
}

export function nodeStatus(index: number, o: KubeletSimOptions, kubeletVersion: string, heartbeat: number, since: number): Node {
  const resources = {
    cpu: o.nodeCpu,
    memory: o.nodeMemory,
    pods: String(o.nodePods),
    'ephemeral-storage': '200Gi',
    'hugepages-1Gi': '0',
    'hugepages-2Mi': '0',
    'devices.kubevirt.io/kvm': '1k',
    'devices.kubevirt.io/tun': '1k',
    'devices.kubevirt.io/vhost-net': '1k',
  };
  const condition = (type: string, status: 'True' | 'False', reason: string, message: string) => ({
    type,
    status,
    reason,
    message,
    lastHeartbeatTime: rfc3339(heartbeat),
    lastTransitionTime: rfc3339(since),
  });
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: nodeName(index) },
    status: {
      capacity: resources,
      allocatable: resources,
      conditions: [
        condition('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
        condition('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
        condition('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
        condition('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
      ],
      addresses: [
        { type: 'InternalIP', address: nodeAddress(index) },
        { type: 'Hostname', address: nodeName(index) },
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        machineID: `stratus-sim-${index + 1}`,
        systemUUID: `00000000-0000-0000-0000-${String(index + 1).padStart(12, '0')}`,
        bootID: `stratus-sim-boot-${index + 1}`,
        kernelVersion: '6.1.0-stratus-sim',
        osImage: 'Stratus simulated node',
        containerRuntimeVersion: 'containerd://2.1.0-sim',
        kubeletVersion,
        kubeProxyVersion: '',
        operatingSystem: 'linux',
        architecture: 'amd64',
      },
    },
  };
}
