// An App's routes on the real control plane with the simulated Gateway API
// implementation: an App with a hostname reports its URL and is Ready only
// once the Gateway accepted its HTTPRoute; a route the Gateway refuses makes
// the App Stalled with the Gateway's reason; TLS comes from a named Secret or
// a cert-manager issuer, on listeners of the App's own; a Gateway the
// settings do not offer is refused; and deleting the App removes its routes.
import { Apps } from '../../pkg/api/resources.js';
import { settingsName } from '../../pkg/api/settings.js';
import type { App } from '../../pkg/api/types.generated.js';
import type { RunningOperator } from '../../pkg/cli/operator.js';
import { ConfigMaps, Secrets } from '../../pkg/kube/resources.js';
import type { Gateway, HTTPRoute, ListenerSet } from '../../pkg/contracts/gateway/index.js';
import { Gateways, HTTPRoutes, ListenerSets } from '../../pkg/contracts/gateway/index.js';
import type { Client } from '../../pkg/runtime/client/client.js';
import { ApiError } from '../../pkg/runtime/client/api-error.js';
import type { KubeObject } from '../../pkg/meta/object.js';
import { createNamespace, deleteNamespace, eventually, kubectl, testClient } from '../support/kube.js';
import { settled, startTestOperator } from '../support/operator.js';
import { condition, readyNow, waitForApp } from './support.js';

let client: Client;
let ns: string;
let operator: RunningOperator;

beforeAll(async () => {
  client = testClient();
  ns = await createNamespace(client, 'app-routes');
  // This operator reads settings of the test's own: the embedded plane's Gateway, and one that does not exist yet.
  await client.create(ConfigMaps, {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: settingsName, namespace: ns },
    data: { 'routes.gateways': `default=stratus-gateway/stratus,late=${ns}/late` },
  } as KubeObject);
  operator = await startTestOperator(ns, undefined, ns);
});
afterAll(async () => {
  await operator?.stop();
  await deleteNamespace(client, ns);
  client.rest.close();
});

const getApp = (name: string) => client.get<App>(Apps, ns, name);
const waitFor = (name: string, test: (a: App) => boolean, what: string, timeoutMs?: number) => waitForApp(client, ns, name, test, what, timeoutMs);
const app = (name: string, route: NonNullable<App['spec']['route']>): App => ({
  apiVersion: 'stratus.dev/v1alpha1',
  kind: 'App',
  metadata: { name, namespace: ns },
  spec: { image: 'ghcr.io/stratus-examples/tiny:1.0', replicas: 1, ports: [{ name: 'http', port: 8080 }], route } as App['spec'],
});

it('reports its URL, and is Ready only once the Gateway accepted its HTTPRoute', async () => {
  await client.create(Apps, app('web', { hostnames: ['web.stratus.test'], paths: ['/shop'], gateway: 'late' }));
  // Every instance runs, but no Gateway has accepted the route: not Ready.
  const waiting = await waitFor('web', (a) => a.status?.availableReplicas === 1 && condition(a, 'Reconciling')?.reason === 'WaitingForRoute', 'web waiting for its route');
  expect(condition(waiting, 'Reconciling')?.message).toBe(`waiting for Gateway ${ns}/late to accept HTTPRoute web`);
  expect(condition(waiting, 'Ready')?.status).toBe('False');
  expect(waiting.status?.url).toBe('http://web.stratus.test/shop');
  const route = (await client.get<HTTPRoute>(HTTPRoutes, ns, 'web'))!;
  expect(route.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'App', name: 'web', controller: true });
  expect(route.spec).toMatchObject({
    parentRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', namespace: ns, name: 'late' }],
    hostnames: ['web.stratus.test'],
    rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/shop' } }], backendRefs: [{ name: 'web-00001', port: 8080, weight: 100 }] }],
  });
  expect(route.status?.parents ?? []).toEqual([]);

  const gateway: Gateway = {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'Gateway',
    metadata: { name: 'late', namespace: ns },
    spec: { gatewayClassName: 'stratus-sim', listeners: [{ name: 'http', protocol: 'HTTP', port: 80, hostname: '*.stratus.test' }] },
  };
  await client.create(Gateways, gateway);
  const ready = await waitFor('web', readyNow, 'web Ready');
  expect(ready.status).toMatchObject({ url: 'http://web.stratus.test/shop', route: { gateway: `${ns}/late`, urls: ['http://web.stratus.test/shop'] } });
  const accepted = (await client.get<HTTPRoute>(HTTPRoutes, ns, 'web')).status!.parents[0]!.conditions.find((c) => c.type === 'Accepted')!;
  expect(accepted).toMatchObject({ status: 'True', reason: 'Accepted' });
  // Ready came with the acceptance, not before.
  expect(Date.parse(condition(ready, 'Ready')!.lastTransitionTime)).toBeGreaterThanOrEqual(Date.parse(accepted.lastTransitionTime));
  const programmed = await eventually(async () => {
    const gw = await client.get<Gateway>(Gateways, ns, 'late');
    return gw.status?.listeners?.[0]?.attachedRoutes === 1 && gw;
  }, 30_000, 'the Gateway counting the route');
  expect(programmed.status?.conditions?.find((c) => c.type === 'Programmed')?.status).toBe('True');
  const printed = await kubectl(['-n', ns, 'get', 'sapp', 'web', '--no-headers']);
  expect(printed.stdout).toContain('http://web.stratus.test/shop');
});

it("is Stalled with the Gateway's reason when the Gateway refuses the route, and Ready once it accepts it", async () => {
  await client.create(Apps, app('other', { hostnames: ['other.example.org'] }));
  const refused = await waitFor('other', (a) => !!condition(a, 'Stalled'), 'other Stalled');
  expect(condition(refused, 'Stalled')).toMatchObject({
    reason: 'NoMatchingListenerHostname',
    message: 'HTTPRoute other: no listener of Gateway stratus-gateway/stratus matches the hostnames other.example.org (listeners http: *.stratus.test)',
  });
  expect(condition(refused, 'Reconciling')).toBeUndefined();
  const events = await kubectl(['-n', ns, 'get', 'events.events.k8s.io', '--field-selector', 'regarding.name=other', '-o', 'jsonpath={.items[*].reason}']);
  expect(events.stdout).toContain('NoMatchingListenerHostname');

  await client.patch(Apps, ns, 'other', { merge: { spec: { route: { hostnames: ['other.stratus.test'] } } } });
  const fixed = await waitFor('other', readyNow, 'other Ready');
  expect(fixed.status?.url).toBe('http://other.stratus.test');
});

it('serves HTTPS on listeners of its own, with the named Secret, once the Secret is there', async () => {
  await client.create(Apps, app('secure', { hostnames: ['secure.stratus.test'], tls: { secretName: 'secure-cert' } }));
  const waiting = await waitFor('secure', (a) => condition(a, 'Reconciling')?.reason === 'WaitingForRoute' && condition(a, 'Reconciling')!.message.includes('Secret'), 'secure waiting for its certificate');
  expect(condition(waiting, 'Reconciling')?.message).toBe(`ListenerSet secure listener secure.stratus.test: Secret ${ns}/secure-cert does not exist`);
  const ls = await client.get<ListenerSet>(ListenerSets, ns, 'secure');
  expect(ls.spec).toMatchObject({
    parentRef: { kind: 'Gateway', namespace: 'stratus-gateway', name: 'stratus' },
    listeners: [{ name: 'secure.stratus.test', hostname: 'secure.stratus.test', port: 443, protocol: 'HTTPS', tls: { mode: 'Terminate', certificateRefs: [{ name: 'secure-cert' }] } }],
  });
  expect((await client.get<HTTPRoute>(HTTPRoutes, ns, 'secure')).spec.parentRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'ListenerSet', name: 'secure' }]);

  const pem = (what: string) => Buffer.from(`-----BEGIN ${what}-----\nc2ltdWxhdGVk\n-----END ${what}-----\n`).toString('base64');
  await client.create(Secrets, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'secure-cert', namespace: ns }, type: 'kubernetes.io/tls', data: { 'tls.crt': pem('CERTIFICATE'), 'tls.key': pem('PRIVATE KEY') } } as KubeObject);
  const ready = await waitFor('secure', readyNow, 'secure Ready');
  expect(ready.status?.url).toBe('https://secure.stratus.test');
  const programmed = await client.get<ListenerSet>(ListenerSets, ns, 'secure');
  expect(programmed.status?.listeners?.[0]).toMatchObject({ name: 'secure.stratus.test', attachedRoutes: 1 });
});

it("asks cert-manager for the certificate from an issuer, and serves once it is issued into <app>-tls", async () => {
  await client.create(Apps, app('issued', { hostnames: ['issued.stratus.test'], tls: { issuer: { kind: 'ClusterIssuer', name: 'letsencrypt' } } }));
  await waitFor('issued', (a) => condition(a, 'Reconciling')?.message === `ListenerSet issued listener issued.stratus.test: Secret ${ns}/issued-tls does not exist`, 'issued waiting for cert-manager');
  const ls = await client.get<ListenerSet>(ListenerSets, ns, 'issued');
  expect(ls.metadata.annotations?.['cert-manager.io/cluster-issuer']).toBe('letsencrypt');
  expect(ls.spec.listeners[0]!.tls?.certificateRefs).toEqual([{ group: '', kind: 'Secret', name: 'issued-tls' }]);
  // cert-manager's part, played by the test.
  const b64 = Buffer.from('simulated').toString('base64');
  await client.create(Secrets, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'issued-tls', namespace: ns }, type: 'kubernetes.io/tls', data: { 'tls.crt': b64, 'tls.key': b64 } } as KubeObject);
  await waitFor('issued', readyNow, 'issued Ready');

  // Without TLS the ListenerSet goes and the route attaches to the Gateway's own listeners.
  await client.patch(Apps, ns, 'issued', { merge: { spec: { route: { tls: null } } } });
  const plain = await waitFor('issued', (a) => readyNow(a) && a.status?.url === 'http://issued.stratus.test', 'issued Ready over http');
  expect(plain.status?.route?.gateway).toBe('stratus-gateway/stratus');
  await eventually(async () => (await client.tryGet(ListenerSets, ns, 'issued')) === undefined, 30_000, 'the ListenerSet removed');
});

it('refuses a Gateway the settings do not offer, naming the field', async () => {
  await client.create(Apps, app('lost', { hostnames: ['lost.stratus.test'], gateway: 'nope' }));
  const stalled = await waitFor('lost', (a) => !!condition(a, 'Stalled'), 'lost Stalled');
  expect(condition(stalled, 'Stalled')).toMatchObject({
    reason: 'GatewayNotOffered',
    message: 'spec.route.gateway: "nope" is not among the Gateways this cluster offers (default, late; settings key routes.gateways)',
  });
  expect(await client.tryGet(HTTPRoutes, ns, 'lost')).toBeUndefined();

  // At admission too, where a binding reads these settings (the shipped one reads stratus-system/stratus-settings).
  const binding = { group: 'admissionregistration.k8s.io', version: 'v1', resource: 'validatingadmissionpolicybindings', kind: 'ValidatingAdmissionPolicyBinding', namespaced: false };
  await client.create(binding, {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingAdmissionPolicyBinding',
    metadata: { name: `${ns}-apps-gateways` },
    spec: {
      policyName: 'stratus.dev-apps-gateways',
      validationActions: ['Deny'],
      paramRef: { name: settingsName, namespace: ns, parameterNotFoundAction: 'Allow' },
      matchResources: { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': ns } } },
    },
  } as KubeObject);
  try {
    const err = await eventually(async () => {
      const e = await client.create(Apps, app('refused', { hostnames: ['refused.stratus.test'], gateway: 'nope' }), { dryRun: true }).catch((x: unknown) => x as ApiError);
      return e instanceof ApiError && e;
    }, 10_000, 'the binding in force');
    expect(err.body.message).toContain(`spec.route.gateway: "nope" is not among the Gateways this cluster offers (default, late; ConfigMap stratus-system/stratus-settings, key routes.gateways)`);
    expect(await client.create(Apps, app('accepted', { hostnames: ['accepted.stratus.test'], gateway: 'late' }), { dryRun: true }).then(() => 'accepted')).toBe('accepted');
    // An App already naming it can still be edited (the choice is not new to it).
    const lost = await getApp('lost');
    expect(await client.update(Apps, { ...lost, spec: { ...lost.spec, replicas: 2 } }).then(() => 'updated')).toBe('updated');
  } finally {
    await client.delete(binding, undefined, `${ns}-apps-gateways`);
  }
  await client.delete(Apps, ns, 'lost');
});

it('writes nothing once settled', async () => {
  const before = await settled([operator]);
  for (const name of ['web', 'other', 'secure', 'issued']) await client.patch(Apps, ns, name, { merge: { metadata: { annotations: { 'example.com/touched': String(Date.now()) } } } });
  expect(await settled([operator])).toBe(before);
});

it('removes its routes with the App', async () => {
  const uid = (await client.get<HTTPRoute>(HTTPRoutes, ns, 'secure')).metadata.uid;
  expect((await kubectl(['-n', ns, 'delete', 'apps.stratus.dev/secure', 'apps.stratus.dev/web', '--wait=true', '--timeout=30s'])).code).toBe(0);
  // The garbage collector picks up a new owner kind on its next discovery resync (every 30 s).
  await eventually(async () => (await client.tryGet<HTTPRoute>(HTTPRoutes, ns, 'secure'))?.metadata.uid !== uid, 60_000, 'HTTPRoute collected');
  await eventually(async () => !(await client.tryGet(HTTPRoutes, ns, 'web')) && !(await client.tryGet(ListenerSets, ns, 'secure')), 60_000, 'routes and ListenerSet collected');
  // The Gateway stops counting it.
  await eventually(async () => (await client.get<Gateway>(Gateways, ns, 'late')).status?.listeners?.[0]?.attachedRoutes === 0, 30_000, 'the Gateway counting no route');
});
