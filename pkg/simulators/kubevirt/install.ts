// virt-operator's part: the KubeVirt CR of the install, configured as
// Stratus needs a cluster to be (declarative volume hotplug, and live
// migration as the way running VMs take hotplugged CPU, memory and
// networks; the Snapshot gate, Beta and so off unless named, which virt-api
// requires for VirtualMachineSnapshots and Restores), and reported Deployed
// with the nodes' default architecture, which is when virt-api and
// virt-controller start reading its configuration.
import type { Logger } from 'winston';
import { KubeVirts, type KubeVirt } from '../../contracts/kubevirt/index.js';
import type { Client } from '../../runtime/client/client.js';
import { rfc3339 } from '../clock.js';
import type { KubeVirtSimOptions } from './options.js';

export const kubevirtNamespace = 'kubevirt';
const kubevirtVersion = 'v1.8.2';

export function desiredKubeVirt(o: KubeVirtSimOptions): KubeVirt {
  return {
    apiVersion: 'kubevirt.io/v1',
    kind: 'KubeVirt',
    metadata: { name: 'kubevirt', namespace: kubevirtNamespace },
    spec: {
      configuration: { developerConfiguration: { featureGates: [...o.featureGates] }, vmRolloutStrategy: 'LiveUpdate' },
      workloadUpdateStrategy: { workloadUpdateMethods: [...o.workloadUpdateMethods] },
    },
  };
}

function deployedStatus(now: number): KubeVirt {
  const condition = (type: string, status: 'True' | 'False', reason: string, message: string) => ({ type, status, reason, message, lastProbeTime: rfc3339(now), lastTransitionTime: rfc3339(now) });
  return {
    apiVersion: 'kubevirt.io/v1',
    kind: 'KubeVirt',
    metadata: { name: 'kubevirt', namespace: kubevirtNamespace },
    spec: {},
    status: {
      phase: 'Deployed',
      defaultArchitecture: process.arch === 'arm64' ? 'arm64' : process.arch === 's390x' ? 's390x' : 'amd64',
      observedKubeVirtVersion: kubevirtVersion,
      targetKubeVirtVersion: kubevirtVersion,
      observedDeploymentID: kubevirtVersion,
      targetDeploymentID: kubevirtVersion,
      conditions: [
        condition('Available', 'True', 'AllComponentsReady', 'All components are ready.'),
        condition('Progressing', 'False', 'AllComponentsReady', 'All components are ready.'),
        condition('Degraded', 'False', 'AllComponentsReady', 'All components are ready.'),
      ],
    },
  };
}

export class KubeVirtInstall {
  readonly name = 'sim-virt-operator';
  readonly needLeaderElection = false;

  constructor(
    private readonly client: Client,
    private readonly o: KubeVirtSimOptions,
    private readonly log: Logger,
  ) {}

  async start(signal: AbortSignal): Promise<void> {
    try {
      await this.client.apply(KubeVirts, desiredKubeVirt(this.o), { force: true, fieldManager: 'virt-operator' });
      await this.client.apply(KubeVirts, deployedStatus(Date.now()), { subresource: 'status', force: true, fieldManager: 'virt-operator' });
    } catch (err) {
      if (!signal.aborted) this.log.error('could not install the KubeVirt CR', { error: (err as Error).message });
    }
    await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
  }
}
