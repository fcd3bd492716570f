// App benchmark: the time for 1,000 Apps to become Ready, against the time
// for the same 1,000 Deployments + Services, applied directly, to become
// available. Same run, same machine, one private control plane with the
// simulators and the App controller; the target is a ratio of at most 1.15.
//
//   npm run build && node dist/bench/apps.js
//
// BENCH_APPS (default 1000), BENCH_CONCURRENCY (default 32) and
// BENCH_WORKERS (App controller workers; default: the controller's own, 32,
// as many writers as the direct side gets) change the figures.
//
// By default the two are interleaved: one pool of BENCH_CONCURRENCY
// appliers takes "Deployment + Service for object i" (namespace
// bench-direct) and "App i" (namespace bench-apps) in turn, so both see the
// same cluster, the same load and the same clock; each time runs from the
// first apply to the moment a watch sees the last of its objects done.
// BENCH_SEQUENTIAL=1 runs the direct objects first, deletes them (and waits
// for their pods to go), then the Apps: each side's throughput alone, but
// noisier (on 2 cores the direct time alone varied by 40 % between runs,
// and the second phase inherits a busier etcd).
//
// Each object is one replica with tiny requests; the kubelet simulator gets
// 8 nodes (4,000 pods) so capacity never decides anything. The App
// controller runs in a worker thread, as it runs in its own process in a
// cluster; on the simulators' event loop its reconciles would also hold up
// the simulated kubelet.
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { KubeConfig } from '@kubernetes/client-node';
import { appController } from '../controllers/app/controller.js';
import { desiredPodTemplate, desiredRevisionDeployment, desiredService } from '../controllers/app/desired.js';
import { SettingsSource } from '../controllers/shared/settings.js';
import { settingsNamespace } from '../pkg/api/settings.js';
import { IpAllocator } from '../controllers/ipam/allocator.js';
import { Apps } from '../pkg/api/resources.js';
import { installStratusCrds } from '../pkg/api/install.js';
import type { App } from '../pkg/api/types.generated.js';
import type { Deployment } from '../pkg/kube/core-types.js';
import { Deployments, Namespaces, Services } from '../pkg/kube/resources.js';
import { Cache } from '../pkg/runtime/cache/cache.js';
import { Client } from '../pkg/runtime/client/client.js';
import { RestClient } from '../pkg/runtime/client/rest-client.js';
import { isTrue } from '../pkg/runtime/conditions/conditions.js';
import { Manager } from '../pkg/runtime/manager/manager.js';
import type { KubeObject } from '../pkg/meta/object.js';
import { startSimulators } from '../pkg/simulators/index.js';
import { sleep } from '../pkg/util/sleep.js';
import { parallel, report, withControlPlane } from './support.js';

const count = Number(process.env.BENCH_APPS ?? 1000);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 32);
const workers = process.env.BENCH_WORKERS ? Number(process.env.BENCH_WORKERS) : undefined;
const sequential = process.env.BENCH_SEQUENTIAL === '1';

function app(namespace: string, i: number): App {
  return {
    apiVersion: 'stratus.dev/v1alpha1',
    kind: 'App',
    metadata: { name: `app-${i}`, namespace },
    spec: {
      image: 'ghcr.io/stratus-examples/tiny:1.0',
      replicas: 1,
      resources: { requests: { cpu: '1m', memory: '1Mi' } },
      ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
    },
  };
}

const deploymentDone = (d: Deployment) =>
  (d.status?.observedGeneration ?? 0) >= (d.metadata.generation ?? 1) &&
  (d.status?.conditions ?? []).some((c) => c.type === 'Available' && c.status === 'True') &&
  d.status?.availableReplicas === d.spec.replicas &&
  d.status?.updatedReplicas === d.spec.replicas &&
  d.status?.replicas === d.spec.replicas;
const appDone = (a: App) => isTrue(a.status?.conditions, 'Ready') && a.status?.observedGeneration === a.metadata.generation;

/** Watches `type` in `namespace`: when all `count` objects exist, and when `done` holds for all. */
function track<T extends KubeObject>(client: Client, type: typeof Apps, namespace: string, done: (o: T) => boolean, signal: AbortSignal) {
  const cache = new Cache(client, { namespace });
  const seen = new Set<string>();
  const ready = new Set<string>();
  let made!: (at: number) => void;
  let finished!: (at: number) => void;
  const result = { made: new Promise<number>((r) => (made = r)), done: new Promise<number>((r) => (finished = r)) };
  cache.informer<T>(type).subscribe((e) => {
    const name = e.obj.metadata.name!;
    if (e.type === 'delete') seen.delete(name);
    else seen.add(name);
    if (e.type === 'delete' || !done(e.obj)) ready.delete(name);
    else ready.add(name);
    if (seen.size === count) made(performance.now());
    if (ready.size === count) finished(performance.now());
  });
  cache.start(signal);
  return result;
}

async function writes(mgr: Manager): Promise<number> {
  const metric = await mgr.metrics.requests.get();
  return metric.values.filter((v) => ['create', 'update', 'patch', 'delete'].includes(String(v.labels.verb))).reduce((n, v) => n + v.value, 0);
}

/** In the worker thread: the App controller, answering "writes" and "stop". */
async function runController(kubeconfig: string): Promise<void> {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfig);
  const mgr = new Manager({ kubeConfig: kc, namespace: 'bench-apps', userAgent: 'stratus-controllers' });
  mgr.add(appController(mgr, new IpAllocator(mgr.client, mgr.cache), new SettingsSource(mgr, settingsNamespace), workers));
  const stop = new AbortController();
  const running = mgr.start(stop.signal);
  await mgr.cache.waitForSync(stop.signal);
  parentPort!.on('message', (m: string) => {
    if (m === 'writes') void writes(mgr).then((n) => parentPort!.postMessage({ writes: n }));
    if (m === 'stop') {
      stop.abort();
      void running.then(() => parentPort!.close());
    }
  });
  parentPort!.postMessage({ ready: true });
}

/** The controller thread, seen from the main thread. */
class ControllerThread {
  private readonly worker: Worker;
  private readonly ready: Promise<void>;

  constructor(kubeconfig: string) {
    this.worker = new Worker(new URL(import.meta.url), { workerData: { kubeconfig } });
    this.ready = new Promise((resolve, reject) => {
      this.worker.once('error', reject);
      const onReady = (m: { ready?: boolean }) => {
        if (!m.ready) return;
        this.worker.off('message', onReady);
        resolve();
      };
      this.worker.on('message', onReady);
    });
  }

  started(): Promise<void> {
    return this.ready;
  }

  writes(): Promise<number> {
    return new Promise((resolve) => {
      const onMessage = (m: { writes?: number }) => {
        if (m.writes === undefined) return;
        this.worker.off('message', onMessage);
        resolve(m.writes);
      };
      this.worker.on('message', onMessage);
      this.worker.postMessage('writes');
    });
  }

  async stop(): Promise<void> {
    const exited = new Promise((resolve) => this.worker.once('exit', resolve));
    this.worker.postMessage('stop');
    await exited;
  }
}

/** Deletes a namespace and waits until it (with its pods) is gone. */
async function deleteNamespace(client: Client, name: string): Promise<void> {
  await client.delete(Namespaces, undefined, name);
  const deadline = performance.now() + 300_000;
  while (await client.tryGet(Namespaces, undefined, name)) {
    if (performance.now() > deadline) throw new Error(`namespace ${name} was not deleted in 5 minutes`);
    await sleep(1000);
  }
}

if (!isMainThread) await runController((workerData as { kubeconfig: string }).kubeconfig);
else {
  await withControlPlane(
    async (plane) => {
      const kc = plane.kubeConfig();
      const client = new Client(new RestClient(kc), 'bench');
      await installStratusCrds(client);
      const sims = await startSimulators(kc, { kubelet: { nodes: 8 } });
      // The App controller sees only the Apps' namespace.
      const controller = new ControllerThread(plane.adminKubeconfigPath);
      await controller.started();
      for (const name of ['bench-direct', 'bench-apps']) await client.create(Namespaces, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
      process.stdout.write(`${count} Apps and ${count} Deployments + Services, ${sequential ? 'one after the other' : 'interleaved'}; 1 replica each; apply concurrency ${concurrency}; ${workers ?? 'default'} App workers\n`);

      const watches = new AbortController();
      const direct = track<Deployment>(client, Deployments, 'bench-direct', deploymentDone, watches.signal);
      const children = track<Deployment>(client, Deployments, 'bench-apps', deploymentDone, watches.signal);
      const apps = track<App>(client, Apps, 'bench-apps', appDone, watches.signal);
      await sleep(1000);
      const refs = { dependencyEnv: new Map<string, string>(), claims: new Map<string, string>(), nads: new Map<string, string>() };
      const applyDirect = async (i: number) => {
        const a = app('bench-direct', i);
        await client.apply(Deployments, desiredRevisionDeployment(a, a.metadata.name!, desiredPodTemplate(a, refs), 1), { force: true });
        await client.apply(Services, desiredService(a, a.metadata.name)!, { force: true });
      };
      const applyApp = (i: number) => client.apply(Apps, app('bench-apps', i), { force: true });
      const indexes = [...Array(count).keys()];

      let directStart = performance.now();
      let appsStart = directStart;
      let writesBefore: number;
      if (sequential) {
        await parallel(indexes, concurrency, applyDirect);
        await direct.done;
        const cleanup = performance.now();
        await deleteNamespace(client, 'bench-direct');
        report('cleanup: bench-direct deleted', performance.now() - cleanup, 'ms');
        writesBefore = await controller.writes();
        appsStart = performance.now();
        await parallel(indexes, concurrency, applyApp);
      } else {
        writesBefore = await controller.writes();
        directStart = appsStart = performance.now();
        const work = indexes.flatMap((i) => [() => applyDirect(i), () => applyApp(i)]);
        await parallel(work, concurrency, (w) => w());
      }
      const directMs = (await direct.done) - directStart;
      const appsMs = (await apps.done) - appsStart;
      const appWrites = (await controller.writes()) - writesBefore;
      report('direct: all Deployments + Services applied', (await direct.made) - directStart, 'ms');
      report('direct: all Deployments available', directMs, 'ms');
      report('apps: all Apps applied', (await apps.made) - appsStart, 'ms');
      report('apps: all their Deployments made by the controller', (await children.made) - appsStart, 'ms');
      report('apps: all their Deployments available', (await children.done) - appsStart, 'ms');
      report('apps: all Apps Ready', appsMs, 'ms');
      report('apps: controller writes per App', appWrites / count, 'writes', `${appWrites} in all, until all Ready`);
      report('ratio: Apps / direct', appsMs / directMs, 'x', 'target <= 1.15');
      watches.abort();

      // Steady state: nothing more to write.
      await sleep(3000);
      const settled = await controller.writes();
      await sleep(5000);
      report('apps: controller writes in 5 s of steady state', (await controller.writes()) - settled, 'writes');

      await controller.stop();
      await sims.stop();
      client.rest.close();
    },
    { thirdPartyApis: true },
  );
}
