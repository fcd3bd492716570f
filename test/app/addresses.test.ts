// An App's addresses on a secondary Network, on the real control plane with
// the simulators (whereabouts played by the kubelet simulator): the App gets a
// pool from the Network's allocator, each instance one address of it; the
// pool follows the replica count, frees an address only once no instance
// holds it, and a shortage is reported, never papered over with a duplicate.
import { stringify } from 'yaml';
import { Apps, IPAllocations, Networks, VirtualMachines } from '../../pkg/api/resources.js';
import type { App, IPAllocation, Network, VirtualMachine } from '../../pkg/api/types.generated.js';
import type { RunningOperator } from '../../pkg/cli/operator.js';
import type { Pod } from '../../pkg/kube/core-types.js';
import { Pods } from '../../pkg/kube/resources.js';
import { NetworkAttachmentDefinitions } from '../../pkg/contracts/multus/index.js';
import type { Client } from '../../pkg/runtime/client/client.js';
import { findCondition } from '../../pkg/runtime/conditions/conditions.js';
import type { KubeObject } from '../../pkg/meta/object.js';
import { createNamespace, deleteNamespace, eventually, kubectl, testClient } from '../support/kube.js';
import { startAppOperator } from './support.js';

let client: Client;
let ns: string;
let operator: RunningOperator;

beforeAll(async () => {
  client = testClient();
  ns = await createNamespace(client, 'app-addr');
  operator = await startAppOperator(ns);
  // 10.70.0.0/29: hosts .1–.6, .1 the gateway → 5 addresses to hand out.
  await apply([
    { apiVersion: 'stratus.dev/v1alpha1', kind: 'Network', metadata: { name: 'small', namespace: ns }, spec: { cidr: '10.70.0.0/29', gateway: '10.70.0.1' } },
    { apiVersion: 'stratus.dev/v1alpha1', kind: 'App', metadata: { name: 'web', namespace: ns }, spec: { image: 'ghcr.io/stratus-examples/tiny:1.0', replicas: 2, networks: [{ name: 'small', network: 'small' }] } },
  ]);
});
afterAll(async () => {
  await operator?.stop();
  await deleteNamespace(client, ns);
  client.rest.close();
});

async function apply(objects: unknown[]): Promise<void> {
  const r = await kubectl(['apply', '--server-side', '-f', '-'], objects.map((o) => stringify(o)).join('---\n'));
  expect(r.stderr).toBe('');
}

const condition = (a: App, type: string) => findCondition(a.status?.conditions, type);
const readyAt = (replicas: number) => (a: App) =>
  condition(a, 'Ready')?.status === 'True' && a.status?.observedGeneration === a.metadata.generation && a.status?.availableReplicas === replicas;
const waitForApp = (test: (a: App) => boolean, what: string, timeoutMs = 60_000) =>
  eventually(async () => {
    const a = await client.get<App>(Apps, ns, 'web');
    return test(a) ? a : undefined;
  }, timeoutMs, what);

/** Addresses the App's live instances report on the Network. */
async function instanceAddresses(): Promise<string[]> {
  const pods = (await client.list<Pod>(Pods, { namespace: ns, labelSelector: 'stratus.dev/app=web' })).items.filter((p) => !p.metadata.deletionTimestamp);
  return pods.flatMap((pod) => {
    const status = JSON.parse(pod.metadata.annotations?.['k8s.v1.cni.cncf.io/network-status'] ?? '[]') as { name: string; ips?: string[] }[];
    return status.find((s) => s.name === `${ns}/small.app.web`)?.ips ?? [];
  });
}
const allocations = async () => (await client.list<IPAllocation>(IPAllocations, { namespace: ns })).items.filter((a) => a.spec.owner.kind === 'App');

it("gives each instance its own address from the App's pool, allocated on the Network", async () => {
  const web = await waitForApp(readyAt(2), 'web Ready with 2 instances');
  expect(web.status?.networks).toEqual([{ name: 'small', attachmentDefinition: 'small.app.web', allocated: 3, addresses: ['10.70.0.2', '10.70.0.3', '10.70.0.4'] }]);
  const owned = await allocations();
  expect(owned.map((a) => a.spec.address).sort()).toEqual(['10.70.0.2', '10.70.0.3', '10.70.0.4']);
  for (const a of owned) expect(a.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'App', name: 'web', controller: true });

  const ips = await eventually(async () => {
    const ips = await instanceAddresses();
    return ips.length === 2 ? ips : undefined;
  }, 30_000, 'both instances report an address');
  expect(new Set(ips).size).toBe(2);
  for (const ip of ips) expect(web.status!.networks![0]!.addresses).toContain(ip);

  const nad = await client.get<KubeObject & { spec: { config: string } }>(NetworkAttachmentDefinitions, ns, 'small.app.web');
  expect(JSON.parse(nad.spec.config).ipam).toMatchObject({ type: 'whereabouts', ipRanges: [{ range: '10.70.0.0/29', range_start: '10.70.0.2', range_end: '10.70.0.4' }] });
  const network = await eventually(async () => {
    const n = await client.get<Network>(Networks, ns, 'small');
    return n.status?.allocated === 3 ? n : undefined;
  }, 30_000, 'the Network counts the pool');
  expect(network.status).toMatchObject({ allocated: 3, free: 2, usedBy: [{ kind: 'App', name: 'web' }] });
});

it("refuses a VM's fixed address that the App's pool holds, naming the App", async () => {
  await apply([
    {
      apiVersion: 'stratus.dev/v1alpha1',
      kind: 'VirtualMachine',
      metadata: { name: 'probe', namespace: ns },
      spec: { cpu: { cores: 1 }, memory: '1Gi', rootDisk: { image: 'quay.io/containerdisks/fedora:41' }, powerState: 'Stopped', networks: [{ name: 'small', network: 'small', ipAddress: '10.70.0.3' }] },
    },
  ]);
  const vm = await eventually(async () => {
    const v = await client.get<VirtualMachine>(VirtualMachines, ns, 'probe');
    return findCondition(v.status?.conditions, 'Stalled') ? v : undefined;
  }, 30_000, 'the VM reports the conflict');
  expect(findCondition(vm.status?.conditions, 'Stalled')).toMatchObject({ reason: 'AddressConflict', message: expect.stringContaining('10.70.0.3 on Network small is taken by App web') });
  await client.delete(VirtualMachines, ns, 'probe');
});

it('grows the pool with the replicas, and reports a shortage as Stalled instead of sharing an address', async () => {
  expect((await kubectl(['-n', ns, 'scale', 'apps.stratus.dev/web', '--replicas=4'])).code).toBe(0);
  const four = await waitForApp(readyAt(4), 'web Ready with 4 instances');
  // 4 instances + 1 surge = 5 = everything the Network has.
  expect(four.status?.networks?.[0]).toMatchObject({ allocated: 5, addresses: ['10.70.0.2', '10.70.0.3', '10.70.0.4', '10.70.0.5', '10.70.0.6'] });
  const ips = await eventually(async () => {
    const ips = await instanceAddresses();
    return ips.length === 4 ? ips : undefined;
  }, 30_000, 'four instances report addresses');
  expect(new Set(ips).size).toBe(4);

  expect((await kubectl(['-n', ns, 'scale', 'apps.stratus.dev/web', '--replicas=6'])).code).toBe(0);
  const short = await waitForApp((a) => condition(a, 'Stalled')?.reason === 'AddressesExhausted', 'web Stalled for lack of addresses');
  expect(condition(short, 'Stalled')?.message).toBe('spec.networks: Network small has no free addresses; 5 of 6 instances can have an address');
  expect(condition(short, 'Ready')?.status).toBe('False');
  // The sixth instance waits for an address; no two instances share one.
  await eventually(async () => {
    const events = await kubectl(['-n', ns, 'get', 'events', '--field-selector', 'reason=FailedCreatePodSandBox', '-o', 'jsonpath={.items[*].message}']);
    return events.stdout.includes('Could not allocate IP in range');
  }, 30_000, 'a sandbox failure from whereabouts');
  const five = await instanceAddresses();
  expect(five).toHaveLength(5);
  expect(new Set(five).size).toBe(5);
});

it('shrinks the pool once the instances holding the addresses are gone, and frees it all with the App', async () => {
  expect((await kubectl(['-n', ns, 'scale', 'apps.stratus.dev/web', '--replicas=1'])).code).toBe(0);
  const one = await waitForApp((a) => readyAt(1)(a) && a.status?.networks?.[0]?.allocated === 2, 'web Ready with 1 instance and a pool of 2', 90_000);
  const [ip] = await instanceAddresses();
  // The address the remaining instance holds stays in the pool.
  expect(one.status?.networks?.[0]?.addresses).toContain(ip);
  await eventually(async () => (await allocations()).length === 2, 30_000, 'two allocations left');
  await eventually(async () => (await client.get<Network>(Networks, ns, 'small')).status?.free === 3, 30_000, 'the Network has 3 free');

  expect((await kubectl(['-n', ns, 'delete', 'apps.stratus.dev/web', '--wait=true', '--timeout=30s'])).code).toBe(0);
  await eventually(async () => (await allocations()).length === 0 && !(await client.tryGet(NetworkAttachmentDefinitions, ns, 'small.app.web')), 60_000, 'allocations and attachment definition collected');
  await eventually(async () => (await client.get<Network>(Networks, ns, 'small')).status?.allocated === 0, 30_000, 'the Network has nothing allocated');
});
