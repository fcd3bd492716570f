// Simulated storage and CDI: claims are provisioned and grow on request, or
// wait for their first consumer; DataVolumes import into a Bound claim and
// reach Succeeded.
import type { PersistentVolumeClaim, Pod } from '../../pkg/kube/core-types.js';
import { PersistentVolumeClaims, PersistentVolumes, Pods } from '../../pkg/kube/resources.js';
import { DataVolumes, type DataVolume } from '../../pkg/contracts/cdi/index.js';
import type { Client } from '../../pkg/runtime/client/client.js';
import { createNamespace, deleteNamespace, eventually, kubectl, testClient } from '../support/kube.js';

let client: Client;
let ns: string;

beforeAll(async () => {
  client = testClient();
  ns = await createNamespace(client, 'storage');
});
afterAll(async () => {
  await deleteNamespace(client, ns);
  client.rest.close();
});

const claim = (name: string, size: string): PersistentVolumeClaim => ({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { name, namespace: ns },
  spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: size } } },
});

it('binds a claim of the WaitForFirstConsumer class only once a pod using it is scheduled, on that pod\'s node', async () => {
  await client.create(PersistentVolumeClaims, { ...claim('late', '1Gi'), spec: { ...claim('late', '1Gi').spec, storageClassName: 'stratus-sim-wffc' } });
  // kube-controller-manager's PV controller says why it does not provision yet.
  await eventually(async () => (await kubectl(['-n', ns, 'get', 'events', '--field-selector', 'involvedObject.name=late', '-o', 'jsonpath={.items[*].reason}'])).stdout.includes('WaitForFirstConsumer'), 30_000, 'the WaitForFirstConsumer event');
  const waiting = await client.get<PersistentVolumeClaim>(PersistentVolumeClaims, ns, 'late');
  expect(waiting.status?.phase).toBe('Pending');
  expect(waiting.metadata.annotations?.['volume.kubernetes.io/selected-node']).toBeUndefined();

  await client.create(Pods, {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'consumer', namespace: ns },
    spec: { containers: [{ name: 'c', image: 'busybox' }], volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'late' } }] },
  });
  const running = await eventually(async () => {
    const p = await client.get<Pod>(Pods, ns, 'consumer');
    return p.status?.phase === 'Running' ? p : undefined;
  }, 30_000, 'the consumer Running');
  const bound = await client.get<PersistentVolumeClaim>(PersistentVolumeClaims, ns, 'late');
  expect(bound.status?.phase).toBe('Bound');
  expect(bound.metadata.annotations?.['volume.kubernetes.io/selected-node']).toBe(running.spec.nodeName);
});

it('binds a claim of the default class and grows it when its request grows', async () => {
  await client.create(PersistentVolumeClaims, claim('data', '1Gi'));
  const bound = await eventually(async () => {
    const c = await client.get<PersistentVolumeClaim>(PersistentVolumeClaims, ns, 'data');
    return c.status?.phase === 'Bound' ? c : undefined;
  }, 30_000, 'claim Bound');
  expect(bound.spec.storageClassName).toBe('stratus-sim');
  expect(bound.status?.capacity?.storage).toBe('1Gi');

  await client.patch(PersistentVolumeClaims, ns, 'data', { merge: { spec: { resources: { requests: { storage: '3Gi' } } } } });
  const grown = await eventually(async () => {
    const c = await client.get<PersistentVolumeClaim>(PersistentVolumeClaims, ns, 'data');
    return c.status?.capacity?.storage === '3Gi' ? c : undefined;
  }, 30_000, 'capacity 3Gi');
  expect(grown.status?.conditions ?? []).toEqual([]);
  const pv = await client.get(PersistentVolumes, undefined, grown.spec.volumeName!);
  expect((pv.spec as { capacity: { storage: string } }).capacity.storage).toBe('3Gi');
});

it('imports a DataVolume into a Bound claim and reports Succeeded', async () => {
  await client.create(DataVolumes, {
    apiVersion: 'cdi.kubevirt.io/v1beta1',
    kind: 'DataVolume',
    metadata: { name: 'fedora', namespace: ns },
    spec: { source: { http: { url: 'https://download.example/fedora.qcow2' } }, storage: { resources: { requests: { storage: '5Gi' } } } },
  });
  const wait = await kubectl(['-n', ns, 'wait', '--for=jsonpath={.status.phase}=Succeeded', 'dv/fedora', '--timeout=60s']);
  expect(wait.code).toBe(0);
  const dv = await client.get<DataVolume>(DataVolumes, ns, 'fedora');
  expect(dv.status).toMatchObject({ phase: 'Succeeded', progress: '100.0%', claimName: 'fedora' });
  expect(dv.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
  const pvc = await client.get<PersistentVolumeClaim>(PersistentVolumeClaims, ns, 'fedora');
  expect(pvc.status?.phase).toBe('Bound');
  expect(pvc.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'DataVolume', name: 'fedora', controller: true });
});

it('keeps restarting an import whose source answers 404, as CDI does', async () => {
  await client.create(DataVolumes, {
    apiVersion: 'cdi.kubevirt.io/v1beta1',
    kind: 'DataVolume',
    metadata: { name: 'broken', namespace: ns },
    spec: { source: { http: { url: 'https://download.example/does-not-exist.qcow2' } }, storage: { resources: { requests: { storage: '1Gi' } } } },
  });
  const dv = await eventually(async () => {
    const d = await client.get<DataVolume>(DataVolumes, ns, 'broken');
    return d.status?.conditions?.find((c) => c.type === 'Running' && c.reason === 'Error') ? d : undefined;
  }, 30_000, 'import error');
  expect(dv.status?.phase).toBe('ImportInProgress');
  expect(dv.status?.conditions?.find((c) => c.type === 'Running')?.message).toContain('404');
});
