import type { App, Network, VirtualMachine, Volume } from '../../pkg/api/types.generated.js';
import type { Condition } from '../../pkg/meta/object.js';
import { isReady, propertyOf, resolveDependencies, resolveNetworks, resolveVolumes, viewOf, waitingFor, type Referenced } from './dependencies.js';

const ready = (status: boolean, generation = 1, reason = status ? 'Running' : 'Starting'): Condition[] => [
  { type: 'Ready', status: status ? 'True' : 'False', reason, message: '', lastTransitionTime: '2026-01-01T00:00:00Z', observedGeneration: generation },
];
const meta = (name: string, generation = 1) => ({ name, namespace: 'ns', generation });

const vm = (name: string, o: { ready?: boolean; ports?: boolean; serviceName?: string; ips?: string[]; phase?: string } = {}): VirtualMachine => ({
  apiVersion: 'stratus.dev/v1alpha1',
  kind: 'VirtualMachine',
  metadata: meta(name),
  spec: { rootDisk: { image: 'x' }, ...(o.ports ? { ports: [{ name: 'pg', port: 5432, protocol: 'TCP' }] } : {}) } as VirtualMachine['spec'],
  status: {
    conditions: ready(o.ready ?? true),
    phase: (o.phase ?? (o.ready === false ? 'Starting' : 'Running')) as never,
    ...(o.serviceName ? { serviceName: o.serviceName } : {}),
    ...(o.ips ? { ipAddresses: o.ips } : {}),
  },
});
const app = (name: string, spec: Partial<App['spec']> = {}, isReadyNow = true): App => ({
  apiVersion: 'stratus.dev/v1alpha1',
  kind: 'App',
  metadata: meta(name),
  spec: { image: 'x', replicas: 1, ...spec },
  status: { conditions: ready(isReadyNow, 1, isReadyNow ? 'Available' : 'RollingOut') },
});
const volume = (name: string, o: { ready?: boolean; accessMode?: Volume['spec']['accessMode']; claimName?: string } = {}): Volume => ({
  apiVersion: 'stratus.dev/v1alpha1',
  kind: 'Volume',
  metadata: meta(name),
  spec: { size: '1Gi', accessMode: o.accessMode ?? 'ReadWriteMany', volumeMode: 'Filesystem', reclaimPolicy: 'Delete' },
  status: { conditions: ready(o.ready ?? true, 1, o.ready === false ? 'Provisioning' : 'Available'), phase: o.ready === false ? 'Pending' : 'Available', claimName: o.claimName ?? name },
});
const network = (name: string, o: { ready?: boolean; nad?: string } = {}): Network =>
  ({
    apiVersion: 'stratus.dev/v1alpha1',
    kind: 'Network',
    metadata: meta(name),
    spec: { cidr: '10.0.0.0/24' },
    status: { conditions: ready(o.ready ?? true, 1, o.ready === false ? 'Pending' : 'Ready'), ...(o.nad !== '' ? { networkAttachmentDefinition: o.nad ?? name } : {}) },
  }) as Network;

function refsOf(objects: (VirtualMachine | App | Volume | Network)[]): Referenced {
  const find = <T>(kind: string) => (name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name) as T | undefined;
  return { virtualMachine: find('VirtualMachine'), app: find('App'), volume: find('Volume'), network: find('Network') };
}

describe('isReady', () => {
  it.each<[string, Condition[] | undefined, number, boolean]>([
    ['Ready True for this generation', ready(true, 2), 2, true],
    ['Ready True for a newer observation', ready(true, 3), 2, true],
    ['Ready True for an older generation', ready(true, 1), 2, false],
    ['Ready False', ready(false, 2), 2, false],
    ['no conditions', undefined, 1, false],
  ])('%s', (_, conditions, generation, want) => {
    expect(isReady({ metadata: { name: 'x', generation }, status: { conditions } })).toBe(want);
  });
});

describe('viewOf and propertyOf', () => {
  // kind, name, objects, property → value or problem (undefined value and problem: not known yet)
  it.each<[string, 'VirtualMachine' | 'App' | 'Volume', (VirtualMachine | App | Volume)[], 'address' | 'host' | 'port' | 'url', { value?: string; problem?: string }]>([
    ['VM with ports: its Service DNS name', 'VirtualMachine', [vm('db', { ports: true, serviceName: 'db', ips: ['10.0.0.5'] })], 'host', { value: 'db.ns.svc' }],
    ['VM with ports: address', 'VirtualMachine', [vm('db', { ports: true, serviceName: 'db' })], 'address', { value: 'db.ns.svc:5432' }],
    ['VM with ports: port', 'VirtualMachine', [vm('db', { ports: true, serviceName: 'db' })], 'port', { value: '5432' }],
    ['VM with ports: url', 'VirtualMachine', [vm('db', { ports: true, serviceName: 'db' })], 'url', { value: 'http://db.ns.svc:5432' }],
    ['VM with ports but no Service yet', 'VirtualMachine', [vm('db', { ports: true, ips: ['10.0.0.5'] })], 'host', {}],
    ['VM without ports: its first address', 'VirtualMachine', [vm('db', { ips: ['10.0.0.5', '192.168.1.5'] })], 'address', { value: '10.0.0.5' }],
    ['VM without ports: url without port', 'VirtualMachine', [vm('db', { ips: ['10.0.0.5'] })], 'url', { value: 'http://10.0.0.5' }],
    ['VM without ports: no port to give', 'VirtualMachine', [vm('db', { ips: ['10.0.0.5'] })], 'port', { problem: 'VirtualMachine db has no ports' }],
    ['VM without an address yet', 'VirtualMachine', [vm('db', { ready: false })], 'address', {}],
    ['missing VM', 'VirtualMachine', [], 'host', {}],
    ['App: its Service', 'App', [app('api', { ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] })], 'url', { value: 'http://api.ns.svc:8080' }],
    ['App: address', 'App', [app('api', { ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] })], 'address', { value: 'api.ns.svc:8080' }],
    ['App exposed as None', 'App', [app('api', { ports: [{ name: 'http', port: 8080, protocol: 'TCP' }], expose: { type: 'None' } })], 'host', { problem: expect.stringContaining('App api exposes no ports') }],
    ['App without ports', 'App', [app('api')], 'host', { problem: expect.stringContaining('exposes no ports') }],
    ['missing App', 'App', [], 'host', {}],
    ['Volume', 'Volume', [volume('data')], 'address', { problem: 'a Volume has no address' }],
  ])('%s', (_, kind, objects, property, want) => {
    const name = kind === 'App' ? 'api' : kind === 'Volume' ? 'data' : 'db';
    expect(propertyOf(viewOf(kind, name, 'ns', refsOf(objects)), property)).toEqual(want);
  });

  it('says why a dependency is not ready', () => {
    expect(viewOf('VirtualMachine', 'db', 'ns', refsOf([vm('db', { ready: false })]))).toMatchObject({ ready: false, state: 'Starting' });
    expect(viewOf('VirtualMachine', 'db', 'ns', refsOf([]))).toMatchObject({ ready: false, state: 'does not exist' });
    expect(viewOf('App', 'api', 'ns', refsOf([app('api', {}, false)]))).toMatchObject({ ready: false, state: 'RollingOut' });
    expect(viewOf('VirtualMachine', 'db', 'ns', refsOf([vm('db', { phase: 'Stopped' })]))).toMatchObject({ ready: true, state: 'Stopped' });
    const changed = app('api');
    changed.metadata.generation = 2;
    expect(viewOf('App', 'api', 'ns', refsOf([changed]))).toMatchObject({ ready: false, state: 'its generation 2 not reconciled yet' });
  });
});

describe('resolveDependencies', () => {
  const web = (spec: Partial<App['spec']>) => app('web', spec);
  const dbEnv = (property: 'address' | 'host' | 'port' | 'url' = 'host') => ({ name: 'DB', dependency: { kind: 'VirtualMachine' as const, name: 'db', property } });

  it.each<[string, Partial<App['spec']>, (VirtualMachine | App | Volume)[], { waiting: string[]; problems: string[]; env: [string, string][]; unresolved: string[] }]>([
    ['nothing to wait for', {}, [], { waiting: [], problems: [], env: [], unresolved: [] }],
    ['a ready VM and its address', { dependsOn: [{ kind: 'VirtualMachine', name: 'db' }], env: [dbEnv()] }, [vm('db', { ports: true, serviceName: 'db' })], { waiting: [], problems: [], env: [['DB', 'db.ns.svc']], unresolved: [] }],
    ['a starting VM', { dependsOn: [{ kind: 'VirtualMachine', name: 'db' }], env: [dbEnv()] }, [vm('db', { ready: false })], { waiting: ['VirtualMachine db (Starting)'], problems: [], env: [], unresolved: ['DB'] }],
    ['a starting VM that already has an address', { dependsOn: [{ kind: 'VirtualMachine', name: 'db' }], env: [dbEnv()] }, [vm('db', { ready: false, ips: ['10.0.0.5'] })], { waiting: ['VirtualMachine db (Starting)'], problems: [], env: [['DB', '10.0.0.5']], unresolved: [] }],
    ['a missing dependency', { dependsOn: [{ kind: 'App', name: 'api' }] }, [], { waiting: ['App api (does not exist)'], problems: [], env: [], unresolved: [] }],
    ['a stopped VM without an address', { dependsOn: [{ kind: 'VirtualMachine', name: 'db' }], env: [dbEnv()] }, [vm('db', { phase: 'Stopped' })], { waiting: ['VirtualMachine db to have an address (Stopped)'], problems: [], env: [], unresolved: ['DB'] }],
    ['a Volume in env', { dependsOn: [{ kind: 'Volume', name: 'data' }], env: [{ name: 'DATA', dependency: { kind: 'Volume', name: 'data', property: 'address' } }] }, [volume('data')], { waiting: [], problems: ['spec.env[DATA]: a Volume has no address'], env: [], unresolved: [] }],
    ['a port of a VM without ports', { dependsOn: [{ kind: 'VirtualMachine', name: 'db' }], env: [dbEnv('port')] }, [vm('db', { ips: ['10.0.0.5'] })], { waiting: [], problems: ['spec.env[DB]: VirtualMachine db has no ports'], env: [], unresolved: [] }],
    ['itself', { dependsOn: [{ kind: 'App', name: 'web' }] }, [], { waiting: [], problems: ['spec.dependsOn[App web]: an App cannot depend on itself'], env: [], unresolved: [] }],
    ['several, in order', { dependsOn: [{ kind: 'Volume', name: 'data' }, { kind: 'VirtualMachine', name: 'db' }, { kind: 'App', name: 'api' }] }, [volume('data', { ready: false }), vm('db'), app('api', {}, false)], { waiting: ['Volume data (Pending)', 'App api (RollingOut)'], problems: [], env: [], unresolved: [] }],
  ])('%s', (_, spec, objects, want) => {
    const r = resolveDependencies(web(spec), refsOf(objects));
    expect({ waiting: r.waiting, problems: r.problems.map((p) => p.message), env: [...r.env], unresolved: r.unresolved }).toEqual(want);
  });

  it('lists each dependency with its readiness and address', () => {
    const r = resolveDependencies(
      web({ dependsOn: [{ kind: 'VirtualMachine', name: 'db' }, { kind: 'App', name: 'api' }, { kind: 'Volume', name: 'data' }] }),
      refsOf([vm('db', { ports: true, serviceName: 'db' }), app('api', { ports: [{ name: 'http', port: 80, protocol: 'TCP' }] }, false), volume('data')]),
    );
    expect(r.statuses).toEqual([
      { kind: 'VirtualMachine', name: 'db', ready: true, address: 'db.ns.svc:5432' },
      { kind: 'App', name: 'api', ready: false, address: 'api.ns.svc:80' },
      { kind: 'Volume', name: 'data', ready: true },
    ]);
    expect(r.problems.map((p) => p.reason)).toEqual([]);
  });
});

describe('resolveVolumes', () => {
  it.each<[string, number, Volume[], { claims: [string, string][]; waiting: string[]; problems: string[] }]>([
    ['ready, shared', 3, [volume('data', { claimName: 'data-claim' })], { claims: [['data', 'data-claim']], waiting: [], problems: [] }],
    ['not ready yet', 1, [volume('data', { ready: false })], { claims: [['data', 'data']], waiting: ['Volume data (Pending)'], problems: [] }],
    ['missing', 1, [], { claims: [], waiting: ['Volume data (does not exist)'], problems: [] }],
    ['ReadWriteOnce, one replica', 1, [volume('data', { accessMode: 'ReadWriteOnce' })], { claims: [['data', 'data']], waiting: [], problems: [] }],
    ['ReadWriteOnce, scaled to zero', 0, [volume('data', { accessMode: 'ReadWriteOnce' })], { claims: [['data', 'data']], waiting: [], problems: [] }],
    ['ReadWriteOnce, two replicas', 2, [volume('data', { accessMode: 'ReadWriteOnce' })], { claims: [['data', 'data']], waiting: [], problems: [expect.stringMatching(/^spec\.volumes\[data\]: Volume data is ReadWriteOnce .* 2 replicas \(spec\.replicas\)/)] as never }],
    ['ReadWriteOncePod, two replicas', 2, [volume('data', { accessMode: 'ReadWriteOncePod' })], { claims: [['data', 'data']], waiting: [], problems: [expect.stringContaining('ReadWriteOncePod')] as never }],
  ])('%s', (_, replicas, volumes, want) => {
    const r = resolveVolumes(app('web', { replicas, volumes: [{ name: 'data', mountPath: '/data', readOnly: false }] }), refsOf(volumes));
    expect({ claims: [...r.claims], waiting: r.waiting, problems: r.problems.map((p) => p.message) }).toEqual(want);
  });
});

describe('resolveNetworks', () => {
  it.each<[string, Network[], { waiting: string[] }]>([
    ['ready', [network('private', { nad: 'private-nad' })], { waiting: [] }],
    ['not ready, attachment known', [network('private', { ready: false })], { waiting: ['Network private (Pending)'] }],
    ['no attachment yet', [network('private', { nad: '' })], { waiting: ['Network private (no NetworkAttachmentDefinition yet)'] }],
    ['missing', [], { waiting: ['Network private (does not exist)'] }],
  ])('%s', (_, networks, want) => {
    const r = resolveNetworks(app('web', { networks: [{ name: 'net1', network: 'private' }] }), refsOf(networks));
    expect(r).toEqual(want);
  });
});

describe('waitingFor', () => {
  const none = { statuses: [], problems: [], env: new Map(), unresolved: [] };
  it.each<[string, string[], string[], string[], { reason: string; message: string } | undefined]>([
    ['nothing', [], [], [], undefined],
    ['a dependency first', ['VirtualMachine db (Starting)'], ['Volume v (Pending)'], [], { reason: 'WaitingForDependency', message: 'waiting for VirtualMachine db (Starting); Volume v (Pending)' }],
    ['a Volume', [], ['Volume v (Pending)'], ['Network n (does not exist)'], { reason: 'WaitingForVolume', message: 'waiting for Volume v (Pending); Network n (does not exist)' }],
    ['a Network', [], [], ['Network n (does not exist)'], { reason: 'WaitingForNetwork', message: 'waiting for Network n (does not exist)' }],
  ])('%s', (_, deps, volumes, networks, want) => {
    expect(waitingFor({ ...none, waiting: deps }, { claims: new Map(), problems: [], waiting: volumes }, { waiting: networks })).toEqual(want && { stuck: false, ...want });
  });
});
