// A reconcile that writes status is not woken by its own write, and a
// reconcile that changes nothing makes no API write at all.
import { CustomResourceDefinitions } from '../../pkg/kube/resources.js';
import { installCrds } from '../../pkg/apply/crds.js';
import type { Client } from '../../pkg/runtime/client/client.js';
import { writeStatus } from '../../pkg/runtime/client/status-writer.js';
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
