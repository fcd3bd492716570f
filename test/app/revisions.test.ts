// An App's revisions and traffic on the real control plane with the
// simulators (the Gateway API implementation among them): an image change
// makes a new revision and traffic moves to it only once it is ready, a
// 90/10 split shows in the HTTPRoute's weights and in the instances each
// revision runs (a Scaler scales the App as a whole), rollback is one
// field, a tag has a URL of its own, garbage collection keeps N retired
// revisions and never one with traffic, and a progressive rollout steps
// through its split or moves back when the new revision fails.
import { Apps, Scalers } from '../../pkg/api/resources.js';
import type { App, Scaler } from '../../pkg/api/types.generated.js';
import type { RunningOperator } from '../../pkg/cli/operator.js';
import type { Deployment } from '../../pkg/kube/core-types.js';
import { ConfigMaps, Deployments } from '../../pkg/kube/resources.js';
import type { HTTPRoute } from '../../pkg/contracts/gateway/index.js';
import { HTTPRoutes } from '../../pkg/contracts/gateway/index.js';
import type { Client } from '../../pkg/runtime/client/client.js';
import { findCondition } from '../../pkg/runtime/conditions/conditions.js';
import type { KubeObject } from '../../pkg/meta/object.js';
import { createNamespace, deleteNamespace, eventually, testClient } from '../support/kube.js';
import { settled } from '../support/operator.js';
import { condition, readyNow, revisionDeployments, startAppOperator, waitForApp } from './support.js';

let client: Client;
let ns: string;
let operator: RunningOperator;

beforeAll(async () => {
  client = testClient();
  ns = await createNamespace(client, 'app-rev');
  operator = await startAppOperator(ns);
});
afterAll(async () => {
  await operator?.stop();
  await deleteNamespace(client, ns);
  client.rest.close();
});

const tiny = (v: string) => `ghcr.io/stratus-examples/tiny:${v}`;
const getApp = (name: string) => client.get<App>(Apps, ns, name);
const waitFor = (name: string, test: (a: App) => boolean, what: string, timeoutMs?: number) => waitForApp(client, ns, name, test, what, timeoutMs);
const route = (name: string) => client.tryGet<HTTPRoute>(HTTPRoutes, ns, name);
/** The route's backends as "revision:weight". */
const weights = async (name: string) => ((await route(name))?.spec.rules?.[0]?.backendRefs ?? []).map((b) => `${b.name}:${b.weight ?? 1}`);
/** Each revision's replicas as "revision:replicas". */
const replicas = async (app: string) => (await revisionDeployments(client, ns, app)).map((d) => `${d.metadata.name}:${d.spec.replicas}`);
const web = (spec: Partial<App['spec']>): App => ({
  apiVersion: 'stratus.dev/v1alpha1',
  kind: 'App',
  metadata: { name: 'web', namespace: ns },
  spec: { image: tiny('1.0'), replicas: 2, ports: [{ name: 'http', port: 8080 }], route: { hostnames: ['web.stratus.test'] }, ...spec } as App['spec'],
});

it('makes a new revision for a new image and moves traffic to it only once it is ready', async () => {
  await client.create(Apps, web({}));
  const first = await waitFor('web', readyNow, 'web Ready');
  expect(first.status).toMatchObject({ latestReadyRevision: 'web-00001', url: 'http://web.stratus.test', traffic: [{ revision: 'web-00001', latestRevision: true, percent: 100 }] });
  expect(await weights('web')).toEqual(['web-00001:100']);

  // A revision that never gets ready takes no traffic: the first keeps serving, and the App says why.
  await client.patch(Apps, ns, 'web', { merge: { spec: { image: 'ghcr.io/stratus-examples/does-not-exist:2' } } });
  const broken = await waitFor('web', (a) => !!condition(a, 'Stalled'), 'web Stalled on its new revision');
  expect(['ErrImagePull', 'ImagePullBackOff']).toContain(condition(broken, 'Stalled')?.reason);
  expect(condition(broken, 'Stalled')?.message).toMatch(/^pod web-00002-/);
  expect(broken.status?.traffic).toEqual([{ revision: 'web-00001', latestRevision: true, percent: 100 }]);
  expect(await weights('web')).toEqual(['web-00001:100']);
  expect(await replicas('web')).toEqual(['web-00001:2', 'web-00002:2']);

  // A ready one takes it all; the broken one and the first are left without instances.
  await client.patch(Apps, ns, 'web', { merge: { spec: { image: tiny('1.1') } } });
  const moved = await waitFor('web', (a) => readyNow(a) && a.status?.latestReadyRevision === 'web-00003', 'traffic on web-00003');
  expect(moved.status?.traffic).toEqual([{ revision: 'web-00003', latestRevision: true, percent: 100 }]);
  expect(await weights('web')).toEqual(['web-00003:100']);
  await eventually(async () => (await replicas('web')).join() === 'web-00001:0,web-00002:0,web-00003:2', 30_000, 'only web-00003 runs');
  expect(moved.status?.revisions?.map((r) => [r.name, r.ready, r.percent])).toEqual([
    ['web-00003', true, 100],
    ['web-00002', false, 0],
    ['web-00001', true, 0],
  ]);
});

it('splits 90/10, in the HTTPRoute weights and in the instances of each revision, which a Scaler scales as a whole', async () => {
  await client.patch(Apps, ns, 'web', { merge: { spec: { traffic: [{ revision: 'web-00001', percent: 90 }, { latestRevision: true, percent: 10 }] } } });
  const split = await waitFor('web', (a) => readyNow(a) && a.status?.traffic?.length === 2, 'the split served');
  expect(split.status?.traffic).toEqual([
    { revision: 'web-00001', percent: 90 },
    { revision: 'web-00003', latestRevision: true, percent: 10 },
  ]);
  expect(await weights('web')).toEqual(['web-00001:90', 'web-00003:10']);
  expect(condition(split, 'Ready')?.message).toBe('3 instances available (spec.replicas 2, one at least for each revision with a share); traffic: web-00001 90%, web-00003 10%');

  // 50 pending jobs at 5 per instance: 10 instances, 9 for the 90 %, 1 for the 10 %.
  await client.create(ConfigMaps, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'jobs', namespace: ns }, data: { pending: '50' } } as KubeObject);
  const scaler: Scaler = {
    apiVersion: 'stratus.dev/v1alpha1',
    kind: 'Scaler',
    metadata: { name: 'web', namespace: ns },
    spec: {
      scaleTargetRef: { kind: 'App', name: 'web' },
      minReplicas: 1,
      maxReplicas: 20,
      pollingIntervalSeconds: 1,
      metrics: [{ type: 'Object', object: { describedObject: { apiVersion: 'v1', kind: 'ConfigMap', name: 'jobs' }, metric: { name: 'pending' }, fieldPath: '.data.pending', target: { type: 'AverageValue', averageValue: '5' } } }],
    } as Scaler['spec'],
  };
  await client.create(Scalers, scaler);
  await eventually(async () => (await getApp('web')).spec.replicas === 10, 30_000, 'the Scaler asking for 10');
  const scaled = await waitFor('web', (a) => readyNow(a) && a.status?.availableReplicas === 10, 'web Ready with 10');
  expect(await replicas('web')).toEqual(['web-00001:9', 'web-00002:0', 'web-00003:1']);
  expect(scaled.status?.revisions?.filter((r) => r.replicas > 0).map((r) => [r.name, r.replicas, r.percent])).toEqual([
    ['web-00003', 1, 10],
    ['web-00001', 9, 90],
  ]);
  await client.delete(Scalers, ns, 'web');
  await client.patch(Apps, ns, 'web', { merge: { spec: { replicas: 2 } } });
});

it('rolls back by one field: traffic pinned to a previous revision', async () => {
  await client.patch(Apps, ns, 'web', { merge: { spec: { traffic: [{ revision: 'web-00001', percent: 100 }] } } });
  const back = await waitFor('web', (a) => readyNow(a) && a.status?.traffic?.length === 1 && a.status.traffic[0]!.revision === 'web-00001', 'rolled back');
  expect(back.status?.traffic).toEqual([{ revision: 'web-00001', percent: 100 }]);
  expect(await weights('web')).toEqual(['web-00001:100']);
  await eventually(async () => (await replicas('web')).join() === 'web-00001:2,web-00002:0,web-00003:0', 30_000, 'only web-00001 runs');
});

it('gives a tag a URL of its own, on an HTTPRoute to its revision alone', async () => {
  await client.patch(Apps, ns, 'web', { merge: { spec: { traffic: [{ revision: 'web-00001', percent: 100 }, { latestRevision: true, tag: 'next' }] } } });
  const tagged = await waitFor('web', (a) => readyNow(a) && !!a.status?.traffic?.some((t) => t.tag === 'next'), 'the tag served');
  expect(tagged.status?.traffic).toEqual([
    { revision: 'web-00001', percent: 100 },
    { revision: 'web-00003', latestRevision: true, percent: 0, tag: 'next', url: 'http://next-web.stratus.test' },
  ]);
  const next = (await route('web-next'))!;
  expect(next.spec.hostnames).toEqual(['next-web.stratus.test']);
  expect(await weights('web-next')).toEqual(['web-00003:1']);
  expect(next.status?.parents[0]?.conditions.find((c) => c.type === 'Accepted')?.status).toBe('True');
  // A tag alone runs one instance, so its URL answers.
  expect(await replicas('web')).toEqual(['web-00001:2', 'web-00002:0', 'web-00003:1']);

  await client.patch(Apps, ns, 'web', { merge: { spec: { traffic: [{ revision: 'web-00001', percent: 100 }] } } });
  await eventually(async () => (await route('web-next')) === undefined, 30_000, 'the tag route removed');
});

it('collects old revisions: keeps the newest N retired ones, never one that takes traffic', async () => {
  await client.patch(Apps, ns, 'web', { merge: { spec: { revisionHistory: { limit: 1 } } } });
  for (const v of ['1.2', '1.3', '1.4']) {
    await client.patch(Apps, ns, 'web', { merge: { spec: { image: tiny(v) } } });
    // Pinned traffic leaves a new revision without instances: made, not run.
    await waitFor('web', (a) => readyNow(a) && a.status?.revisions?.[0]?.image === tiny(v), `a revision of ${v}`);
  }
  // web-00001 serves everything (pinned) though it is the oldest; of the retired ones only the newest is left, and the latest.
  const kept = await eventually(async () => {
    const names = (await revisionDeployments(client, ns, 'web')).map((d) => d.metadata.name);
    return names.join() === 'web-00001,web-00005,web-00006' && names;
  }, 30_000, 'revisions collected');
  expect(kept).toEqual(['web-00001', 'web-00005', 'web-00006']);
  const a = await getApp('web');
  expect(a.status?.revisions?.map((r) => r.name)).toEqual(['web-00006', 'web-00005', 'web-00001']);
  expect(a.status?.traffic).toEqual([{ revision: 'web-00001', percent: 100 }]);
  expect(await client.tryGet<Deployment>(Deployments, ns, 'web-00004')).toBeUndefined();
});

it('steps a progressive rollout through its split, and moves back at once when the new revision fails', async () => {
  const shop = web({ replicas: 4, route: { hostnames: ['shop.stratus.test'] }, rollout: { steps: [{ percent: 25, pauseSeconds: 2 }] } });
  await client.create(Apps, { ...shop, metadata: { name: 'shop', namespace: ns } });
  await waitFor('shop', readyNow, 'shop Ready');
  await client.patch(Apps, ns, 'shop', { merge: { spec: { image: tiny('2.0') } } });
  const step = await waitFor('shop', (a) => a.status?.rollout?.stepStartedAt !== undefined, 'the first step served');
  expect(step.status?.rollout).toMatchObject({ revision: 'shop-00002', from: 'shop-00001', step: 0 });
  expect(step.status?.traffic).toEqual([
    { revision: 'shop-00001', percent: 75 },
    { revision: 'shop-00002', latestRevision: true, percent: 25 },
  ]);
  expect(condition(step, 'Reconciling')?.message).toMatch(/rollout of shop-00002: step 1 of 1 \(shop-00001 75%, shop-00002 25%/);
  const started = Date.parse(step.status!.rollout!.stepStartedAt!);
  const done = await waitFor('shop', (a) => readyNow(a) && a.status?.latestReadyRevision === 'shop-00002' && a.status.traffic?.length === 1, 'the rollout done');
  expect(done.status?.rollout).toBeUndefined();
  expect(done.status?.traffic).toEqual([{ revision: 'shop-00002', latestRevision: true, percent: 100 }]);
  // Not before the step's pause (times in status are whole seconds).
  expect(Date.parse(findCondition(done.status?.conditions, 'Ready')!.lastTransitionTime)).toBeGreaterThanOrEqual(started + 1000);

  await client.patch(Apps, ns, 'shop', { merge: { spec: { image: 'ghcr.io/stratus-examples/does-not-exist:3' } } });
  const halted = await waitFor('shop', (a) => condition(a, 'Stalled')?.reason === 'RolledBack', 'the rollout halted');
  expect(condition(halted, 'Stalled')?.message).toMatch(/^shop-00003 failed at step 1 \(25%\): pod shop-00003-[a-z0-9-]+: .*; its traffic went back to shop-00002$/);
  expect(halted.status?.traffic).toEqual([{ revision: 'shop-00002', latestRevision: true, percent: 100 }]);
  expect(await weights('shop')).toEqual(['shop-00002:100']);
});

it('writes nothing once settled', async () => {
  const before = await settled([operator]);
  for (const name of ['web', 'shop']) await client.patch(Apps, ns, name, { merge: { metadata: { annotations: { 'example.com/touched': String(Date.now()) } } } });
  expect(await settled([operator])).toBe(before);
});
