// Every field of a Stratus object that makes the controllers read or use
// another object is checked at admission against the requester's own
// rights (pkg/api/admission): a tenant that may create Stratus objects but
// not read a Secret, Volume, Network, ConfigMap, Deployment or certificate
// issuer cannot name
// one, and may name what it can read. Run as a ServiceAccount with exactly
// such a Role; no controllers run here (admission alone decides).
import { Apps, DiskImages, Networks, Restores, Scalers, Snapshots, SnapshotSchedules, VirtualMachines, Volumes } from '../../pkg/api/resources.js';
import type { ResourceType } from '../../pkg/meta/resource.js';
import { ApiError } from '../../pkg/runtime/client/api-error.js';
import type { Client } from '../../pkg/runtime/client/client.js';
import type { KubeObject } from '../../pkg/meta/object.js';
import { createNamespace, deleteNamespace, eventually, testClient } from '../support/kube.js';
import { createTenant, type Tenant } from '../support/tenant.js';

let admin: Client;
let ns: string;
let tenant: Tenant;

const stratusKinds = ['virtualmachines', 'volumes', 'networks', 'apps', 'scalers', 'snapshots', 'restores', 'snapshotschedules', 'diskimages'];
const allowed = 'allowed';
const manyAllowed = Array.from({ length: 9 }, (_, i) => `allowed-${i + 1}`);

beforeAll(async () => {
  admin = testClient();
  ns = await createNamespace(admin, 'refs');
  tenant = await createTenant(
    admin,
    ns,
    'tenant',
    [
      // May create and change Stratus objects, and read only the ones named "allowed".
      { apiGroups: ['stratus.dev'], resources: stratusKinds, verbs: ['create', 'update', 'patch', 'list', 'watch'] },
      { apiGroups: ['stratus.dev'], resources: ['virtualmachines', 'volumes', 'networks', 'apps', 'snapshots', 'diskimages'], verbs: ['get'], resourceNames: [allowed] },
      { apiGroups: [''], resources: ['secrets', 'configmaps'], verbs: ['get'], resourceNames: [allowed, ...manyAllowed] },
      { apiGroups: ['instancetype.kubevirt.io'], resources: ['virtualmachineinstancetypes'], verbs: ['get'], resourceNames: [allowed] },
      { apiGroups: ['cert-manager.io'], resources: ['issuers'], verbs: ['get'], resourceNames: [allowed] },
      { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'update'], resourceNames: [allowed] },
      { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get'], resourceNames: ['read-only'] },
    ],
    [
      { apiGroups: ['instancetype.kubevirt.io'], resources: ['virtualmachineclusterinstancetypes'], verbs: ['get'], resourceNames: [`${allowed}-${ns}`] },
      { apiGroups: ['cert-manager.io'], resources: ['clusterissuers'], verbs: ['get'], resourceNames: [`${allowed}-${ns}`] },
    ],
  );
  // The apiserver loads admission policies once a second after they change (its policy source):
  // right after the plane's start some may not be in force yet.
  await eventually(
    async () => (await refusal(tenant.client, VirtualMachines, vm({ rootDisk: { volume: 'forbidden' } })))?.status === 403 && (await refusal(tenant.client, Restores, restore('forbidden', { virtualMachine: allowed })))?.status === 403,
    30_000,
    'the admission policies in force',
  );
});
afterAll(async () => {
  await tenant?.cleanup();
  await deleteNamespace(admin, ns);
  admin.rest.close();
});

const meta = (name: string) => ({ name, namespace: ns });
const vm = (spec: Record<string, unknown>): KubeObject => ({
  apiVersion: 'stratus.dev/v1alpha1',
  kind: 'VirtualMachine',
  metadata: meta('vm'),
  spec: { rootDisk: { image: 'quay.io/containerdisks/fedora:41' }, ...spec },
});
const app = (spec: Record<string, unknown>): KubeObject => ({ apiVersion: 'stratus.dev/v1alpha1', kind: 'App', metadata: meta('app'), spec: { image: 'nginx:1.27', ...spec } });
const routed = (tls: Record<string, unknown>) => ({ ports: [{ name: 'http', port: 80 }], route: { hostnames: ['web.example.com'], tls } });
const volume = (source: Record<string, unknown>): KubeObject => ({ apiVersion: 'stratus.dev/v1alpha1', kind: 'Volume', metadata: meta('vol'), spec: { size: '1Gi', source } });
const network = (rules: Record<string, unknown>): KubeObject => ({ apiVersion: 'stratus.dev/v1alpha1', kind: 'Network', metadata: meta('net'), spec: { cidr: '10.9.0.0/24', rules } });
const scaler = (spec: Record<string, unknown>): KubeObject => ({
  apiVersion: 'stratus.dev/v1alpha1',
  kind: 'Scaler',
  metadata: meta('sc'),
  spec: { scaleTargetRef: { kind: 'App', name: allowed }, minReplicas: 1, maxReplicas: 3, ...spec },
});
const snapshot = (source: Record<string, unknown>): KubeObject => ({ apiVersion: 'stratus.dev/v1alpha1', kind: 'Snapshot', metadata: meta('snap'), spec: { source } });
const restore = (snap: string, target: Record<string, unknown>): KubeObject => ({ apiVersion: 'stratus.dev/v1alpha1', kind: 'Restore', metadata: meta('restore'), spec: { snapshot: snap, target } });
const schedule = (sources: Record<string, unknown>[]): KubeObject => ({
  apiVersion: 'stratus.dev/v1alpha1',
  kind: 'SnapshotSchedule',
  metadata: meta('nightly'),
  spec: { cron: '0 2 * * *', sources, retention: { keep: 3 } },
});
const image = (secret: string): KubeObject => ({
  apiVersion: 'stratus.dev/v1alpha1',
  kind: 'DiskImage',
  metadata: meta('img'),
  spec: { source: { http: { url: 'https://images.example.com/disk.qcow2', secretRef: { name: secret } } }, size: '1Gi' },
});
const objectMetric = (name: string) => ({ type: 'Object', object: { describedObject: { kind: 'ConfigMap', name }, metric: { name: 'depth' }, fieldPath: '.data.depth', target: { type: 'Value', value: '5' } } });
const externalMetric = (name: string) => ({
  type: 'External',
  external: { metric: { name: 'queue' }, source: { objectRef: { apiVersion: 'v1', kind: 'ConfigMap', name }, fieldPath: '.data.depth' }, target: { type: 'Value', value: '5' } },
});
const prometheusMetric = (secret: string) => ({ type: 'Prometheus', prometheus: { serverAddress: 'http://prometheus.monitoring:9090', query: 'up', threshold: '1', authSecretRef: { name: secret } } });

interface Case {
  field: string;
  /** What the tenant may not get, as admission names it (resource[.group]). */
  resource: string;
  type: ResourceType;
  /** The object naming `name` (an allowed one sits before it in lists, so the index shows). */
  object: (name: string) => KubeObject;
  clusterScoped?: boolean;
}

const cases: Case[] = [
  { field: 'spec.cloudInit.userDataSecretRef.name', resource: 'secrets', type: VirtualMachines, object: (n) => vm({ cloudInit: { userDataSecretRef: { name: n } } }) },
  { field: 'spec.rootDisk.volume', resource: 'volumes.stratus.dev', type: VirtualMachines, object: (n) => vm({ rootDisk: { volume: n } }) },
  {
    field: 'spec.disks[1].volume',
    resource: 'volumes.stratus.dev',
    type: VirtualMachines,
    object: (n) => vm({ disks: [{ name: 'a', volume: allowed }, { name: 'b', volume: n }] }),
  },
  {
    field: 'spec.networks[1].network',
    resource: 'networks.stratus.dev',
    type: VirtualMachines,
    object: (n) => vm({ networks: [{ name: 'a', network: allowed }, { name: 'b', network: n }] }),
  },
  {
    field: 'spec.instancetype.name',
    resource: 'virtualmachineinstancetypes.instancetype.kubevirt.io',
    type: VirtualMachines,
    object: (n) => vm({ instancetype: { kind: 'VirtualMachineInstancetype', name: n } }),
  },
  {
    field: 'spec.instancetype.name',
    resource: 'virtualmachineclusterinstancetypes.instancetype.kubevirt.io',
    type: VirtualMachines,
    object: (n) => vm({ instancetype: { name: n === allowed ? `${allowed}-${ns}` : n } }),
    clusterScoped: true,
  },
  {
    field: 'spec.env[1].secretKeyRef.name',
    resource: 'secrets',
    type: Apps,
    object: (n) => app({ env: [{ name: 'A', secretKeyRef: { name: allowed, key: 'k' } }, { name: 'B', secretKeyRef: { name: n, key: 'k' } }] }),
  },
  {
    field: 'spec.env[1].configMapKeyRef.name',
    resource: 'configmaps',
    type: Apps,
    object: (n) => app({ env: [{ name: 'A', value: 'x' }, { name: 'B', configMapKeyRef: { name: n, key: 'k' } }] }),
  },
  { field: 'spec.volumes[0].name', resource: 'volumes.stratus.dev', type: Apps, object: (n) => app({ volumes: [{ name: n, mountPath: '/data' }] }) },
  { field: 'spec.networks[0].network', resource: 'networks.stratus.dev', type: Apps, object: (n) => app({ networks: [{ name: 'data', network: n }] }) },
  {
    field: 'spec.dependsOn[1].name',
    resource: 'virtualmachines.stratus.dev',
    type: Apps,
    object: (n) => app({ dependsOn: [{ kind: 'App', name: allowed }, { kind: 'VirtualMachine', name: n }] }),
  },
  { field: 'spec.dependsOn[0].name', resource: 'volumes.stratus.dev', type: Apps, object: (n) => app({ dependsOn: [{ kind: 'Volume', name: n }] }) },
  { field: 'spec.dependsOn[0].name', resource: 'apps.stratus.dev', type: Apps, object: (n) => app({ dependsOn: [{ kind: 'App', name: n }] }) },
  { field: 'spec.route.tls.secretName', resource: 'secrets', type: Apps, object: (n) => app(routed({ secretName: n })) },
  { field: 'spec.route.tls.issuer.name', resource: 'issuers.cert-manager.io', type: Apps, object: (n) => app(routed({ issuer: { name: n } })) },
  {
    field: 'spec.route.tls.issuer.name',
    resource: 'clusterissuers.cert-manager.io',
    type: Apps,
    object: (n) => app(routed({ issuer: { kind: 'ClusterIssuer', name: n === allowed ? `${allowed}-${ns}` : n } })),
    clusterScoped: true,
  },
  { field: 'spec.source.http.secretRef.name', resource: 'secrets', type: Volumes, object: (n) => volume({ http: { url: 'https://images.example.com/disk.qcow2', secretRef: { name: n } } }) },
  { field: 'spec.source.volume.name', resource: 'volumes.stratus.dev', type: Volumes, object: (n) => volume({ volume: { name: n } }) },
  { field: 'spec.source.snapshot.name', resource: 'snapshots.stratus.dev', type: Volumes, object: (n) => volume({ snapshot: { name: n } }) },
  { field: 'spec.source.diskImage.name', resource: 'diskimages.stratus.dev', type: Volumes, object: (n) => volume({ diskImage: { name: n } }) },
  { field: 'spec.rootDisk.diskImage', resource: 'diskimages.stratus.dev', type: VirtualMachines, object: (n) => vm({ rootDisk: { diskImage: n } }) },
  { field: 'spec.source.virtualMachine', resource: 'virtualmachines.stratus.dev', type: Snapshots, object: (n) => snapshot({ virtualMachine: n }) },
  { field: 'spec.source.volume', resource: 'volumes.stratus.dev', type: Snapshots, object: (n) => snapshot({ volume: n }) },
  { field: 'spec.snapshot', resource: 'snapshots.stratus.dev', type: Restores, object: (n) => restore(n, { virtualMachine: allowed }) },
  { field: 'spec.sources[1].volume', resource: 'volumes.stratus.dev', type: SnapshotSchedules, object: (n) => schedule([{ virtualMachine: allowed }, { volume: n }]) },
  { field: 'spec.sources[0].virtualMachine', resource: 'virtualmachines.stratus.dev', type: SnapshotSchedules, object: (n) => schedule([{ virtualMachine: n }]) },
  { field: 'spec.source.http.secretRef.name', resource: 'secrets', type: DiskImages, object: (n) => image(n) },
  {
    field: 'spec.rules.ingress[1].from[1].network',
    resource: 'networks.stratus.dev',
    type: Networks,
    object: (n) => network({ ingress: [{ from: [{ cidr: '10.0.0.0/8' }] }, { from: [{ network: allowed }, { network: n }] }] }),
  },
  { field: 'spec.rules.egress[0].to[0].network', resource: 'networks.stratus.dev', type: Networks, object: (n) => network({ egress: [{ to: [{ network: n }] }] }) },
  { field: 'spec.metrics[1].prometheus.authSecretRef.name', resource: 'secrets', type: Scalers, object: (n) => scaler({ metrics: [objectMetric(allowed), prometheusMetric(n)] }) },
  { field: 'spec.metrics[1].object.describedObject', resource: 'configmaps', type: Scalers, object: (n) => scaler({ metrics: [objectMetric(allowed), objectMetric(n)] }) },
  { field: 'spec.metrics[0].external.source.objectRef', resource: 'configmaps', type: Scalers, object: (n) => scaler({ metrics: [externalMetric(n)] }) },
  {
    field: 'spec.scaleTargetRef',
    resource: 'deployments.apps',
    type: Scalers,
    object: (n) => scaler({ scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: n }, metrics: [objectMetric(allowed)] }),
  },
];

async function refusal(client: Client, type: ResourceType, obj: KubeObject): Promise<ApiError | undefined> {
  try {
    await client.create(type, obj, { dryRun: true });
    return undefined;
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
}

describe.each(cases)('$type.kind $field', (c) => {
  it('is refused, naming the field and the missing permission, for an object the tenant may not read', async () => {
    const err = await refusal(tenant.client, c.type, c.object('forbidden'));
    expect(err?.status).toBe(403);
    const where = c.clusterScoped ? '' : ` in namespace ${ns}`;
    expect(err?.body.message).toContain(`denied request: ${c.field}: ${tenant.username} may not get ${c.resource} "forbidden"${where}`);
  });

  it('is accepted for an object the tenant may read', async () => {
    expect(await refusal(tenant.client, c.type, c.object(allowed))).toBeUndefined();
  });
});

describe('what admission asks', () => {
  it('asks only about references a change adds: others can still edit an object naming what they may not read', async () => {
    const name = 'shared';
    const created = await admin.create(Apps, { ...app({ env: [{ name: 'DB', secretKeyRef: { name: 'forbidden', key: 'password' } }] }), metadata: meta(name) });
    const edited = { ...created, spec: { ...(created.spec as Record<string, unknown>), replicas: 2 } };
    expect(await tenant.client.update(Apps, edited).then(() => 'updated')).toBe('updated');
    const current = await admin.get(Apps, ns, name);
    const renamed = { ...current, spec: { ...(current.spec as Record<string, unknown>), env: [{ name: 'DB', secretKeyRef: { name: 'forbidden-too', key: 'password' } }] } };
    const err = await tenant.client.update(Apps, renamed).catch((e: unknown) => e as ApiError);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).body.message).toContain(`spec.env[0].secretKeyRef.name: ${tenant.username} may not get secrets "forbidden-too"`);
  });

  it('checks a scale target for update as well as get', async () => {
    const err = await refusal(tenant.client, Scalers, scaler({ scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'read-only' }, metrics: [objectMetric(allowed)] }));
    expect(err?.body.message).toContain(`spec.scaleTargetRef: ${tenant.username} may not update (nor scale) deployments.apps "read-only" in namespace ${ns}`);
  });

  it('needs permission for the whole namespace beyond 8 objects of one kind, even if each may be read', async () => {
    const env = manyAllowed.map((n, i) => ({ name: `V${i}`, secretKeyRef: { name: n, key: 'k' } }));
    const err = await refusal(tenant.client, Apps, app({ env }));
    expect(err?.body.message).toContain(`spec: names 9 secrets; beyond 8, ${tenant.username} needs permission to get every one of them in namespace ${ns}`);
    expect(await refusal(tenant.client, Apps, app({ env: env.slice(0, 8) }))).toBeUndefined();
    expect(await refusal(admin, Apps, app({ env }))).toBeUndefined();
  });

  it('refuses a Secret as a metric object for everyone, in the schema (so stratus validate agrees)', async () => {
    for (const client of [admin, tenant.client]) {
      const err = await refusal(client, Scalers, scaler({ metrics: [{ ...objectMetric(allowed), object: { ...objectMetric(allowed).object, describedObject: { kind: 'Secret', name: allowed } } }] }));
      expect(err?.status).toBe(422);
      expect(err?.body.message).toMatch(/spec\.metrics\[0\]\.object\.describedObject: Invalid value: .*Secrets hold credentials, not metrics/);
    }
  });
});

describe('what a restore or a schedule makes Stratus do to objects it does not name one by one', () => {
  let operator: Tenant;

  beforeAll(async () => {
    // May make Restores and schedules, read every VM and Volume, change only the VM named "allowed", list nothing, create nothing else.
    operator = await createTenant(admin, ns, 'operator', [
      { apiGroups: ['stratus.dev'], resources: ['restores', 'snapshotschedules'], verbs: ['create'] },
      { apiGroups: ['stratus.dev'], resources: ['virtualmachines', 'volumes', 'snapshots'], verbs: ['get'] },
      { apiGroups: ['stratus.dev'], resources: ['virtualmachines'], verbs: ['update'], resourceNames: [allowed] },
    ]);
  });
  afterAll(async () => {
    await operator?.cleanup();
  });

  it('a restore in place needs update on the VM it writes over', async () => {
    const err = await refusal(operator.client, Restores, restore(allowed, { virtualMachine: 'forbidden' }));
    expect(err?.status).toBe(403);
    expect(err?.body.message).toContain(`spec.target.virtualMachine: ${operator.username} may not update virtualmachines.stratus.dev "forbidden" in namespace ${ns}`);
    expect(await refusal(operator.client, Restores, restore(allowed, { virtualMachine: allowed }))).toBeUndefined();
  });

  it('a restore into a new VM needs create on VirtualMachines and Volumes', async () => {
    const err = await refusal(operator.client, Restores, restore(allowed, { newVirtualMachine: 'copy' }));
    expect(err?.status).toBe(403);
    // One of the two policies answers first.
    expect(err?.body.message).toMatch(new RegExp(`spec\\.target\\.newVirtualMachine: ${operator.username} may not create (virtualmachines|volumes)\\.stratus\\.dev in namespace ${ns} \\(Stratus creates them for this object\\)`));
    expect(await refusal(tenant.client, Restores, restore(allowed, { newVirtualMachine: 'copy' }))).toBeUndefined();
  });

  it('a label selector needs list on what it may match', async () => {
    const err = await refusal(operator.client, SnapshotSchedules, schedule([{ volume: allowed }, { volumeSelector: { matchLabels: { backup: 'nightly' } } }]));
    expect(err?.status).toBe(403);
    expect(err?.body.message).toContain(`spec.sources[1].volumeSelector: ${operator.username} may not list volumes.stratus.dev in namespace ${ns} (a selector acts on every one it matches)`);
    expect(await refusal(tenant.client, SnapshotSchedules, schedule([{ volumeSelector: { matchLabels: { backup: 'nightly' } } }]))).toBeUndefined();
  });
});
