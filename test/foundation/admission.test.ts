// Admission as on a real cluster: the embedded plane runs virt-api's and
// cdi-apiserver's own webhooks (stratus-admission, built from the pinned
// kubevirt.io/kubevirt and kubevirt.io/containerized-data-importer), so it
// refuses what KubeVirt and CDI refuse, in their words, and writes into VMs
// and VMIs the defaults KubeVirt writes.
import {
  KubeVirtVirtualMachineInstances,
  KubeVirtVirtualMachines,
  templateSpecOf,
  type VirtualMachine as KubeVirtVirtualMachine,
  type VirtualMachineInstance,
} from '../../pkg/contracts/kubevirt/index.js';
import { DataVolumes } from '../../pkg/contracts/cdi/index.js';
import { ApiError } from '../../pkg/runtime/client/api-error.js';
import type { Client } from '../../pkg/runtime/client/client.js';
import type { KubeObject } from '../../pkg/meta/object.js';
import { createNamespace, deleteNamespace, eventually, kubectl, testClient } from '../support/kube.js';

let client: Client;
let ns: string;

beforeAll(async () => {
  client = testClient();
  ns = await createNamespace(client, 'admission');
});
afterAll(async () => {
  await deleteNamespace(client, ns);
  client.rest.close();
});

function vm(name: string, edit: (spec: NonNullable<KubeVirtVirtualMachine['spec']['template']['spec']>) => void = () => {}): KubeVirtVirtualMachine {
  const spec: NonNullable<KubeVirtVirtualMachine['spec']['template']['spec']> = {
    domain: { memory: { guest: '512Mi' }, devices: { disks: [{ name: 'root' }], interfaces: [{ name: 'default', masquerade: {} }] } },
    networks: [{ name: 'default', pod: {} }],
    volumes: [{ name: 'root', containerDisk: { image: 'quay.io/containerdisks/fedora:41' } }],
  };
  edit(spec);
  return { apiVersion: 'kubevirt.io/v1', kind: 'VirtualMachine', metadata: { name, namespace: ns }, spec: { runStrategy: 'Halted', template: { spec } } };
}

/** What the apiserver answered a create with, or undefined when it was admitted. */
async function refusal(obj: KubeVirtVirtualMachine): Promise<string | undefined> {
  try {
    await client.create(KubeVirtVirtualMachines, obj);
    return undefined;
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    return err.body.message;
  }
}

const withCloudInit = (cloudInitNoCloud: Record<string, unknown>) => (s: NonNullable<KubeVirtVirtualMachine['spec']['template']['spec']>) => {
  s.domain.devices.disks!.push({ name: 'cloudinit', disk: { bus: 'virtio' } });
  s.volumes!.push({ name: 'cloudinit', cloudInitNoCloud });
};

it('refuses inline cloud-init user data and network data over 2,048 bytes, as KubeVirt words it', async () => {
  expect(await refusal(vm('big-user-data', withCloudInit({ userData: `#cloud-config\n${'x'.repeat(3072)}` })))).toBe(
    'admission webhook "virtualmachine-validator.kubevirt.io" denied the request: spec.template.spec.volumes[1].cloudInitNoCloud userdata exceeds 2048 byte limit. Should use UserDataSecretRef for larger data.',
  );
  expect(await refusal(vm('big-network-data', withCloudInit({ userData: '#cloud-config\n', networkData: `version: 2\n#${'x'.repeat(3072)}` })))).toBe(
    'admission webhook "virtualmachine-validator.kubevirt.io" denied the request: spec.template.spec.volumes[1].cloudInitNoCloud networkdata exceeds 2048 byte limit. Should use NetworkDataSecretRef for larger data.',
  );
  // kubectl shows the same refusal.
  const viaKubectl = await kubectl(['apply', '-f', '-'], JSON.stringify(vm('big-kubectl', withCloudInit({ userData: 'x'.repeat(2049) }))));
  expect(viaKubectl.code).not.toBe(0);
  expect(viaKubectl.stderr).toContain('userdata exceeds 2048 byte limit');
  // At the limit, and from a Secret of any size, it is admitted.
  expect(await refusal(vm('user-data-at-limit', withCloudInit({ userData: 'x'.repeat(2048) })))).toBeUndefined();
  expect(await refusal(vm('user-data-secret', withCloudInit({ secretRef: { name: 'cloud-init' } })))).toBeUndefined();
});

it('refuses disks without a volume and interfaces without a network', async () => {
  const diskWithoutVolume = await refusal(vm('orphan-disk', (s) => s.domain.devices.disks!.push({ name: 'data' })));
  expect(diskWithoutVolume).toMatch(/^admission webhook "virtualmachine-validator.kubevirt.io" denied the request: .*data/);
  const interfaceWithoutNetwork = await refusal(vm('orphan-interface', (s) => s.domain.devices.interfaces!.push({ name: 'backend', bridge: {} })));
  expect(interfaceWithoutNetwork).toMatch(/^admission webhook "virtualmachine-validator.kubevirt.io" denied the request: .*backend/);
});

it('writes KubeVirt defaults into the VM (firmware identity, machine type, architecture) and more into the VMI', async () => {
  const created = await client.create<KubeVirtVirtualMachine>(KubeVirtVirtualMachines, vm('defaults'));
  const spec = templateSpecOf(created);
  expect(spec.domain.firmware?.uuid).toMatch(/^[0-9a-f-]{36}$/);
  expect(spec.domain.firmware?.serial).toMatch(/^[0-9a-f-]{36}$/);
  expect(spec.domain.machine?.type).toBe('q35');
  expect(spec.architecture).toBe('amd64');

  await client.patch(KubeVirtVirtualMachines, ns, 'defaults', { merge: { spec: { runStrategy: 'Always' } } });
  const vmi = await eventually(() => client.tryGet<VirtualMachineInstance>(KubeVirtVirtualMachineInstances, ns, 'defaults'), 30_000, 'the VMI');
  // The VMI keeps the VM's firmware identity and gains what virt-api's VMI mutator sets.
  expect(vmi.spec.domain.firmware?.uuid).toBe(spec.domain.firmware?.uuid);
  expect(vmi.metadata.finalizers).toContain('kubevirt.io/foregroundDeleteVirtualMachine');
  // A disk without a bus gets amd64's default (pkg/defaults/amd64.go).
  expect(vmi.spec.domain.devices.disks?.[0]?.disk?.bus).toBe('sata');
});

it("refuses DataVolumes CDI refuses: no size, several sources, a registry URL that is not docker:// or oci-archive://", async () => {
  const dv = (name: string, spec: Record<string, unknown>) => ({ apiVersion: 'cdi.kubevirt.io/v1beta1', kind: 'DataVolume', metadata: { name, namespace: ns }, spec });
  const refused = async (obj: KubeObject): Promise<string | undefined> =>
    client.create(DataVolumes, obj).then(
      () => undefined,
      (err: unknown) => {
        if (!(err instanceof ApiError)) throw err;
        return err.body.message;
      },
    );
  const denied = 'admission webhook "datavolume-validate.cdi.kubevirt.io" denied the request: ';
  expect(await refused(dv('no-size', { source: { blank: {} }, storage: {} }))).toBe(`${denied} Storage size is missing`);
  expect(await refused(dv('two-sources', { source: { blank: {}, http: { url: 'https://example.com/disk.img' } }, storage: { resources: { requests: { storage: '1Gi' } } } }))).toBe(
    `${denied} Multiple Data volume sources`,
  );
  expect(await refused(dv('bad-registry', { source: { registry: { url: 'quay.io/containerdisks/fedora:41' } }, storage: { resources: { requests: { storage: '1Gi' } } } }))).toMatch(
    /Illegal registry source URL scheme/,
  );
  expect(await refused(dv('fine', { source: { blank: {} }, storage: { resources: { requests: { storage: '1Gi' } } } }))).toBeUndefined();
});
