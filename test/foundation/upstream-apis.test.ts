// The third-party APIs the plane serves are the pinned upstream ones: every
// CRD the apiserver serves digests as its committed lock says (so it prunes
// and refuses exactly what a real cluster's would), none is served that no
// lock names, Gateway API's carry their bundle version, every resource
// handle in pkg/contracts is served as it says, and KubeVirt's and CDI's
// webhooks are registered.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as cdi from '../../pkg/contracts/cdi/resources.js';
import { contractApis } from '../../pkg/contracts/codegen/apis.js';
import type { CrdLock } from '../../pkg/contracts/codegen/files.js';
import { crdDigest } from '../../pkg/contracts/crd-digest.js';
import * as csiSnapshot from '../../pkg/contracts/csi-snapshot/resources.js';
import { bundleVersionAnnotation, channelAnnotation } from '../../pkg/contracts/gateway/bundle.js';
import * as gateway from '../../pkg/contracts/gateway/resources.js';
import * as kubevirt from '../../pkg/contracts/kubevirt/resources.js';
import * as multus from '../../pkg/contracts/multus/resources.js';
import { CustomResourceDefinitions, MutatingWebhookConfigurations, ValidatingWebhookConfigurations } from '../../pkg/kube/resources.js';
import type { Client } from '../../pkg/runtime/client/client.js';
import { apiVersionOf, type ResourceType } from '../../pkg/meta/resource.js';
import { RestMapper } from '../../pkg/runtime/client/rest-mapper.js';
import type { KubeObject } from '../../pkg/meta/object.js';
import { packageRoot } from '../../pkg/util/package-root.js';
import { testClient } from '../support/kube.js';

let client: Client;
let served: Map<string, KubeObject>;
const locks = new Map(
  contractApis.map((api) => [api.folder, JSON.parse(readFileSync(join(packageRoot(), 'pkg', 'contracts', api.folder, 'crds.lock.json'), 'utf8')) as CrdLock]),
);
const locked = new Map([...locks.values()].flatMap((l) => Object.entries(l.crds)));

beforeAll(async () => {
  client = testClient();
  const crds = (await client.list(CustomResourceDefinitions)).items.filter((c) => !c.metadata.name!.endsWith('.stratus.dev'));
  served = new Map(crds.map((c) => [c.metadata.name!, c]));
});
afterAll(() => client.rest.close());

it('serves every locked CRD with the locked digest, and no other third-party CRD', () => {
  const digests = Object.fromEntries([...served].map(([name, crd]) => [name, crdDigest(crd)]));
  expect(digests).toEqual(Object.fromEntries(locked));
});

it("serves Gateway API's CRDs stamped with the pinned release, standard channel", () => {
  const version = locks.get('gateway')!.modules['sigs.k8s.io/gateway-api'];
  const stamps = [...served.values()]
    .filter((c) => c.metadata.name!.endsWith('.gateway.networking.k8s.io'))
    .map((c) => [c.metadata.annotations?.[bundleVersionAnnotation], c.metadata.annotations?.[channelAnnotation]]);
  expect(stamps.length).toBeGreaterThan(0);
  for (const stamp of stamps) expect(stamp).toEqual([version, 'standard']);
});

it('serves every resource handle of pkg/contracts at its version, kind and scope', async () => {
  const mapper = new RestMapper(client.rest);
  const handles = Object.values({ ...cdi, ...csiSnapshot, ...gateway, ...kubevirt, ...multus }) as ResourceType[];
  for (const h of handles) {
    const mapped = await mapper.resourceFor(apiVersionOf(h), h.kind);
    expect({ kind: h.kind, resource: mapped.resource, namespaced: mapped.namespaced }).toEqual({ kind: h.kind, resource: h.resource, namespaced: h.namespaced });
  }
});

it("registers KubeVirt's and CDI's webhooks, pointed at the admission server", async () => {
  const configs = [...(await client.list(ValidatingWebhookConfigurations)).items, ...(await client.list(MutatingWebhookConfigurations)).items] as (KubeObject & {
    webhooks: { name: string; clientConfig: { url?: string } }[];
  })[];
  const names = configs.flatMap((c) => c.webhooks.map((w) => w.name));
  expect(names).toEqual(expect.arrayContaining(['virtualmachine-validator.kubevirt.io', 'virtualmachines-mutator.kubevirt.io', 'datavolume-validate.cdi.kubevirt.io', 'datavolume-mutate.cdi.kubevirt.io']));
  for (const c of configs) for (const w of c.webhooks) expect(w.clientConfig.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\//);
});
