// Tenant Networks are isolated at layer 2: each gets a VLAN of its own from
// the cluster's pool, held by a cluster-scoped NetworkSegment, so Networks
// in different namespaces never share a segment, even created at the same
// moment by two controller processes. Choosing a VLAN is a privilege checked
// at admission; a provider VLAN may not come from the tenant pool.
import { Networks, NetworkSegments } from '../../pkg/api/resources.js';
import type { Network, NetworkSegment } from '../../pkg/api/types.generated.js';
import { settingsName } from '../../pkg/api/settings.js';
import type { RunningOperator } from '../../pkg/cli/operator.js';
import { NetworkAttachmentDefinitions } from '../../pkg/contracts/multus/index.js';
import { ConfigMaps } from '../../pkg/kube/resources.js';
import { ApiError } from '../../pkg/runtime/client/api-error.js';
import type { Client } from '../../pkg/runtime/client/client.js';
import { findCondition } from '../../pkg/runtime/conditions/conditions.js';
import type { KubeObject } from '../../pkg/meta/object.js';
import { createNamespace, deleteNamespace, eventually, testClient } from '../support/kube.js';
import { startTestOperator } from '../support/operator.js';
import { createTenant, type Tenant } from '../support/tenant.js';

const bridge = 'br-segtest';
const pool = { first: 3000, last: 3019 };
const perNamespace = 10;

let admin: Client;
let namespaces: string[];
let operators: RunningOperator[];
let tenant: Tenant;

beforeAll(async () => {
  admin = testClient();
  namespaces = [await createNamespace(admin, 'seg-a'), await createNamespace(admin, 'seg-b')];
  // Both controllers read the same settings: a pool of 20 VLANs on a bridge of this test's own.
  await admin.create(ConfigMaps, {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: settingsName, namespace: namespaces[0] },
    data: { 'networks.tenantBridge': bridge, 'networks.tenantVlans': `${pool.first}-${pool.last}` },
  } as KubeObject);
  operators = await Promise.all(namespaces.map((ns) => startTestOperator(ns, undefined, namespaces[0])));
  tenant = await createTenant(admin, namespaces[1], 'tenant', [{ apiGroups: ['stratus.dev'], resources: ['networks'], verbs: ['create', 'get', 'list', 'update', 'patch', 'delete'] }]);
});
afterAll(async () => {
  await tenant?.cleanup();
  for (const ns of namespaces ?? []) {
    for (const n of (await admin.list<Network>(Networks, { namespace: ns })).items) await admin.deleteIfExists(Networks, ns, n.metadata.name!);
  }
  await eventually(async () => (await admin.list<NetworkSegment>(NetworkSegments)).items.every((s) => s.spec.bridge !== bridge), 30_000, 'segments released');
  await Promise.all((operators ?? []).map((o) => o.stop()));
  for (const ns of namespaces ?? []) await deleteNamespace(admin, ns);
  admin.rest.close();
});

const network = (ns: string, name: string, spec: Partial<Network['spec']> = {}): KubeObject => ({
  apiVersion: 'stratus.dev/v1alpha1',
  kind: 'Network',
  metadata: { name, namespace: ns },
  spec: { cidr: '10.50.0.0/24', ...spec },
});
const get = (ns: string, name: string) => admin.get<Network>(Networks, ns, name);
const condition = (n: Network, type: string) => findCondition(n.status?.conditions, type);
const ready = (n: Network) => condition(n, 'Ready')?.status === 'True';
const nadConfig = async (ns: string, name: string) => JSON.parse(((await admin.get(NetworkAttachmentDefinitions, ns, name)) as KubeObject & { spec: { config: string } }).spec.config) as Record<string, unknown>;

it('gives Networks created at once in two namespaces, by two controllers, VLANs that never coincide', async () => {
  const all = namespaces.flatMap((ns) => Array.from({ length: perNamespace }, (_, i) => [ns, `net-${i}`] as const));
  await Promise.all(all.map(([ns, name]) => admin.create(Networks, network(ns, name))));
  const networks = await eventually(async () => {
    const got = await Promise.all(all.map(([ns, name]) => get(ns, name)));
    return got.every(ready) && got;
  }, 60_000, 'every Network Ready');
  const vlans = networks.map((n) => n.status!.segment!.vlan!);
  expect(new Set(vlans).size).toBe(all.length);
  for (const n of networks) {
    expect(n.status!.segment).toEqual({ provider: false, bridge, vlan: expect.any(Number) });
    expect(n.status!.segment!.vlan).toBeGreaterThanOrEqual(pool.first);
    expect(n.status!.segment!.vlan).toBeLessThanOrEqual(pool.last);
    // Every attachment of the Network is on its segment.
    for (const nad of [n.metadata.name!, `${n.metadata.name}.vm`]) {
      expect(await nadConfig(n.metadata.namespace!, nad)).toMatchObject({ type: 'bridge', bridge, vlan: n.status!.segment!.vlan });
    }
  }
  const segments = (await admin.list<NetworkSegment>(NetworkSegments)).items.filter((s) => s.spec.bridge === bridge);
  expect(segments.map((s) => `${s.spec.network.namespace}/${s.spec.network.name}=${s.spec.vlan}`).sort()).toEqual(
    networks.map((n) => `${n.metadata.namespace}/${n.metadata.name}=${n.status!.segment!.vlan}`).sort(),
  );
});

it('says so when the pool is used up, and takes a VLAN as soon as one is released', async () => {
  const [a, b] = namespaces as [string, string];
  await admin.create(Networks, network(b, 'one-too-many'));
  const waiting = await eventually(async () => {
    const n = await get(b, 'one-too-many');
    return condition(n, 'Stalled')?.status === 'True' && n;
  }, 30_000, 'the 21st Network Stalled');
  expect(condition(waiting, 'Stalled')).toMatchObject({ reason: 'SegmentsExhausted', message: `every VLAN of the tenant pool (${pool.first}-${pool.last} on bridge ${bridge}) is held by another Network` });
  expect(waiting.status?.segment).toBeUndefined();

  const freed = (await get(a, 'net-3')).status!.segment!.vlan!;
  await admin.delete(Networks, a, 'net-3');
  const got = await eventually(async () => {
    const n = await get(b, 'one-too-many');
    return ready(n) && n;
  }, 30_000, 'the waiting Network Ready');
  expect(got.status!.segment!.vlan).toBe(freed);
});

it('refuses a chosen VLAN to a tenant without the provider privilege, naming the field', async () => {
  const ns = namespaces[1]!;
  const err = await tenant.client.create(Networks, network(ns, 'mine', { vlan: 42 })).catch((e: unknown) => e as ApiError);
  expect(err).toBeInstanceOf(ApiError);
  expect((err as ApiError).status).toBe(403);
  expect((err as ApiError).body.message).toContain(`spec.vlan: ${tenant.username} may not create provider networks (create on networks/provider in stratus.dev) in namespace ${ns}`);
  for (const spec of [{ bridge: 'br-lab' }, { type: 'macvlan' as const }]) {
    const e = await tenant.client.create(Networks, network(ns, 'mine', spec), { dryRun: true }).catch((x: unknown) => x as ApiError);
    expect((e as ApiError).body.message).toContain(spec.bridge ? 'spec.bridge: ' : 'spec.type: ');
  }
  // A tenant Network is theirs to make; its VLAN comes from the pool.
  expect(await tenant.client.create(Networks, network(ns, 'mine'), { dryRun: true }).then(() => 'created')).toBe('created');
});

it('lets a privileged user put provider Networks of two namespaces on one VLAN on purpose, but not on a tenant VLAN', async () => {
  const [a, b] = namespaces as [string, string];
  await Promise.all([admin.create(Networks, network(a, 'shared', { bridge, vlan: 77 })), admin.create(Networks, network(b, 'shared', { bridge, vlan: 77 }))]);
  const both = await eventually(async () => {
    const got = await Promise.all([get(a, 'shared'), get(b, 'shared')]);
    return got.every(ready) && got;
  }, 30_000, 'both provider Networks Ready');
  for (const n of both) expect(n.status!.segment).toEqual({ provider: true, bridge, vlan: 77 });

  await admin.create(Networks, network(a, 'squatter', { bridge, vlan: pool.first + 5 }));
  const stalled = await eventually(async () => {
    const n = await get(a, 'squatter');
    return condition(n, 'Stalled')?.status === 'True' && n;
  }, 30_000, 'the squatting Network Stalled');
  expect(condition(stalled, 'Stalled')).toMatchObject({ reason: 'SegmentConflict' });
  expect(condition(stalled, 'Stalled')!.message).toContain(`spec.vlan: VLAN ${pool.first + 5} on bridge ${bridge} belongs to the tenant pool`);
  expect(await admin.tryGet(NetworkAttachmentDefinitions, a, 'squatter')).toBeUndefined();
});
