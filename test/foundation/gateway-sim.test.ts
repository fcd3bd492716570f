// The simulated Gateway API implementation, on its own: its GatewayClass is
// accepted for the installed bundle, the default Gateway is programmed at an
// address; routes are accepted or refused per parent with Gateway API's
// reasons (namespaces a listener does not allow, a missing backend, a
// pending route); ListenerSets attach only where their Gateway allows them,
// and a hostname an older ListenerSet serves conflicts.
import type { Gateway, GatewayClass, HTTPRoute, ListenerSet } from '../../pkg/contracts/gateway/index.js';
import { GatewayClasses, Gateways, HTTPRoutes, ListenerSets } from '../../pkg/contracts/gateway/index.js';
import { Services } from '../../pkg/kube/resources.js';
import type { Client } from '../../pkg/runtime/client/client.js';
import type { KubeObject } from '../../pkg/meta/object.js';
import { createNamespace, deleteNamespace, eventually, testClient } from '../support/kube.js';

let client: Client;
let ns: string;
let other: string;

beforeAll(async () => {
  client = testClient();
  ns = await createNamespace(client, 'gw-sim');
  other = await createNamespace(client, 'gw-sim-other');
  await client.create(Gateways, {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'Gateway',
    metadata: { name: 'own', namespace: ns },
    spec: {
      gatewayClassName: 'stratus-sim',
      // Routes and ListenerSets only from this namespace (the defaults say the same for routes).
      listeners: [{ name: 'http', protocol: 'HTTP', port: 80 }],
      allowedListeners: { namespaces: { from: 'Same' } },
    },
  } as Gateway);
});
afterAll(async () => {
  await deleteNamespace(client, ns);
  await deleteNamespace(client, other);
  client.rest.close();
});

const route = (namespace: string, name: string, parentRef: object, backend: string, annotations?: Record<string, string>): HTTPRoute => ({
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'HTTPRoute',
  metadata: { name, namespace, ...(annotations ? { annotations } : {}) },
  spec: { parentRefs: [parentRef as never], hostnames: [`${name}.stratus.test`], rules: [{ backendRefs: [{ name: backend, port: 80 }] }] },
});
const service = (namespace: string, name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace }, spec: { ports: [{ port: 80 }] } });
const parentStatus = async (namespace: string, name: string) => {
  const r = await client.get<HTTPRoute>(HTTPRoutes, namespace, name);
  const p = r.status?.parents.find((x) => x.controllerName === 'sim.stratus.dev/gateway-controller');
  return p && Object.fromEntries(p.conditions.map((c) => [c.type, `${c.status}:${c.reason}`]));
};
const listenerSet = (name: string, namespace: string, hostname: string): ListenerSet => ({
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'ListenerSet',
  metadata: { name, namespace },
  spec: { parentRef: { name: 'own', namespace: ns }, listeners: [{ name: 'web', hostname, port: 8080, protocol: 'HTTP' }] },
});

it('accepts its GatewayClass for the installed bundle, and programs the default Gateway at an address', async () => {
  const cls = await eventually(async () => {
    const c = await client.get<GatewayClass>(GatewayClasses, undefined, 'stratus-sim');
    return c.status?.conditions?.some((x) => x.type === 'SupportedVersion') && c;
  }, 30_000, 'the class accepted');
  expect(Object.fromEntries(cls.status!.conditions!.map((c) => [c.type, `${c.status}:${c.reason}`]))).toEqual({ Accepted: 'True:Accepted', SupportedVersion: 'True:SupportedVersion' });
  const gw = await eventually(async () => {
    const g = await client.get<Gateway>(Gateways, 'stratus-gateway', 'stratus');
    return g.status?.conditions?.some((c) => c.type === 'Programmed' && c.status === 'True') && g;
  }, 30_000, 'the default Gateway programmed');
  expect(gw.status?.addresses?.[0]).toMatchObject({ type: 'IPAddress', value: expect.stringMatching(/^10\.96\.\d+\.\d+$/) });
  expect(gw.status?.listeners?.[0]).toMatchObject({ name: 'http', supportedKinds: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute' }, { group: 'gateway.networking.k8s.io', kind: 'GRPCRoute' }] });
});

it('accepts a route per parent, refusing namespaces a listener does not allow and reporting a missing backend', async () => {
  const own = { name: 'own', namespace: ns };
  await client.create(Services, service(ns, 'backend'));
  await client.create(HTTPRoutes, route(ns, 'fine', own, 'backend'));
  await client.create(HTTPRoutes, route(ns, 'missing', own, 'nothing'));
  await client.create(HTTPRoutes, route(other, 'outsider', own, 'backend'));
  await client.create(HTTPRoutes, route(ns, 'stuck', own, 'backend', { 'sim.stratus.dev/inject-failure': 'Pending' }));
  expect(await eventually(() => parentStatus(ns, 'fine'), 30_000, 'fine answered')).toEqual({ Accepted: 'True:Accepted', ResolvedRefs: 'True:ResolvedRefs' });
  expect(await eventually(() => parentStatus(ns, 'missing'), 30_000, 'missing answered')).toEqual({ Accepted: 'True:Accepted', ResolvedRefs: 'False:BackendNotFound' });
  expect(await eventually(() => parentStatus(other, 'outsider'), 30_000, 'outsider answered')).toEqual({ Accepted: 'False:NotAllowedByListeners', ResolvedRefs: 'False:BackendNotFound' });
  // The Gateway counts what is attached.
  await eventually(async () => (await client.get<Gateway>(Gateways, ns, 'own')).status?.listeners?.[0]?.attachedRoutes === 2, 30_000, 'two routes attached');
  // A backend that appears resolves.
  await client.create(Services, service(ns, 'nothing'));
  await eventually(async () => (await parentStatus(ns, 'missing'))?.ResolvedRefs === 'True:ResolvedRefs', 30_000, 'missing resolved');
  expect(await parentStatus(ns, 'stuck')).toBeUndefined();
});

it('attaches a ListenerSet only where its Gateway allows it, and lets the older one keep a hostname', async () => {
  await client.create(ListenerSets, listenerSet('first', ns, 'a.stratus.test'));
  const first = await eventually(async () => {
    const ls = await client.get<ListenerSet>(ListenerSets, ns, 'first');
    return ls.status?.conditions?.some((c) => c.type === 'Accepted' && c.status !== 'Unknown') && ls;
  }, 30_000, 'first answered');
  expect(first.status?.conditions?.find((c) => c.type === 'Accepted')).toMatchObject({ status: 'True', reason: 'Accepted' });
  await eventually(async () => (await client.get<Gateway>(Gateways, ns, 'own')).status?.attachedListenerSets === 1, 30_000, 'the Gateway counting it');

  await client.create(ListenerSets, listenerSet('second', ns, 'a.stratus.test'));
  const second = await eventually(async () => {
    const ls = await client.get<ListenerSet>(ListenerSets, ns, 'second');
    return !!ls.status?.listeners?.length && ls;
  }, 30_000, 'second answered');
  expect(Object.fromEntries(second.status!.listeners![0]!.conditions.map((c) => [c.type, `${c.status}:${c.reason}`]))).toMatchObject({ Conflicted: 'True:HostnameConflict', Programmed: 'False:Invalid' });

  await client.create(ListenerSets, listenerSet('foreign', other, 'b.stratus.test'));
  const foreign = await eventually(async () => {
    const ls = await client.get<ListenerSet>(ListenerSets, other, 'foreign');
    return ls.status?.conditions?.some((c) => c.type === 'Accepted' && c.status !== 'Unknown') && ls;
  }, 30_000, 'foreign answered');
  expect(foreign.status?.conditions?.find((c) => c.type === 'Accepted')).toMatchObject({ status: 'False', reason: 'NotAllowed', message: expect.stringContaining('spec.allowedListeners') });
});
