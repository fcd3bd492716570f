// A reconcile that writes status is not woken by its own write, a reconcile
// that changes nothing makes no API write at all, progress settles, and a
// status written but not yet seen in the cache is not written again.
import { CustomResourceDefinitions } from '../../pkg/kube/resources.js';
import { installCrds } from '../../pkg/apply/crds.js';
import type { Client } from '../../pkg/runtime/client/client.js';
import { SettlingStatusWriter, writeStatus } from '../../pkg/runtime/client/status-writer.js';
import { summarize } from '../../pkg/runtime/conditions/conditions.js';
import { Controller } from '../../pkg/runtime/controller/controller.js';
import { enqueueObject } from '../../pkg/runtime/handler/handlers.js';
import { Manager } from '../../pkg/runtime/manager/manager.js';
import type { KubeObject } from '../../pkg/meta/object.js';
import { specOrMetadataChanged } from '../../pkg/runtime/predicate/predicates.js';
import { sleep } from '../../pkg/util/sleep.js';
import { createNamespace, deleteNamespace, eventually, testClient, testKubeConfig } from '../support/kube.js';

const Widgets = { group: 'runtime.test.stratus.dev', version: 'v1', resource: 'widgets', kind: 'Widget', namespaced: true };

let client: Client;
let ns: string;

beforeAll(async () => {
  client = testClient();
  await installCrds(client, [
    {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'widgets.runtime.test.stratus.dev' },
      spec: {
        group: Widgets.group,
        names: { kind: 'Widget', plural: 'widgets', singular: 'widget' },
        scope: 'Namespaced',
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            subresources: { status: {} },
            schema: {
              openAPIV3Schema: {
                type: 'object',
                properties: {
                  spec: { type: 'object', properties: { size: { type: 'integer' } } },
                  status: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
                },
              },
            },
          },
        ],
      },
    },
  ]);
  ns = await createNamespace(client, 'status');
});

afterAll(async () => {
  await deleteNamespace(client, ns);
  await client.deleteIfExists(CustomResourceDefinitions, undefined, 'widgets.runtime.test.stratus.dev');
  client.rest.close();
});

async function patchRequests(manager: Manager): Promise<number> {
  const metric = await manager.metrics.requests.get();
  return metric.values.filter((v) => v.labels.verb === 'patch').reduce((n, v) => n + v.value, 0);
}

it('is not woken by its own status write and writes nothing when nothing changed', async () => {
  const manager = new Manager({ kubeConfig: testKubeConfig(), namespace: ns });
  let reconciles = 0;
  let writes = 0;
  const controller = new Controller({
    name: 'widgets',
    reconciler: {
      reconcile: async (req) => {
        reconciles++;
        const widget = manager.cache.get<KubeObject & { spec: { size: number } }>(Widgets, req.namespace, req.name);
        if (!widget) return;
        const status = {
          observedGeneration: widget.metadata.generation,
          size: widget.spec.size,
          conditions: summarize(
            (widget.status as { conditions?: [] } | undefined)?.conditions,
            { state: 'ready', reason: 'Sized', message: `size ${widget.spec.size}` },
            widget.metadata.generation,
          ),
        };
        if (await writeStatus(manager.client, Widgets, widget, status)) writes++;
      },
    },
  });
  controller.watch(manager.cache.informer(Widgets), enqueueObject, specOrMetadataChanged);
  manager.add(controller);
  const stop = new AbortController();
  const running = manager.start(stop.signal);
  try {
    await client.create(Widgets, { apiVersion: `${Widgets.group}/v1`, kind: 'Widget', metadata: { name: 'w', namespace: ns }, spec: { size: 1 } });
    await eventually(async () => writes === 1, 20_000, 'first status write');
    await sleep(1500);
    expect({ reconciles, writes }).toEqual({ reconciles: 1, writes: 1 });

    await client.patch(Widgets, ns, 'w', { merge: { spec: { size: 2 } } });
    await eventually(async () => writes === 2, 20_000, 'second status write');
    await sleep(1500);
    expect({ reconciles, writes }).toEqual({ reconciles: 2, writes: 2 });

    // Asked to reconcile with nothing new to do: no write of any kind.
    const patchesBefore = await patchRequests(manager);
    controller.enqueue(`${ns}/w`);
    await eventually(async () => reconciles === 3, 10_000, 'third reconcile');
    await sleep(200);
    expect(writes).toBe(2);
    expect(await patchRequests(manager)).toBe(patchesBefore);
  } finally {
    stop.abort();
    await running;
  }
});

it('settles a burst of progress into one write of the latest, and writes readiness at once', async () => {
  const manager = new Manager({ kubeConfig: testKubeConfig(), namespace: ns });
  const statuses = new SettlingStatusWriter(manager.client);
  const writes: { size: number; at: number }[] = [];
  const held: number[] = [];
  const controller = new Controller({
    name: 'settling-widgets',
    reconciler: {
      reconcile: async (req) => {
        // The first test's widget shares the namespace; this one watches only its own.
        const widget = req.name === 'burst' ? manager.cache.get<KubeObject & { spec: { size: number } }>(Widgets, req.namespace, req.name) : undefined;
        if (!widget) return;
        const size = widget.spec.size;
        // Sizes below 10 are steps on the way; 10 is done.
        const state = size >= 10 ? 'ready' : 'progressing';
        const status = {
          observedGeneration: widget.metadata.generation,
          size,
          conditions: summarize((widget.status as { conditions?: [] } | undefined)?.conditions, { state, reason: state === 'ready' ? 'Sized' : 'Growing', message: `size ${size}` }, widget.metadata.generation),
        };
        const result = await statuses.write(Widgets, widget, status);
        if (result.written) writes.push({ size, at: performance.now() });
        if (result.requeueAfterMs !== undefined) held.push(size);
        return result;
      },
    },
  });
  controller.watch(manager.cache.informer(Widgets), enqueueObject, specOrMetadataChanged);
  manager.add(controller);
  const stop = new AbortController();
  const running = manager.start(stop.signal);
  try {
    await client.create(Widgets, { apiVersion: `${Widgets.group}/v1`, kind: 'Widget', metadata: { name: 'burst', namespace: ns }, spec: { size: 1 } });
    // A status-less object's first report is written at once (kstatus would read it as current).
    await eventually(async () => writes.length === 1, 20_000, 'first status write');
    const burst = performance.now();
    for (const size of [2, 3, 4]) await client.patch(Widgets, ns, 'burst', { merge: { spec: { size } } });
    await eventually(async () => writes.length === 2, 30_000, 'the settled write');
    expect(writes[1]!.size).toBe(4);
    // Held for the step time (2 s) from the first change of the burst, and for the
    // progress time (10 s) from the report before it, and not much longer.
    expect(writes[1]!.at - burst).toBeGreaterThanOrEqual(1_900);
    expect(writes[1]!.at - writes[0]!.at).toBeGreaterThanOrEqual(9_900);
    expect(writes[1]!.at - writes[0]!.at).toBeLessThan(16_000);

    // Readiness is written by the first reconcile that sees it, never held.
    await client.patch(Widgets, ns, 'burst', { merge: { spec: { size: 10 } } });
    await eventually(async () => writes.length === 3, 20_000, 'the Ready write');
    expect(writes[2]!.size).toBe(10);
    expect(held).not.toContain(10);
    expect(held.length).toBeGreaterThan(0);
    expect(((await client.get(Widgets, ns, 'burst')).status as { size: number }).size).toBe(10);
  } finally {
    stop.abort();
    await running;
  }
});

it('does not write again a status the cache does not show yet', async () => {
  const manager = new Manager({ kubeConfig: testKubeConfig(), namespace: ns });
  const statuses = new SettlingStatusWriter(manager.client);
  await client.create(Widgets, { apiVersion: `${Widgets.group}/v1`, kind: 'Widget', metadata: { name: 'stale', namespace: ns }, spec: { size: 1 } });
  // The object as a cache would hold it until our write comes back.
  const before = await client.get(Widgets, ns, 'stale');
  const progressing = { observedGeneration: 1, conditions: summarize(undefined, { state: 'progressing', reason: 'Growing', message: 'size 1' }, 1) };
  const done = { observedGeneration: 1, conditions: summarize(undefined, { state: 'ready', reason: 'Sized', message: 'size 1' }, 1) };
  const patches = await patchRequests(manager);
  expect((await statuses.write(Widgets, before, progressing)).written).toBe(true);
  expect((await statuses.write(Widgets, before, progressing)).written).toBe(false);
  expect(await patchRequests(manager)).toBe(patches + 1);
  // Something else to say waits until the object shows the write: it would be built on the status before it.
  expect(await statuses.write(Widgets, before, done)).toEqual({ written: false, requeueAfterMs: 500, heldWrite: true });
  // Once the object has moved on, what it shows decides.
  const after = await client.get(Widgets, ns, 'stale');
  expect((await statuses.write(Widgets, after, progressing)).written).toBe(false);
  expect((await statuses.write(Widgets, after, done)).written).toBe(true);
  expect(await patchRequests(manager)).toBe(patches + 2);
  manager.client.rest.close();
});
