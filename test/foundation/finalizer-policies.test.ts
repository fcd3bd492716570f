// The wait after installing mutating policies: until the apiserver has the
// schema of a newly installed kind, it refuses creates that a policy matches
// (503), and until it has loaded the policy, new objects miss the finalizer.
// A kind of a group of its own is new to this apiserver, as Stratus's kinds
// are on the first install.
import { randomBytes } from 'node:crypto';
import { finalizerPolicy } from '../../pkg/api/admission/finalizer-policies.js';
import { installMutatingPolicies, waitForFinalizerPolicies } from '../../pkg/apply/admission-policies.js';
import { installCrds } from '../../pkg/apply/crds.js';
import { CustomResourceDefinitions, MutatingAdmissionPolicies, MutatingAdmissionPolicyBindings } from '../../pkg/kube/resources.js';
import type { Client } from '../../pkg/runtime/client/client.js';
import type { KubeObject } from '../../pkg/meta/object.js';
import { resourceType } from '../../pkg/meta/resource.js';
import { createNamespace, deleteNamespace, testClient } from '../support/kube.js';

const group = `g${randomBytes(4).toString('hex')}.test.stratus.dev`;
const Gadgets = resourceType(group, 'v1', 'gadgets', 'Gadget');
const finalizer = 'test.stratus.dev/hold';

const crd: KubeObject = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: `gadgets.${group}` },
  spec: {
    group,
    scope: 'Namespaced',
    names: { plural: 'gadgets', singular: 'gadget', kind: 'Gadget', listKind: 'GadgetList' },
    versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'string' } } } } } } }],
  },
};
const policies = finalizerPolicy(group, 'gadgets', 'Gadget', finalizer);
const gadget = (namespace: string, name?: string): KubeObject => ({
  apiVersion: `${group}/v1`,
  kind: 'Gadget',
  metadata: name ? { name, namespace } : { generateName: 'probe-', namespace },
  spec: { size: '1' },
});

let client: Client;
let ns: string;

beforeAll(async () => {
  client = testClient();
  ns = await createNamespace(client, 'finalizer-policies');
});
afterAll(async () => {
  await client.patch(Gadgets, ns, 'first', { merge: { metadata: { finalizers: null } } }).catch(() => undefined);
  await deleteNamespace(client, ns);
  await client.deleteIfExists(MutatingAdmissionPolicyBindings, undefined, policies[1]!.metadata.name!);
  await client.deleteIfExists(MutatingAdmissionPolicies, undefined, policies[0]!.metadata.name!);
  await client.deleteIfExists(CustomResourceDefinitions, undefined, crd.metadata.name!);
  client.rest.close();
});

it('returns once a new kind gets its finalizer, so the first real create is admitted and carries it', async () => {
  await installCrds(client, [crd]);
  expect(await installMutatingPolicies(client, policies)).toBe(true);
  await waitForFinalizerPolicies(client, [{ type: Gadgets, object: gadget(ns), finalizer }]);
  const created = await client.create(Gadgets, gadget(ns, 'first'));
  expect(created.metadata.finalizers).toEqual([finalizer]);
});

it('names the kind when a probe is refused for another reason', async () => {
  await expect(waitForFinalizerPolicies(client, [{ type: Gadgets, object: gadget('no-such-namespace'), finalizer }], 5_000)).rejects.toThrow(
    /checking that a new Gadget gets test\.stratus\.dev\/hold: .*404/,
  );
});
