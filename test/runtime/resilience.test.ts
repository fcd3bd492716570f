// The runtime rides out what real clusters do to it: a silently stalled watch
// (half-open connection), a kube-apiserver restart, and an etcd compaction
// that expires the resourceVersion it was watching from. It recovers without
// restarting the process, sees every change it missed, and reconciles each
// changed object once.
import { KubeConfig } from '@kubernetes/client-node';
import { ControlPlane } from '../../pkg/controlplane/control-plane.js';
import { ConfigMaps, Namespaces } from '../../pkg/kube/resources.js';
import { Client } from '../../pkg/runtime/client/client.js';
import { RestClient } from '../../pkg/runtime/client/rest-client.js';
import { Controller } from '../../pkg/runtime/controller/controller.js';
import { Manager } from '../../pkg/runtime/manager/manager.js';
import type { InformerEvent } from '../../pkg/runtime/cache/informer.js';
import { FreezeProxy } from '../support/freeze-proxy.js';
import { eventually } from '../support/kube.js';
import { sleep } from '../../pkg/util/sleep.js';

// This test restarts its apiserver, so it runs its own control plane rather than the shared one.
let plane: ControlPlane;
let proxy: FreezeProxy;
let direct: Client;

beforeAll(async () => {
  plane = new ControlPlane({ thirdPartyApis: false });
  await plane.start();
  direct = new Client(new RestClient(plane.kubeConfig()));
  proxy = new FreezeProxy({ host: '127.0.0.1', port: Number(new URL(plane.server).port) });
  await proxy.start();
});

afterAll(async () => {
  direct?.rest.close();
  await proxy?.stop();
  await plane?.stop();
});

function viaProxy(): KubeConfig {
  const kc = plane.kubeConfig();
  const cluster = kc.getCurrentCluster()!;
  const clusters = kc.clusters.map((c) => (c.name === cluster.name ? { ...c, server: `https://127.0.0.1:${proxy.port}` } : c));
  const patched = new KubeConfig();
  patched.loadFromOptions({ clusters, users: kc.users, contexts: kc.contexts, currentContext: kc.currentContext });
  return patched;
}

const cm = (name: string, value: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'resilience' }, data: { value } });

it('recovers from a stalled watch, an apiserver restart and a compacted resourceVersion', async () => {
  await direct.create(Namespaces, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'resilience' } });
  const manager = new Manager({ kubeConfig: viaProxy(), namespace: 'resilience', stallTimeoutMs: 1500 });
  const reconciles = new Map<string, number>();
  const controller = new Controller({
    name: 'configmaps',
    reconciler: { reconcile: async (req) => void reconciles.set(req.name, (reconciles.get(req.name) ?? 0) + 1) },
  });
  const informer = manager.cache.informer(ConfigMaps);
  const events: string[] = [];
  informer.subscribe((e: InformerEvent) => events.push(`${e.type} ${e.obj.metadata.name}`));
  controller.watch(informer);
  manager.add(controller);
  const stop = new AbortController();
  const running = manager.start(stop.signal);
  try {
    for (const name of ['a', 'b', 'c']) await direct.create(ConfigMaps, cm(name, '1'));
    await eventually(async () => ['a', 'b', 'c'].every((n) => reconciles.get(n) === 1), 20_000, 'a, b, c reconciled');
    // Only a watch that is up can stall: one still being set up when the proxy freezes fails
    // as an error instead (seen under a loaded machine). A change made now arrives through it.
    await direct.create(ConfigMaps, cm('live', '1'));
    await eventually(async () => events.includes('add live'), 20_000, 'the watch delivering');
    const listsBefore = informer.stats.lists;

    // The connection goes silent; meanwhile the world changes.
    proxy.freeze();
    await direct.create(ConfigMaps, cm('d', '1'));
    await direct.patch(ConfigMaps, 'resilience', 'a', { merge: { data: { value: '2' } } });
    await direct.delete(ConfigMaps, 'resilience', 'b');
    await eventually(async () => informer.stats.stalls >= 1, 10_000, 'the watchdog to notice the stall');

    // The apiserver restarts and etcd forgets the history the informer would resume from.
    await plane.stopApiserver();
    await plane.compactEtcd();
    await plane.startApiserver();
    proxy.thaw();

    await eventually(async () => reconciles.get('d') === 1 && reconciles.get('a') === 2 && reconciles.get('b') === 2, 60_000, 'missed changes reconciled');
    expect(informer.stats.lists).toBeGreaterThan(listsBefore);
    expect(events).toEqual(expect.arrayContaining(['add d', 'update a', 'delete b']));

    // Still running normally afterwards, in the same process.
    await direct.create(ConfigMaps, cm('e', '1'));
    await eventually(async () => reconciles.get('e') === 1, 20_000, 'e reconciled');
    await sleep(500);
    // Every object was reconciled once per change it went through: no duplicate work.
    expect(Object.fromEntries(['a', 'b', 'c', 'd', 'e'].map((n) => [n, reconciles.get(n)]))).toEqual({ a: 2, b: 2, c: 1, d: 1, e: 1 });
  } finally {
    stop.abort();
    await running;
  }
});
