import { stuck, Stuck, waiting as waitingFor, Waiting } from '../shared/problems.js';
import type { App } from '../../pkg/api/types.generated.js';
import type { ContainerState, Deployment, Pod } from '../../pkg/kube/core-types.js';
import type { Condition } from '../../pkg/meta/object.js';
import { appStatus, failingContainer, type AppObservation } from './status.js';

const now = Date.parse('2026-01-01T00:00:00Z');
const app = (replicas: number, spec: Partial<App['spec']> = {}, conditions?: Condition[]): App => ({
  apiVersion: 'stratus.dev/v1alpha1',
  kind: 'App',
  metadata: { name: 'web', namespace: 'ns', generation: 4 },
  spec: { image: 'x', replicas, ...spec },
  ...(conditions ? { status: { conditions } } : {}),
});

interface Rollout {
  replicas?: number;
  generation?: number;
  observed?: number;
  total?: number;
  updated?: number;
  ready?: number;
  available?: number;
  progressing?: { status: 'True' | 'False'; reason: string; message: string };
}
const deployment = (r: Rollout): Deployment => ({
  metadata: { name: 'web', generation: r.generation ?? 2 },
  spec: { replicas: r.replicas ?? 2, selector: {}, template: { spec: { containers: [] } } },
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
const pod = (name: string, state: ContainerState, init = false): Pod => ({
  metadata: { name },
  spec: { containers: [{ name: 'app' }] },
  status: { [init ? 'initContainerStatuses' : 'containerStatuses']: [{ name: 'app', image: 'x', imageID: '', ready: false, restartCount: 0, state, lastState: {} }] },
});
const waiting = (reason: string, message?: string): ContainerState => ({ waiting: { reason, ...(message ? { message } : {}) } });
const base: AppObservation = { pods: [], dependencies: [], problems: [], now };
const summary = (s: ReturnType<typeof appStatus>) => (s.conditions ?? []).map((c) => `${c.type}=${c.status}:${c.reason}`);

describe('appStatus conditions', () => {
  it.each<[string, number, Partial<AppObservation>, string[], string | RegExp]>([
    ['no Deployment yet', 2, {}, ['Ready=False:Creating', 'Reconciling=True:Creating'], 'creating the Deployment'],
    ['waiting for a dependency, nothing runs', 2, { problems: [waitingFor(Waiting.Dependency, 'waiting for VirtualMachine db (Starting)')] }, ['Ready=False:WaitingForDependency', 'Reconciling=True:WaitingForDependency'], 'waiting for VirtualMachine db (Starting)'],
    ['waiting for a dependency, instances kept', 2, { problems: [waitingFor(Waiting.Dependency, 'waiting for App api (RollingOut)')], deployment: deployment({ total: 2, updated: 2, available: 2, ready: 2 }) }, ['Ready=False:WaitingForDependency', 'Reconciling=True:WaitingForDependency'], 'waiting for App api (RollingOut); the Deployment is kept (2 available)'],
    ['blocked beats waiting', 2, { problems: [waitingFor(Waiting.Volume, 'w'), stuck(Stuck.VolumeAccessMode, 'spec.volumes[data]: …')] }, ['Ready=False:VolumeAccessMode', 'Stalled=True:VolumeAccessMode'], 'spec.volumes[data]: …'],
    ['too few addresses on a Network', 3, { problems: [stuck(Stuck.AddressesExhausted, 'spec.networks[private]: 2 of 3 instances can have an address: Network private has no free addresses')], deployment: deployment({ replicas: 3, total: 3, updated: 3, available: 2 }) }, ['Ready=False:AddressesExhausted', 'Stalled=True:AddressesExhausted'], /2 of 3 instances/],
    ['fully rolled out', 2, { deployment: deployment({ total: 2, updated: 2, ready: 2, available: 2 }) }, ['Ready=True:Available'], '2/2 instances available'],
    ['scaled to zero', 0, { deployment: deployment({ replicas: 0 }) }, ['Ready=True:ScaledToZero'], 'scaled to zero, as requested'],
    ['scaling down to zero', 0, { deployment: deployment({ replicas: 0, total: 1, updated: 1, available: 1 }) }, ['Ready=False:RollingOut', 'Reconciling=True:RollingOut'], 'scaling down to 0 (1 still running)'],
    ['a new Deployment, never seen by the Deployment controller: the same words as its first status', 2, { deployment: { ...deployment({}), status: {} } }, ['Ready=False:RollingOut', 'Reconciling=True:RollingOut'], '0/2 updated, 0/2 available'],
    ['a new Deployment, seen: no counts yet', 2, { deployment: deployment({ generation: 1 }) }, ['Ready=False:RollingOut', 'Reconciling=True:RollingOut'], '0/2 updated, 0/2 available'],
    ['a new Deployment scaled to zero, never seen', 0, { deployment: { ...deployment({ replicas: 0 }), status: {} } }, ['Ready=False:RollingOut', 'Reconciling=True:RollingOut'], '0/0 updated, 0/0 available'],
    ['new generation not yet seen by the Deployment controller', 2, { deployment: deployment({ generation: 3, observed: 2, total: 2, updated: 2, available: 2 }) }, ['Ready=False:RollingOut', 'Reconciling=True:RollingOut'], 'waiting for the Deployment controller to see generation 3'],
    ['Deployment still at other replicas', 3, { deployment: deployment({ replicas: 2, total: 2, updated: 2, available: 2 }) }, ['Ready=False:RollingOut', 'Reconciling=True:RollingOut'], /generation/],
    ['old pods left', 2, { deployment: deployment({ total: 3, updated: 2, available: 2 }) }, ['Ready=False:RollingOut', 'Reconciling=True:RollingOut'], '2/2 updated, 2/2 available, 1 old still running'],
    ['new pods not available yet', 2, { deployment: deployment({ total: 3, updated: 1, available: 2 }) }, ['Ready=False:RollingOut', 'Reconciling=True:RollingOut'], '1/2 updated, 2/2 available, 2 old still running'],
    ['scaling down', 1, { deployment: deployment({ replicas: 1, total: 3, updated: 3, available: 3 }) }, ['Ready=False:RollingOut', 'Reconciling=True:RollingOut'], 'scaling down to 1 (3 still running)'],
    ['scaling up', 3, { deployment: deployment({ replicas: 3, total: 3, updated: 3, available: 2 }) }, ['Ready=False:RollingOut', 'Reconciling=True:RollingOut'], '3/3 updated, 2/3 available'],
    [
      'progress deadline exceeded',
      2,
      { deployment: deployment({ total: 3, updated: 1, available: 2, progressing: { status: 'False', reason: 'ProgressDeadlineExceeded', message: 'ReplicaSet "web-5d" has timed out progressing.' } }) },
      ['Ready=False:ProgressDeadlineExceeded', 'Stalled=True:ProgressDeadlineExceeded'],
      'ReplicaSet "web-5d" has timed out progressing.',
    ],
    ['progressing normally', 2, { deployment: deployment({ total: 3, updated: 1, available: 2, progressing: { status: 'True', reason: 'ReplicaSetUpdated', message: '' } }) }, ['Ready=False:RollingOut', 'Reconciling=True:RollingOut'], /1\/2 updated/],
    [
      'image pull failing',
      2,
      { deployment: deployment({ total: 3, updated: 1, available: 2 }), pods: [pod('web-1', { running: {} }), pod('web-2', waiting('ErrImagePull', 'failed to pull "x:does-not-exist"'))] },
      ['Ready=False:ErrImagePull', 'Stalled=True:ErrImagePull'],
      'pod web-2: failed to pull "x:does-not-exist"',
    ],
    ['backing off', 2, { deployment: deployment({ total: 1, updated: 1 }), pods: [pod('web-1', waiting('ImagePullBackOff', 'Back-off pulling image "x"'))] }, ['Ready=False:ImagePullBackOff', 'Stalled=True:ImagePullBackOff'], 'pod web-1: Back-off pulling image "x"'],
    ['crash looping', 1, { deployment: deployment({ replicas: 1, total: 1, updated: 1 }), pods: [pod('web-1', waiting('CrashLoopBackOff', 'back-off 10s'))] }, ['Ready=False:CrashLoopBackOff', 'Stalled=True:CrashLoopBackOff'], 'pod web-1: back-off 10s'],
    ['bad config', 1, { deployment: deployment({ replicas: 1, total: 1, updated: 1 }), pods: [pod('web-1', waiting('CreateContainerConfigError', 'secret "db" not found'))] }, ['Ready=False:CreateContainerConfigError', 'Stalled=True:CreateContainerConfigError'], 'pod web-1: secret "db" not found'],
    ['failing init container without message', 1, { deployment: deployment({ replicas: 1, total: 1, updated: 1 }), pods: [pod('web-1', waiting('ErrImagePull'), true)] }, ['Ready=False:ErrImagePull', 'Stalled=True:ErrImagePull'], 'pod web-1: ErrImagePull'],
    ['creating containers is not a failure', 1, { deployment: deployment({ replicas: 1, total: 1, updated: 1 }), pods: [pod('web-1', waiting('ContainerCreating'))] }, ['Ready=False:RollingOut', 'Reconciling=True:RollingOut'], '1/1 updated, 0/1 available'],
    [
      'pod failures of a template not yet observed are not judged',
      1,
      { deployment: deployment({ replicas: 1, generation: 3, observed: 2, total: 1, updated: 1 }), pods: [pod('web-1', waiting('ErrImagePull', 'old'))] },
      ['Ready=False:RollingOut', 'Reconciling=True:RollingOut'],
      /generation 3/,
    ],
  ])('%s', (_, replicas, o, conditions, message) => {
    const s = appStatus(app(replicas), { ...base, ...o });
    expect(summary(s)).toEqual(conditions);
    expect(s.conditions![0]!.message).toEqual(typeof message === 'string' ? message : expect.stringMatching(message));
    expect(s.conditions!.every((c) => c.observedGeneration === 4)).toBe(true);
    expect(s.observedGeneration).toBe(4);
  });
});

describe('appStatus fields', () => {
  it('mirrors the Deployment counts and publishes the selector for the scale subresource', () => {
    const s = appStatus(app(3), { ...base, deployment: deployment({ replicas: 3, total: 4, updated: 2, ready: 3, available: 3 }) });
    expect(s).toMatchObject({ replicas: 4, updatedReplicas: 2, readyReplicas: 3, availableReplicas: 3, selector: 'stratus.dev/app=web' });
  });

  it('reports zero counts (never leaves them out) before a Deployment exists', () => {
    expect(appStatus(app(2), base)).toMatchObject({ replicas: 0, readyReplicas: 0, updatedReplicas: 0, availableReplicas: 0 });
  });

  it.each<[string, Partial<App['spec']>, string | undefined, { address?: string; url?: string }]>([
    ['Service and ports', { ports: [{ name: 'http', port: 8080, protocol: 'TCP' }, { name: 'm', port: 9090, protocol: 'TCP' }] }, 'web', { address: 'web.ns.svc:8080', url: 'http://web.ns.svc:8080' }],
    ['no Service yet', { ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] }, undefined, {}],
    ['no ports', {}, 'web', {}],
  ])('address and url: %s', (_, spec, serviceName, want) => {
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
    const stillRolling = appStatus(app(2, {}, previous), { ...base, deployment: deployment({ total: 1, updated: 1 }) });
    expect(stillRolling.conditions![0]!.lastTransitionTime).toBe(earlier);
    const done = appStatus(app(2, {}, previous), { ...base, deployment: deployment({ total: 2, updated: 2, available: 2 }) });
    expect(done.conditions![0]!.lastTransitionTime).toBe('2026-01-01T00:00:00Z');
  });
});

describe('failingContainer', () => {
  it.each<[string, Pod[], string | undefined]>([
    ['none', [], undefined],
    ['running', [pod('a', { running: {} })], undefined],
    ['creating', [pod('a', waiting('ContainerCreating'))], undefined],
    ['the first failing pod', [pod('a', { running: {} }), pod('b', waiting('CrashLoopBackOff', 'm')), pod('c', waiting('ErrImagePull', 'n'))], 'b:CrashLoopBackOff'],
  ])('%s', (_, pods, want) => {
    const f = failingContainer(pods);
    expect(f ? `${f.pod}:${f.reason}` : undefined).toBe(want);
  });
});
