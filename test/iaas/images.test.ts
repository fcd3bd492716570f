// Golden images: a DiskImage imported once; a VM and a Volume from it clone
// it (no import of their own) and get its data; deleting it waits while a
// clone of it is in progress; a refresh imports a new revision without
// touching the VMs that have their disks. Schedules run on a clock 30 times
// faster than the wall clock.
import { DiskImages, VirtualMachines, Volumes } from '../../pkg/api/resources.js';
import type { DiskImage, VirtualMachine, Volume } from '../../pkg/api/types.generated.js';
import { DataSources, DataVolumes, type DataSource, type DataVolume } from '../../pkg/contracts/cdi/index.js';
import { KubeVirtVirtualMachineInstances } from '../../pkg/contracts/kubevirt/index.js';
import type { PersistentVolume, PersistentVolumeClaim } from '../../pkg/kube/core-types.js';
import { PersistentVolumeClaims, PersistentVolumes } from '../../pkg/kube/resources.js';
import type { RunningOperator } from '../../pkg/cli/operator.js';
import type { Client } from '../../pkg/runtime/client/client.js';
import { findCondition } from '../../pkg/runtime/conditions/conditions.js';
import type { KubeObject } from '../../pkg/meta/object.js';
import { contentOf } from '../../pkg/simulators/storage/content.js';
import { acceleratedClock } from '../support/clock.js';
import { readData } from '../support/disks.js';
import { createNamespace, deleteNamespace, eventually, testClient } from '../support/kube.js';
import { settled, startTestOperator } from '../support/operator.js';

let client: Client;
let ns: string;
let operator: RunningOperator;
const url = 'https://cloud.example/debian-12-generic-amd64.qcow2';

beforeAll(async () => {
  client = testClient();
  ns = await createNamespace(client, 'images');
  operator = await startTestOperator(ns, undefined, undefined, acceleratedClock(30));
});
afterAll(async () => {
  await operator?.stop();
  await deleteNamespace(client, ns);
  client.rest.close();
});

const ready = (o: KubeObject) => findCondition((o.status as { conditions?: [] } | undefined)?.conditions, 'Ready')?.status === 'True';
async function until<T extends KubeObject>(type: typeof DiskImages, name: string, test: (o: T) => boolean, what: string): Promise<T> {
  return eventually(async () => {
    const o = await client.get<T>(type, ns, name);
    return test(o) ? o : undefined;
  }, 60_000, what);
}
const image = (name: string, spec: Partial<DiskImage['spec']> = {}): DiskImage => ({
  apiVersion: 'stratus.dev/v1alpha1',
  kind: 'DiskImage',
  metadata: { name, namespace: ns },
  spec: { source: { http: { url } }, size: '2Gi', ...spec },
});
const vm = (name: string, diskImage: string): VirtualMachine => ({
  apiVersion: 'stratus.dev/v1alpha1',
  kind: 'VirtualMachine',
  metadata: { name, namespace: ns },
  spec: { rootDisk: { diskImage, size: '8Gi', bus: 'virtio' }, powerState: 'Running', updatePolicy: 'Manual' },
});
const imports = async () => (await client.list<DataVolume>(DataVolumes, { namespace: ns })).items.filter((dv) => dv.spec.source?.http || dv.spec.source?.registry);

it('imports a DiskImage once; a VM from it runs on a clone, with no import of its own', async () => {
  await client.create(DiskImages, image('debian'));
  const ready1 = await until<DiskImage>(DiskImages, 'debian', ready, 'DiskImage Ready');
  expect(ready1.status).toMatchObject({ phase: 'Ready', revision: 1, dataSource: 'debian', size: '2Gi', clones: 0 });
  const ds = await client.get<DataSource>(DataSources, ns, 'debian');
  expect(ds.spec.source).toEqual({ pvc: { namespace: ns, name: 'debian-1' } });

  await client.create(VirtualMachines, vm('web-1', 'debian'));
  await until<VirtualMachine>(VirtualMachines, 'web-1', (v) => ready(v) && v.status?.phase === 'Running', 'VM running');
  expect((await imports()).map((dv) => dv.metadata.name)).toEqual(['debian-1']);
  const root = await client.get<DataVolume>(DataVolumes, ns, 'web-1-rootdisk');
  expect(root.spec.sourceRef).toEqual({ kind: 'DataSource', name: 'debian' });
  expect(root.spec.storage?.resources?.requests?.storage).toBe('8Gi');
  expect(await readData(client, ns, 'web-1-rootdisk')).toBe(`http ${url}`);
  const claim = await client.get<PersistentVolumeClaim>(PersistentVolumeClaims, ns, 'web-1-rootdisk');
  const pv = await client.get<PersistentVolume>(PersistentVolumes, undefined, claim.spec.volumeName!);
  expect(contentOf(pv).lineage.at(-1)).toMatch(new RegExp(`^cloned from ${ns}/debian-1 at `));
});

it('clones it into a Volume too, at least as big as the image', async () => {
  await client.create(Volumes, { apiVersion: 'stratus.dev/v1alpha1', kind: 'Volume', metadata: { name: 'scratch', namespace: ns }, spec: { size: '4Gi', source: { diskImage: { name: 'debian' } } } });
  await until<Volume>(Volumes, 'scratch', ready, 'Volume Ready');
  expect(await readData(client, ns, 'scratch')).toBe(`http ${url}`);
  await client.create(Volumes, { apiVersion: 'stratus.dev/v1alpha1', kind: 'Volume', metadata: { name: 'tiny', namespace: ns }, spec: { size: '1Gi', source: { diskImage: { name: 'debian' } } } });
  const tiny = await until<Volume>(Volumes, 'tiny', (v) => findCondition(v.status?.conditions, 'Stalled')?.status === 'True', 'Volume stalled');
  expect(findCondition(tiny.status?.conditions, 'Stalled')?.message).toBe('spec.size 1Gi is smaller than DiskImage debian (2Gi)');
});

it('is not deleted while a clone of it is in progress', async () => {
  // A clone that cannot finish: its claim is never provisioned.
  await client.create(DataVolumes, {
    apiVersion: 'cdi.kubevirt.io/v1beta1',
    kind: 'DataVolume',
    metadata: { name: 'slow-clone', namespace: ns, annotations: { 'sim.stratus.dev/inject-failure': 'ProvisioningFailed' } },
    spec: { sourceRef: { kind: 'DataSource', name: 'debian' }, storage: { resources: { requests: { storage: '2Gi' } } } },
  });
  await until<DiskImage>(DiskImages, 'debian', (i) => i.status?.clones === 1, 'the clone counted');
  await client.delete(DiskImages, ns, 'debian');
  const blocked = await until<DiskImage>(DiskImages, 'debian', (i) => findCondition(i.status?.conditions, 'Reconciling')?.reason === 'DeletionBlocked', 'deletion blocked');
  expect(findCondition(blocked.status?.conditions, 'Reconciling')?.message).toBe('deletion waits until no clone of the image is in progress (1 now)');
  await settled([operator]);
  expect(await client.tryGet(DiskImages, ns, 'debian')).toBeDefined();
  expect(await client.tryGet(DataVolumes, ns, 'debian-1')).toBeDefined();
  await client.delete(DataVolumes, ns, 'slow-clone');
  await eventually(async () => !(await client.tryGet(DiskImages, ns, 'debian')), 30_000, 'DiskImage gone');
  // The VM made from it keeps its own disk and runs on.
  expect(ready(await client.get(VirtualMachines, ns, 'web-1'))).toBe(true);
  expect(await readData(client, ns, 'web-1-rootdisk')).toBe(`http ${url}`);
});

it('refreshes on its schedule as a new revision, leaving running VMs alone', async () => {
  await client.create(DiskImages, image('fedora', { refresh: { cron: '*/5 * * * *', timezone: 'UTC' } }));
  await until<DiskImage>(DiskImages, 'fedora', (i) => ready(i) && i.status?.revision === 1, 'revision 1');
  await client.create(VirtualMachines, vm('web-2', 'fedora'));
  await until<VirtualMachine>(VirtualMachines, 'web-2', (v) => ready(v) && v.status?.phase === 'Running', 'VM running');
  const instance = (await client.get(KubeVirtVirtualMachineInstances, ns, 'web-2')).metadata.uid;
  const refreshed = await until<DiskImage>(DiskImages, 'fedora', (i) => i.status?.revision === 2, 'revision 2');
  expect(refreshed.status?.lastRefreshTime).toMatch(/:[0-5]0:00Z|:[0-5]5:00Z/);
  expect((await client.get<DataSource>(DataSources, ns, 'fedora')).spec.source.pvc?.name).toBe('fedora-2');
  await eventually(async () => !(await client.tryGet(DataVolumes, ns, 'fedora-1')), 30_000, 'revision 1 gone');
  await settled([operator]);
  const still = await client.get<VirtualMachine>(VirtualMachines, ns, 'web-2');
  expect(ready(still)).toBe(true);
  expect(still.status?.pendingChanges).toBeUndefined();
  expect((await client.get(KubeVirtVirtualMachineInstances, ns, 'web-2')).metadata.uid).toBe(instance);
  expect(await readData(client, ns, 'web-2-rootdisk')).toBe(`http ${url}`);
});
