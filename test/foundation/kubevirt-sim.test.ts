// Simulated KubeVirt: run strategies drive the VMI through its phases to a
// Ready VM; image errors surface with KubeVirt's names; pools scale.
import {
  KubeVirtVirtualMachineInstances,
  KubeVirtVirtualMachines,
  VirtualMachinePools,
  type VirtualMachine as KubeVirtVirtualMachine,
  type VirtualMachineInstance,
} from '../../pkg/contracts/kubevirt/index.js';
import type { Client } from '../../pkg/runtime/client/client.js';
import { createNamespace, deleteNamespace, eventually, kubectl, testClient } from '../support/kube.js';

let client: Client;
let ns: string;

beforeAll(async () => {
  client = testClient();
  ns = await createNamespace(client, 'kubevirt');
});
afterAll(async () => {
  await deleteNamespace(client, ns);
  client.rest.close();
});

function vm(name: string, runStrategy: string, image = 'quay.io/containerdisks/fedora:41'): KubeVirtVirtualMachine {
  return {
    apiVersion: 'kubevirt.io/v1',
    kind: 'VirtualMachine',
    metadata: { name, namespace: ns },
    spec: {
      runStrategy,
      template: {
        metadata: { labels: { 'kubevirt.io/domain': name } },
        spec: {
          domain: { cpu: { cores: 1 }, memory: { guest: '512Mi' }, devices: { disks: [{ name: 'root' }], interfaces: [{ name: 'default', masquerade: {} }] } },
          networks: [{ name: 'default', pod: {} }],
          volumes: [{ name: 'root', containerDisk: { image } }],
        },
      },
    },
  };
}

it('runs a VM with runStrategy Always until kubectl wait sees it Ready, then stops it when Halted', async () => {
  await client.create(KubeVirtVirtualMachines, vm('web', 'Always'));
  const wait = await kubectl(['-n', ns, 'wait', '--for=condition=Ready', 'vm/web', '--timeout=60s']);
  expect(wait.stderr).toBe('');
  expect(wait.code).toBe(0);
  const running = await client.get<KubeVirtVirtualMachine>(KubeVirtVirtualMachines, ns, 'web');
  expect(running.status).toMatchObject({ printableStatus: 'Running', ready: true, created: true });
  const vmi = await client.get<VirtualMachineInstance>(KubeVirtVirtualMachineInstances, ns, 'web');
  expect(vmi.status?.phase).toBe('Running');
  expect(vmi.status?.nodeName).toMatch(/^stratus-node-/);
  expect(vmi.status?.interfaces?.[0]?.ipAddress).toMatch(/^10\.244\./);
  expect(vmi.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'VirtualMachine', name: 'web', controller: true });

  await client.patch(KubeVirtVirtualMachines, ns, 'web', { merge: { spec: { runStrategy: 'Halted' } } });
  const stopped = await eventually(async () => {
    const v = await client.get<KubeVirtVirtualMachine>(KubeVirtVirtualMachines, ns, 'web');
    return v.status?.printableStatus === 'Stopped' && v.status.created === false ? v : undefined;
  }, 30_000, 'VM Stopped and its VMI gone');
  expect(stopped.status?.ready).toBe(false);
  expect(await client.tryGet(KubeVirtVirtualMachineInstances, ns, 'web')).toBeUndefined();
});

it('shows ErrImagePull / ImagePullBackOff for a disk image that cannot be pulled', async () => {
  await client.create(KubeVirtVirtualMachines, vm('broken', 'Always', 'quay.io/containerdisks/does-not-exist:1'));
  const status = await eventually(async () => {
    const v = await client.get<KubeVirtVirtualMachine>(KubeVirtVirtualMachines, ns, 'broken');
    return ['ErrImagePull', 'ImagePullBackOff'].includes(v.status?.printableStatus ?? '') ? v.status : undefined;
  }, 30_000, 'image pull error');
  expect(status?.ready).toBe(false);
  expect(status?.conditions?.find((c) => c.type === 'Synchronized')).toMatchObject({ status: 'False', reason: status?.printableStatus });
});

it('keeps a VirtualMachinePool at its replicas through the scale subresource', async () => {
  await client.create(VirtualMachinePools, {
    apiVersion: 'pool.kubevirt.io/v1beta1',
    kind: 'VirtualMachinePool',
    metadata: { name: 'workers', namespace: ns },
    spec: {
      replicas: 2,
      selector: { matchLabels: { pool: 'workers' } },
      virtualMachineTemplate: { metadata: { labels: { pool: 'workers' } }, spec: vm('x', 'Always').spec },
    },
  });
  await eventually(async () => (await client.list(KubeVirtVirtualMachines, { namespace: ns, labelSelector: 'pool=workers' })).items.length === 2, 30_000, '2 VMs');
  const scale = await kubectl(['-n', ns, 'scale', 'vmpool/workers', '--replicas=3']);
  expect(scale.code).toBe(0);
  await eventually(async () => {
    const s = await client.getScale(VirtualMachinePools, ns, 'workers');
    return s.status.replicas === 3 && s.status.selector === 'pool=workers';
  }, 30_000, 'pool at 3 replicas');
  const ready = await kubectl(['-n', ns, 'wait', '--for=jsonpath={.status.readyReplicas}=3', 'vmpool/workers', '--timeout=60s']);
  expect(ready.code).toBe(0);
});
