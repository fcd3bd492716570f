import type { HTTPRoute, ParentReference } from '../../contracts/gateway/index.js';
import { attach, hostnamesIntersect, resolveBackends, type Listener, type Parent } from './attachment.js';

const route = (spec: Partial<HTTPRoute['spec']>, namespace = 'shop'): HTTPRoute => ({ metadata: { name: 'web', namespace, generation: 1 }, spec });
const http = (l: Partial<Listener> = {}): Listener => ({ name: 'http', port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'All' } }, ...l });
const gateway = (...listeners: Listener[]): Parent => ({ namespace: 'gw', listeners });
const noLabels = () => undefined;

describe('hostnamesIntersect', () => {
  it.each<[string | undefined, string, boolean]>([
    [undefined, 'shop.example.com', true],
    ['shop.example.com', 'shop.example.com', true],
    ['*.example.com', 'shop.example.com', true],
    ['*.example.com', 'a.shop.example.com', true],
    ['*.example.com', 'example.com', false],
    ['*.example.com', 'shop.example.org', false],
    ['shop.example.com', '*.example.com', true],
    ['*.example.com', '*.shop.example.com', true],
    ['*.shop.example.com', '*.example.com', true],
    ['shop.example.com', 'web.example.com', false],
  ])('listener %s, route %s: %s', (l, r, want) => expect(hostnamesIntersect(l, r)).toBe(want));
});

describe('attach', () => {
  const ref = { name: 'stratus', namespace: 'gw' };

  it('attaches to every listener whose hostname and allowedRoutes fit', () => {
    const a = attach(route({ hostnames: ['shop.stratus.test'] }), ref, gateway(http({ hostname: '*.stratus.test' }), http({ name: 'other', hostname: '*.example.com' })), noLabels);
    expect(a).toEqual({ accepted: true, listeners: [expect.objectContaining({ name: 'http' })] });
  });

  it.each<[string, Partial<HTTPRoute['spec']>, ParentReference, Parent, string, RegExp]>([
    ['a hostname no listener allows', { hostnames: ['shop.example.org'] }, ref, gateway(http({ hostname: '*.stratus.test' })), 'NoMatchingListenerHostname', /matches the hostnames shop\.example\.org \(listeners http: \*\.stratus\.test\)/],
    ['routes only from the Gateway namespace (the default)', {}, ref, gateway(http({ allowedRoutes: undefined })), 'NotAllowedByListeners', /allows HTTPRoutes from namespace shop/],
    ['a section that does not exist', {}, { ...ref, sectionName: 'https' }, gateway(http()), 'NoMatchingParent', /has no listener named https/],
    ['a port no listener has', {}, { ...ref, port: 8443 }, gateway(http()), 'NoMatchingParent', /has no listener on port 8443/],
    ['a TCP listener only', {}, ref, gateway(http({ protocol: 'TCP' })), 'NotAllowedByListeners', /allows HTTPRoutes/],
    ['a ListenerSet its Gateway refuses', {}, { ...ref, kind: 'ListenerSet' }, { namespace: 'shop', listeners: [http()], unavailable: 'not attached: no' }, 'NoMatchingParent', /ListenerSet shop\/stratus: not attached/],
  ])('refuses %s', (_, spec, parentRef, parent, reason, message) => {
    const a = attach(route(spec), parentRef, parent, noLabels);
    expect(a).toMatchObject({ accepted: false, reason });
    expect(a.accepted ? '' : a.message).toMatch(message);
  });

  it('allows namespaces by selector', () => {
    const selecting = gateway(http({ allowedRoutes: { namespaces: { from: 'Selector', selector: { matchLabels: { shared: 'yes' } } } } }));
    expect(attach(route({}), ref, selecting, () => ({ shared: 'yes' })).accepted).toBe(true);
    expect(attach(route({}), ref, selecting, () => ({})).accepted).toBe(false);
  });
});

describe('resolveBackends', () => {
  const exists = (ns: string, name: string) => ns === 'shop' && name === 'web-00001';
  it.each<[string, NonNullable<HTTPRoute['spec']['rules']>, object]>([
    ['Services that exist', [{ backendRefs: [{ name: 'web-00001', port: 8080 }] }], { resolved: true }],
    ['a Service that does not exist', [{ backendRefs: [{ name: 'web-00001', port: 8080 }, { name: 'web-00002', port: 8080 }] }], { resolved: false, reason: 'BackendNotFound', message: 'rule 0 backendRef 1: Service shop/web-00002 not found' }],
    ['another kind', [{ backendRefs: [{ name: 'x', kind: 'Bucket', group: 'example.com' }] }], { resolved: false, reason: 'InvalidKind' }],
    ['another namespace', [{ backendRefs: [{ name: 'web-00001', namespace: 'other', port: 80 }] }], { resolved: false, reason: 'RefNotPermitted' }],
  ])('%s', (_, rules, want) => expect(resolveBackends(route({ rules }), exists)).toMatchObject(want));
});
