// What installing KubeVirt leaves behind that others read: the KubeVirt CR,
// whose spec.configuration virt-api's admission reads (featureGates: the
// Snapshot gate, which virt-api requires for VirtualMachineSnapshots and
// Restores, is Beta and so off unless named), and whose status virt-operator
// writes (phase Deployed, the default architecture of the nodes).
import { KubeVirts } from '../../contracts/kubevirt/index.js';
import type { KubeObject } from '../../meta/object.js';
import type { Client } from '../../runtime/client/client.js';

export async function installKubeVirt(client: Client, featureGates: string[]): Promise<void> {
  const cr: KubeObject = {
    apiVersion: 'kubevirt.io/v1',
    kind: 'KubeVirt',
    metadata: { name: 'kubevirt', namespace: 'kubevirt' },
    spec: { configuration: { developerConfiguration: { featureGates } } },
  };
  await client.apply(KubeVirts, cr, { force: true });
  const arch = process.arch === 'arm64' ? 'arm64' : process.arch === 's390x' ? 's390x' : 'amd64';
  await client.patch(KubeVirts, 'kubevirt', 'kubevirt', { merge: { status: { phase: 'Deployed', defaultArchitecture: arch } } }, { subresource: 'status' });
}
