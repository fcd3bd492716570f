import type { HTTPRoute, ListenerSet } from '../../pkg/contracts/gateway/index.js';
import { routeSummary, type RouteObservation } from './route-status.js';

const parentRef = { group: 'gateway.networking.k8s.io', kind: 'Gateway', namespace: 'gw', name: 'stratus' };
const condition = (type: string, status: 'True' | 'False' | 'Unknown', reason: string, message = '', observedGeneration = 2) => ({ type, status, reason, message, observedGeneration, lastTransitionTime: '2026-01-01T00:00:00Z' });
const route = (...conditions: ReturnType<typeof condition>[]): HTTPRoute => ({
  metadata: { name: 'web', namespace: 'ns', generation: 2 },
  spec: {},
  ...(conditions.length ? { status: { parents: [{ parentRef: { name: 'stratus', namespace: 'gw' }, controllerName: 'x/y', conditions }] } } : {}),
});
const observe = (r: HTTPRoute | undefined, listenerSet?: ListenerSet): RouteObservation => ({ routes: [{ name: 'web', ...(r ? { route: r } : {}) }], parentRef, gateway: 'gw/stratus', ...(listenerSet ? { listenerSet: { name: 'web', object: listenerSet } } : {}) });
const listenerSet = (accepted: ReturnType<typeof condition>, ...listeners: ReturnType<typeof condition>[][]): ListenerSet => ({
  metadata: { name: 'web', namespace: 'ns', generation: 2 },
  spec: { parentRef: { name: 'stratus' }, listeners: [] },
  status: { conditions: [accepted], listeners: listeners.map((conditions, i) => ({ name: `l${i}`, attachedRoutes: 1, conditions })) },
});

describe('routeSummary', () => {
  const accepted = condition('Accepted', 'True', 'Accepted');
  const resolved = condition('ResolvedRefs', 'True', 'ResolvedRefs');
  it.each<[string, RouteObservation, unknown]>([
    ['accepted and resolved', observe(route(accepted, resolved)), undefined],
    ['not written yet', observe(undefined), { state: 'progressing', reason: 'WaitingForRoute', message: 'creating HTTPRoute web' }],
    ['no word from the Gateway', observe(route()), { state: 'progressing', reason: 'WaitingForRoute', message: 'waiting for Gateway gw/stratus to accept HTTPRoute web' }],
    ['a verdict on an older generation', observe(route(condition('Accepted', 'True', 'Accepted', '', 1))), { state: 'progressing', reason: 'WaitingForRoute' }],
    ['refused: the Gateway says why', observe(route(condition('Accepted', 'False', 'NoMatchingListenerHostname', 'no listener matches'), resolved)), { state: 'stalled', reason: 'NoMatchingListenerHostname', message: 'HTTPRoute web: no listener matches' }],
    ['a backend the Gateway has not seen yet', observe(route(accepted, condition('ResolvedRefs', 'False', 'BackendNotFound', 'Service ns/web-00001 not found'))), { state: 'progressing', reason: 'WaitingForRoute', message: 'HTTPRoute web: Service ns/web-00001 not found' }],
    ['a backend it may not use', observe(route(accepted, condition('ResolvedRefs', 'False', 'RefNotPermitted', 'no'))), { state: 'stalled', reason: 'RefNotPermitted' }],
    ['a ListenerSet not taken yet', observe(route(accepted, resolved), { metadata: { name: 'web', generation: 1 }, spec: { parentRef: { name: 'stratus' }, listeners: [] } }), { state: 'progressing', reason: 'WaitingForRoute', message: 'waiting for Gateway gw/stratus to take ListenerSet web' }],
    ['a ListenerSet still pending', observe(route(accepted, resolved), listenerSet(condition('Accepted', 'Unknown', 'Pending', 'Waiting for controller'))), { state: 'progressing', reason: 'WaitingForRoute', message: 'waiting for Gateway gw/stratus to take ListenerSet web: Waiting for controller' }],
    ['a ListenerSet its Gateway refuses', observe(route(accepted, resolved), listenerSet(condition('Accepted', 'False', 'NotAllowed', 'not from here'))), { state: 'stalled', reason: 'NotAllowed', message: 'ListenerSet web: not from here' }],
    ['a certificate still to come', observe(route(accepted, resolved), listenerSet(accepted, [condition('ResolvedRefs', 'False', 'InvalidCertificateRef', 'Secret ns/web-tls does not exist')])), { state: 'progressing', reason: 'WaitingForRoute', message: 'ListenerSet web listener l0: Secret ns/web-tls does not exist' }],
    ['a hostname another ListenerSet holds', observe(route(accepted, resolved), listenerSet(accepted, [condition('ResolvedRefs', 'True', 'ResolvedRefs'), condition('Conflicted', 'True', 'HostnameConflict', 'taken')])), { state: 'stalled', reason: 'HostnameConflict' }],
    ['listeners programmed', observe(route(accepted, resolved), listenerSet(accepted, [condition('ResolvedRefs', 'True', 'ResolvedRefs'), condition('Programmed', 'True', 'Programmed')])), undefined],
  ])('%s', (_, o, want) => {
    const s = routeSummary(o);
    if (want === undefined) expect(s).toBeUndefined();
    else expect(s).toMatchObject(want as object);
  });
});
