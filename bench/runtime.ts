// Runtime benchmark: cache memory per object for 10,000 cached objects, and
// reconciles per second through the work queue and workers.
//
//   npm run bench:runtime            (node --expose-gc dist/bench/runtime.js)
import { ConfigMaps, Namespaces } from '../pkg/kube/resources.js';
import { Client } from '../pkg/runtime/client/client.js';
import { RestClient } from '../pkg/runtime/client/rest-client.js';
import { Controller } from '../pkg/runtime/controller/controller.js';
import { Manager } from '../pkg/runtime/manager/manager.js';
import { heapUsed, parallel, report, withControlPlane } from './support.js';

const objects = Number(process.env.BENCH_OBJECTS ?? 10_000);

await withControlPlane(async (plane) => {
  const client = new Client(new RestClient(plane.kubeConfig()));
  const namespaces = 10;
  for (let n = 0; n < namespaces; n++) {
    await client.create(Namespaces, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: `bench-${n}` } });
  }
  const seedStart = performance.now();
  await parallel([...Array(objects).keys()], 64, (i) =>
    client.create(ConfigMaps, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: `cm-${i}`, namespace: `bench-${i % namespaces}`, labels: { app: 'bench', shard: String(i % 16) } },
      data: { index: String(i), owner: 'stratus-bench', payload: 'x'.repeat(64) },
    }),
  );
  report('seed: objects created', objects, 'objects', `${((performance.now() - seedStart) / 1000).toFixed(1)} s`);

  for (const workers of [1, 4]) {
    const before = heapUsed();
    const manager = new Manager({ kubeConfig: plane.kubeConfig() });
    let reconciled = 0;
    let done: () => void = () => {};
    const finished = new Promise<void>((resolve) => (done = resolve));
    const controller = new Controller({
      name: `bench-${workers}`,
      workers,
      reconciler: {
        // A realistic read path: look the object up in the cache and inspect it.
        reconcile: async (req) => {
          const cm = manager.cache.get(ConfigMaps, req.namespace, req.name);
          if (cm?.metadata.labels?.app === 'bench' && ++reconciled === objects) done();
        },
      },
    });
    const informer = manager.cache.informer(ConfigMaps);
    controller.watch(informer, undefined, (e) => e.obj.metadata.labels?.app === 'bench');
    manager.add(controller);
    const stop = new AbortController();
    const started = performance.now();
    const running = manager.start(stop.signal);
    await informer.waitForSync();
    const synced = performance.now();
    await finished;
    const drained = performance.now();
    if (workers === 1) {
      const perObject = (heapUsed() - before) / informer.indexer.size;
      report('cache: heap per cached object', perObject, 'bytes', `${informer.indexer.size} objects, managedFields stripped, frozen`);
      report('cache: initial list of all objects', synced - started, 'ms');
    }
    report(`reconcile: throughput, ${workers} worker(s)`, objects / ((drained - synced) / 1000), 'reconciles/s', `${objects} keys after sync`);
    stop.abort();
    await running;
  }
  client.rest.close();
});
