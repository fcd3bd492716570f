import { stuck, Stuck, waiting as waitingFor, Waiting } from '../shared/problems.js';
import type { App } from '../../pkg/api/types.generated.js';
import type { ContainerState, Deployment, Pod } from '../../pkg/kube/core-types.js';
import type { Condition } from '../../pkg/meta/object.js';
import { appStatus, failingContainer, podProblem, type AppObservation, type RevisionView } from './status.js';
import type { Target } from './traffic.js';

const now = Date.parse('2026-01-01T00:00:00Z');
const app = (replicas: number, spec: Partial<App['spec']> = {}, conditions?: Condition[]): App => ({
  apiVersion: 'stratus.dev/v1alpha1',
  kind: 'App',
  metadata: { name: 'web', namespace: 'ns', generation: 4 },
  spec: { image: 'x', replicas, ...spec },
  ...(conditions ? { status: { conditions } } : {}),
});

interface Counts {
  replicas?: number;
  generation?: number;
  observed?: number;
  total?: number;
  updated?: number;
  ready?: number;
  available?: number;
  progressing?: { status: 'True' | 'False'; reason: string; message: string };
}
const deployment = (name: string, r: Counts): Deployment => ({
  metadata: { name, generation: r.generation ?? 2, creationTimestamp: '2025-12-01T00:00:00Z' },
  spec: { replicas: r.replicas ?? 2, selector: {}, template: { spec: { containers: [{ name: 'app', image: `img:${name}` }] } } },
  status: {
    observedGeneration: r.observed ?? r.generation ?? 2,
    // The apiserver leaves zero counts out.
    ...(r.total ? { replicas: r.total } : {}),
    ...(r.updated ? { updatedReplicas: r.updated } : {}),
    ...(r.ready ? { readyReplicas: r.ready } : {}),
    ...(r.available ? { availableReplicas: r.available } : {}),
    ...(r.progressing ? { conditions: [{ type: 'Progressing', ...r.progressing }] } : {}),
  },
});
/** A revision given `replicas`, its Deployment counting `c`. */
const rev = (n: number, replicas: number, c: Counts = {}, pods: Pod[] = []): RevisionView => {
  const name = `web-0000${n}`;
  return { name, deployment: deployment(name, { replicas, ...c }), replicas, pods, ready: (c.available ?? 0) >= replicas && replicas > 0 };
};
const all = (n: number) => ({ total: n, updated: n, ready: n, available: n });
const to = (n: number, percent = 100, extra: Partial<Target> = {}): Target => ({ revision: `web-0000${n}`, percent, latestRevision: true, ...extra });
const pod = (name: string, state: ContainerState, init = false): Pod => ({
  metadata: { name },
  spec: { containers: [{ name: 'app' }] },
  status: { [init ? 'initContainerStatuses' : 'containerStatuses']: [{ name: 'app', image: 'x', imageID: '', ready: false, restartCount: 0, state, lastState: {} }] },
});
const unschedulable = (name: string, message: string): Pod => ({
  metadata: { name },
  spec: { containers: [{ name: 'app' }] },
  status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message }] },
});
const waiting = (reason: string, message?: string): ContainerState => ({ waiting: { reason, ...(message ? { message } : {}) } });
const base: AppObservation = { revisions: [], served: [], target: [], dependencies: [], problems: [], now };
/** One revision serving everything. */
const single = (r: RevisionView): Partial<AppObservation> => ({ revisions: [r], served: [to(1)], target: [to(1)] });
const summary = (s: ReturnType<typeof appStatus>) => (s.conditions ?? []).map((c) => `${c.type}=${c.status}:${c.reason}`);
const rolling = ['Ready=False:RollingOut', 'Reconciling=True:RollingOut'];

describe('appStatus conditions', () => {
  it.each<[string, number, Partial<AppObservation>, string[], string | RegExp]>([
    ['no revision yet', 2, {}, ['Ready=False:Creating', 'Reconciling=True:Creating'], 'creating the first revision'],
    ['waiting for a dependency, nothing runs', 2, { problems: [waitingFor(Waiting.Dependency, 'waiting for VirtualMachine db (Starting)')] }, ['Ready=False:WaitingForDependency', 'Reconciling=True:WaitingForDependency'], 'waiting for VirtualMachine db (Starting)'],
    ['waiting for a dependency, instances kept', 2, { ...single(rev(1, 2, all(2))), problems: [waitingFor(Waiting.Dependency, 'waiting for App api (RollingOut)')] }, ['Ready=False:WaitingForDependency', 'Reconciling=True:WaitingForDependency'], 'waiting for App api (RollingOut); the instances are kept (2 available)'],
    ['blocked beats waiting', 2, { problems: [waitingFor(Waiting.Volume, 'w'), stuck(Stuck.VolumeAccessMode, 'spec.volumes[data]: …')] }, ['Ready=False:VolumeAccessMode', 'Stalled=True:VolumeAccessMode'], 'spec.volumes[data]: …'],
    ['too few addresses on a Network', 3, { ...single(rev(1, 3, { total: 3, updated: 3, available: 2 })), problems: [stuck(Stuck.AddressesExhausted, 'spec.networks[private]: 2 of 3 instances can have an address')] }, ['Ready=False:AddressesExhausted', 'Stalled=True:AddressesExhausted'], /2 of 3 instances/],
    ['fully rolled out', 2, single(rev(1, 2, all(2))), ['Ready=True:Available'], '2/2 instances available'],
    ['scaled to zero', 0, single(rev(1, 0)), ['Ready=True:ScaledToZero'], 'scaled to zero, as requested'],
    ['scaling down to zero', 0, single(rev(1, 0, { total: 1, updated: 1, available: 1 })), rolling, 'web-00001: scaling down to 0 (1 still running)'],
    ['a new Deployment, never seen by the Deployment controller: the same words as its first status', 2, single({ ...rev(1, 2), deployment: { ...deployment('web-00001', {}), status: {} } }), rolling, 'web-00001: 0/2 available'],
    ['a new generation not yet seen by the Deployment controller', 2, single(rev(1, 2, { generation: 3, observed: 2, ...all(2) })), rolling, 'web-00001: waiting for the Deployment controller to see generation 3'],
    ['scaling up', 3, single(rev(1, 3, { total: 3, updated: 3, available: 2 })), rolling, 'web-00001: 2/3 available'],
    [
      'a new revision coming up, traffic still on the old one',
      2,
      { revisions: [rev(1, 2, all(2)), rev(2, 2, { total: 2, updated: 2, available: 1 })], served: [to(1)], target: [to(2)] },
      rolling,
      'web-00002: 1/2 available; traffic moves to web-00002 100% once its instances are ready (now web-00001 100%)',
    ],
    [
      'traffic moved, the old revision going down',
      2,
      { revisions: [rev(1, 0, { total: 2, updated: 2, available: 2 }), rev(2, 2, all(2))], served: [to(2)], target: [to(2)] },
      rolling,
      'web-00001: scaling down to 0 (2 still running)',
    ],
    [
      'a split, all of it serving',
      10,
      { revisions: [rev(1, 9, all(9)), rev(2, 1, all(1))], served: [{ revision: 'web-00001', percent: 90 }, to(2, 10)], target: [{ revision: 'web-00001', percent: 90 }, to(2, 10)] },
      ['Ready=True:Available'],
      '10/10 instances available; traffic: web-00001 90%, web-00002 10%',
    ],
    [
      'progress deadline exceeded',
      2,
      single(rev(1, 2, { total: 3, updated: 1, available: 2, progressing: { status: 'False', reason: 'ProgressDeadlineExceeded', message: 'ReplicaSet "web-00001-5d" has timed out progressing.' } })),
      ['Ready=False:ProgressDeadlineExceeded', 'Stalled=True:ProgressDeadlineExceeded'],
      'ReplicaSet "web-00001-5d" has timed out progressing.',
    ],
    [
      'image pull failing',
      2,
      single(rev(1, 2, { total: 2, updated: 2, available: 1 }, [pod('web-1', { running: {} }), pod('web-2', waiting('ErrImagePull', 'failed to pull "x:does-not-exist"'))])),
      ['Ready=False:ErrImagePull', 'Stalled=True:ErrImagePull'],
      'pod web-2: failed to pull "x:does-not-exist"',
    ],
    ['crash looping', 1, single(rev(1, 1, { total: 1, updated: 1 }, [pod('web-1', waiting('CrashLoopBackOff', 'back-off 10s'))])), ['Ready=False:CrashLoopBackOff', 'Stalled=True:CrashLoopBackOff'], 'pod web-1: back-off 10s'],
    ['failing init container without message', 1, single(rev(1, 1, { total: 1, updated: 1 }, [pod('web-1', waiting('ErrImagePull'), true)])), ['Ready=False:ErrImagePull', 'Stalled=True:ErrImagePull'], 'pod web-1: ErrImagePull'],
    ['creating containers is not a failure', 1, single(rev(1, 1, { total: 1, updated: 1 }, [pod('web-1', waiting('ContainerCreating'))])), rolling, 'web-00001: 0/1 available'],
    [
      'no node can run an instance: the scheduler says why, at once',
      1,
      single(rev(1, 1, { total: 1 }, [unschedulable('web-1', '0/3 nodes are available: 3 Insufficient cpu.')])),
      ['Ready=False:ErrorUnschedulable', 'Stalled=True:ErrorUnschedulable'],
      'pod web-1: 0/3 nodes are available: 3 Insufficient cpu.',
    ],
    [
      'a new revision failing while the old one serves',
      2,
      { revisions: [rev(1, 2, all(2)), rev(2, 2, { total: 2 }, [pod('web-00002-a', waiting('ErrImagePull', 'nope'))])], served: [to(1)], target: [to(2)] },
      ['Ready=False:ErrImagePull', 'Stalled=True:ErrImagePull'],
      'pod web-00002-a: nope',
    ],
    [
      'a retired revision is not judged by its pods',
      2,
      { revisions: [rev(1, 0, {}, [pod('old', waiting('CrashLoopBackOff', 'x'))]), rev(2, 2, all(2))], served: [to(2)], target: [to(2)] },
      ['Ready=True:Available'],
      '2/2 instances available',
    ],
    [
      'a rollout halted',
      2,
      { ...single(rev(1, 2, all(2))), rollout: { revision: 'web-00002', from: 'web-00001', step: 0, rolledBack: 'web-00002 failed at step 1 (10%): pod p: x; its traffic went back to web-00001' } },
      ['Ready=False:RolledBack', 'Stalled=True:RolledBack'],
      /failed at step 1/,
    ],
    [
      'a rollout pausing at a step',
      10,
      {
        revisions: [rev(1, 9, all(9)), rev(2, 1, all(1))],
        served: [{ revision: 'web-00001', percent: 90 }, to(2, 10)],
        target: [{ revision: 'web-00001', percent: 90 }, to(2, 10)],
        rollout: { revision: 'web-00002', from: 'web-00001', step: 0, stepStartedAt: '2025-12-31T23:59:30Z' },
      },
      rolling,
      'rollout of web-00002: step 1 of 2 (web-00001 90%, web-00002 10%, since 2025-12-31T23:59:30Z)',
    ],
    ['the route refused by the Gateway', 1, { ...single(rev(1, 1, all(1))), route: { gateway: 'gw/stratus', urls: [], tagUrls: new Map(), summary: { state: 'stalled', reason: 'NoMatchingListenerHostname', message: 'HTTPRoute web: no listener' } } }, ['Ready=False:NoMatchingListenerHostname', 'Stalled=True:NoMatchingListenerHostname'], 'HTTPRoute web: no listener'],
    ['a route not written yet', 1, { ...single(rev(1, 1, all(1))), route: undefined }, ['Ready=False:WaitingForRoute', 'Reconciling=True:WaitingForRoute'], 'creating HTTPRoute web'],
    ['the route not accepted yet', 1, { ...single(rev(1, 1, all(1))), route: { gateway: 'gw/stratus', urls: [], tagUrls: new Map(), summary: { state: 'progressing', reason: 'WaitingForRoute', message: 'waiting for Gateway gw/stratus to accept HTTPRoute web' } } }, ['Ready=False:WaitingForRoute', 'Reconciling=True:WaitingForRoute'], /waiting for Gateway/],
    [
      'the Deployment from before revisions, kept until the first revision takes over',
      2,
      { ...single(rev(1, 2, all(2))), legacy: deployment('web', all(2)) },
      rolling,
      'the Deployment from before revisions serves until web-00001 takes over',
    ],
  ])('%s', (_, replicas, o, conditions, message) => {
    const routed = 'route' in o ? { ports: [{ name: 'http', port: 80, protocol: 'TCP' as const }], route: { hostnames: ['web.example.com'] } } : {};
    const s = appStatus(app(replicas, { ...routed, rollout: { steps: [{ percent: 10, pauseSeconds: 60 }, { percent: 50, pauseSeconds: 60 }] } }), { ...base, ...o });
    expect(summary(s)).toEqual(conditions);
    expect(s.conditions![0]!.message).toEqual(typeof message === 'string' ? message : expect.stringMatching(message));
    expect(s.conditions!.every((c) => c.observedGeneration === 4)).toBe(true);
    expect(s.observedGeneration).toBe(4);
  });
});

describe('appStatus fields', () => {
  it('adds up the revisions, counts the latest as updated, and publishes the selector of all instances for the scale subresource', () => {
    const s = appStatus(app(3), { ...base, revisions: [rev(1, 1, { total: 2, ready: 2, available: 2 }), rev(2, 3, { total: 3, ready: 1, available: 1 })], served: [to(1)], target: [to(2)] });
    expect(s).toMatchObject({ replicas: 5, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3, selector: 'stratus.dev/app=web' });
  });

  it('reports zero counts (never leaves them out) before a revision exists', () => {
    expect(appStatus(app(2), base)).toMatchObject({ replicas: 0, readyReplicas: 0, updatedReplicas: 0, availableReplicas: 0 });
  });

  it('lists the revisions newest first, the traffic as served, with tag URLs, and the latest ready', () => {
    const s = appStatus(app(2), {
      ...base,
      revisions: [rev(1, 2, all(2)), rev(2, 1, { total: 1 })],
      served: [to(1, 100), { revision: 'web-00002', percent: 0, tag: 'canary' }],
      target: [to(1, 100), { revision: 'web-00002', percent: 0, tag: 'canary' }],
      route: { gateway: 'gw/stratus', urls: ['https://web.example.com'], tagUrls: new Map([['canary', 'https://canary-web.example.com']]) },
    });
    expect(s.revisions).toEqual([
      { name: 'web-00002', image: 'img:web-00002', created: '2025-12-01T00:00:00Z', ready: false, replicas: 1, percent: 0 },
      { name: 'web-00001', image: 'img:web-00001', created: '2025-12-01T00:00:00Z', ready: true, replicas: 2, percent: 100 },
    ]);
    expect(s.traffic).toEqual([
      { revision: 'web-00001', latestRevision: true, percent: 100 },
      { revision: 'web-00002', percent: 0, tag: 'canary', url: 'https://canary-web.example.com' },
    ]);
    expect(s).toMatchObject({ latestCreatedRevision: 'web-00002', latestReadyRevision: 'web-00001', url: 'https://web.example.com', route: { gateway: 'gw/stratus', urls: ['https://web.example.com'] } });
  });

  it.each<[string, Partial<App['spec']>, string | undefined, { address?: string; url?: string }]>([
    ['Service and ports', { ports: [{ name: 'http', port: 8080, protocol: 'TCP' }, { name: 'm', port: 9090, protocol: 'TCP' }] }, 'web', { address: 'web.ns.svc:8080', url: 'http://web.ns.svc:8080' }],
    ['no Service yet', { ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] }, undefined, {}],
    ['no ports', {}, 'web', {}],
  ])('address and url without a route: %s', (_, spec, serviceName, want) => {
    const s = appStatus(app(1, spec), { ...base, ...(serviceName ? { serviceName } : {}) });
    expect({ address: s.address, url: s.url }).toEqual({ address: want.address, url: want.url });
  });

  it('lists dependencies only when there are some', () => {
    expect(appStatus(app(1), base)).not.toHaveProperty('dependencies');
    const dependencies = [{ kind: 'VirtualMachine', name: 'db', ready: true, address: 'db.ns.svc:5432' }];
    expect(appStatus(app(1), { ...base, dependencies }).dependencies).toEqual(dependencies);
  });

  it('keeps lastTransitionTime while Ready keeps its status, and moves it when Ready flips', () => {
    const earlier = '2025-12-31T00:00:00Z';
    const previous: Condition[] = [{ type: 'Ready', status: 'False', reason: 'Creating', message: '', lastTransitionTime: earlier, observedGeneration: 3 }];
    const stillRolling = appStatus(app(2, {}, previous), { ...base, ...single(rev(1, 2, { total: 1, updated: 1 })) });
    expect(stillRolling.conditions![0]!.lastTransitionTime).toBe(earlier);
    const done = appStatus(app(2, {}, previous), { ...base, ...single(rev(1, 2, all(2))) });
    expect(done.conditions![0]!.lastTransitionTime).toBe('2026-01-01T00:00:00Z');
  });
});

describe('failingContainer and podProblem', () => {
  it.each<[string, Pod[], string | undefined, string | undefined]>([
    ['none', [], undefined, undefined],
    ['running', [pod('a', { running: {} })], undefined, undefined],
    ['creating', [pod('a', waiting('ContainerCreating'))], undefined, undefined],
    ['the first failing pod', [pod('a', { running: {} }), pod('b', waiting('CrashLoopBackOff', 'm')), pod('c', waiting('ErrImagePull', 'n'))], 'b:CrashLoopBackOff', 'b:CrashLoopBackOff'],
    ['a pod no node takes', [unschedulable('a', '0/3 nodes are available: 3 Insufficient memory.')], undefined, 'a:ErrorUnschedulable'],
  ])('%s', (_, pods, failing, problem) => {
    const f = failingContainer(pods);
    const p = podProblem(pods);
    expect(f ? `${f.pod}:${f.reason}` : undefined).toBe(failing);
    expect(p ? `${p.pod}:${p.reason}` : undefined).toBe(problem);
  });
});
