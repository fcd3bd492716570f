import type { App } from '../../pkg/api/types.generated.js';
import { desiredListenerSet, desiredRoute, desiredTagRoutes, parentRefOf, urlsOf } from './routes.js';

const gateway = { choice: 'default', namespace: 'stratus-gateway', name: 'stratus' };
const app = (route: NonNullable<App['spec']['route']>): App => ({
  apiVersion: 'stratus.dev/v1alpha1',
  kind: 'App',
  metadata: { name: 'shop', namespace: 'ns' },
  spec: { image: 'x', replicas: 1, ports: [{ name: 'metrics', port: 9090, protocol: 'TCP' }, { name: 'http', port: 8080, protocol: 'TCP' }], route },
});
const labels = { 'app.kubernetes.io/managed-by': 'stratus', 'stratus.dev/app': 'shop' };

describe('desiredRoute', () => {
  it("attaches to the Gateway with the App's hostnames, paths and port, weighting each revision by its share", () => {
    const a = app({ hostnames: ['shop.example.com'], paths: ['/', '/api'], port: 'http' });
    expect(desiredRoute(a, parentRefOf(a, gateway), [{ revision: 'shop-00001', percent: 90 }, { revision: 'shop-00002', percent: 10, latestRevision: true }, { revision: 'shop-00003', percent: 0, tag: 'next' }])).toEqual({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: 'shop', namespace: 'ns', labels },
      spec: {
        parentRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', namespace: 'stratus-gateway', name: 'stratus' }],
        hostnames: ['shop.example.com'],
        rules: [
          {
            matches: [{ path: { type: 'PathPrefix', value: '/' } }, { path: { type: 'PathPrefix', value: '/api' } }],
            backendRefs: [
              { name: 'shop-00001', port: 8080, weight: 90 },
              { name: 'shop-00002', port: 8080, weight: 10 },
            ],
          },
        ],
      },
    });
  });

  it('leaves matches to the default (everything) and routes to the first port unless told', () => {
    const a = app({ hostnames: ['shop.example.com'] });
    expect(desiredRoute(a, parentRefOf(a, gateway), [{ revision: 'shop-00001', percent: 100 }]).spec.rules).toEqual([{ backendRefs: [{ name: 'shop-00001', port: 9090, weight: 100 }] }]);
  });
});

describe('desiredTagRoutes', () => {
  it('gives each tag its own hostnames, to its revision alone', () => {
    const a = app({ hostnames: ['shop.example.com', 'shop.example.org'] });
    const [canary, ...rest] = desiredTagRoutes(a, parentRefOf(a, gateway), [{ revision: 'shop-00001', percent: 100 }, { revision: 'shop-00002', percent: 0, tag: 'canary' }]);
    expect(rest).toEqual([]);
    expect(canary!.metadata.name).toBe('shop-canary');
    expect(canary!.spec.hostnames).toEqual(['canary-shop.example.com', 'canary-shop.example.org']);
    expect(canary!.spec.rules).toEqual([{ backendRefs: [{ name: 'shop-00002', port: 9090 }] }]);
  });
});

describe('TLS', () => {
  it("puts HTTPS listeners for every hostname on the App's ListenerSet, with the named Secret, and attaches the routes there", () => {
    const a = app({ hostnames: ['shop.example.com'], tls: { secretName: 'shop-cert' } });
    expect(parentRefOf(a, gateway)).toEqual({ group: 'gateway.networking.k8s.io', kind: 'ListenerSet', name: 'shop' });
    expect(desiredListenerSet(a, gateway, ['shop.example.com', 'canary-shop.example.com'])).toEqual({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'ListenerSet',
      metadata: { name: 'shop', namespace: 'ns', labels },
      spec: {
        parentRef: { group: 'gateway.networking.k8s.io', kind: 'Gateway', namespace: 'stratus-gateway', name: 'stratus' },
        listeners: ['shop.example.com', 'canary-shop.example.com'].map((h) => ({ name: h, hostname: h, port: 443, protocol: 'HTTPS', tls: { mode: 'Terminate', certificateRefs: [{ name: 'shop-cert' }] } })),
      },
    });
    expect(urlsOf(a.spec.route!)).toEqual(['https://shop.example.com']);
  });

  it.each<[string, 'Issuer' | 'ClusterIssuer', Record<string, string>]>([
    ['an Issuer', 'Issuer', { 'cert-manager.io/issuer': 'letsencrypt' }],
    ['a ClusterIssuer', 'ClusterIssuer', { 'cert-manager.io/cluster-issuer': 'letsencrypt' }],
  ])("asks cert-manager for the certificate from %s, into <app>-tls", (_, kind, annotations) => {
    const ls = desiredListenerSet(app({ hostnames: ['shop.example.com'], tls: { issuer: { kind, name: 'letsencrypt' } } }), gateway, ['shop.example.com'])!;
    expect(ls.metadata.annotations).toEqual(annotations);
    expect(ls.spec.listeners[0]!.tls?.certificateRefs).toEqual([{ name: 'shop-tls' }]);
  });

  it('is absent without tls', () => {
    expect(desiredListenerSet(app({ hostnames: ['shop.example.com'] }), gateway, ['shop.example.com'])).toBeUndefined();
  });
});

describe('urlsOf', () => {
  it('is http, with the first path prefix', () => {
    expect(urlsOf({ hostnames: ['a.example.com', 'b.example.com'], paths: ['/api', '/v2'] })).toEqual(['http://a.example.com/api', 'http://b.example.com/api']);
    expect(urlsOf({ hostnames: ['a.example.com'], paths: ['/'] })).toEqual(['http://a.example.com']);
  });
});
