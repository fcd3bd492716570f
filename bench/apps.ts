// App benchmark, three sides in one run on one private control plane with
// the simulators (the Gateway API implementation among them):
//
//   direct  1,000 Deployments + Services applied directly, until available
//   apps    1,000 Apps, until Ready
//   routes  1,000 Apps with a hostname each, until Ready: their HTTPRoutes
//           accepted by the Gateway as well
//
// Targets: apps / direct at most 1.15; routes / apps is the price of a URL.
//
//   npm run build && node dist/bench/apps.js
//
// BENCH_APPS (default 1000), BENCH_CONCURRENCY (default 32) and
// BENCH_WORKERS (App controller workers; default: the controller's own, 32,
// as many writers as the direct side gets) change the figures.
//
// By default the sides are interleaved: one pool of BENCH_CONCURRENCY
// appliers takes "Deployment + Service i" (namespace bench-direct), "App i"
// (bench-apps) and "App i with a hostname" (bench-routes) in turn, so all
// see the same cluster, the same load and the same clock; each time runs
// from the first apply to the moment a watch sees the last of its objects
// done. BENCH_SEQUENTIAL=1 runs the sides one after the other, deleting each
// (and waiting for its pods to go) before the next: each side's throughput
// alone, but noisier (on 2 cores the direct time alone varied by 40 %
// between runs, and later sides inherit a busier etcd).
//
// Each object is one replica with tiny requests; the kubelet simulator gets
// 8 nodes (4,000 pods) so capacity never decides anything. Each App side has
// an App controller of its own in a worker thread (watching its namespace),
// as it runs in its own process in a cluster: on the simulators' event loop
// its reconciles would also hold up the simulated kubelet, and one per side
// counts each side's writes apart.
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { KubeConfig } from '@kubernetes/client-node';
import { appController } from '../controllers/app/controller.js';
import { desiredPodTemplate, desiredRevisionDeployment, desiredService } from '../controllers/app/desired.js';
import { IpAllocator } from '../controllers/ipam/allocator.js';
import { SettingsSource } from '../controllers/shared/settings.js';
import { Apps } from '../pkg/api/resources.js';
import { installStratusCrds } from '../pkg/api/install.js';
import { settingsNamespace } from '../pkg/api/settings.js';
import type { App } from '../pkg/api/types.generated.js';
import type { Deployment } from '../pkg/kube/core-types.js';
import { Deployments, Namespaces, Services } from '../pkg/kube/resources.js';
import { ApiError } from '../pkg/runtime/client/api-error.js';
import { Client } from '../pkg/runtime/client/client.js';
import { RestClient } from '../pkg/runtime/client/rest-client.js';
import { isTrue } from '../pkg/runtime/conditions/conditions.js';
import { Manager } from '../pkg/runtime/manager/manager.js';
import { startSimulators } from '../pkg/simulators/index.js';
import { sleep } from '../pkg/util/sleep.js';
import { parallel, report, track, withControlPlane } from './support.js';

const count = Number(process.env.BENCH_APPS ?? 1000);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 32);
const workers = process.env.BENCH_WORKERS ? Number(process.env.BENCH_WORKERS) : undefined;
const sequential = process.env.BENCH_SEQUENTIAL === '1';

function app(namespace: string, i: number, routed = false): App {
  return {
    apiVersion: 'stratus.dev/v1alpha1',
    kind: 'App',
    metadata: { name: `app-${i}`, namespace },
    spec: {
      image: 'ghcr.io/stratus-examples/tiny:1.0',
      replicas: 1,
      resources: { requests: { cpu: '1m', memory: '1Mi' } },
      ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
      // The embedded plane's Gateway serves *.stratus.test.
      ...(routed ? { route: { hostnames: [`app-${i}.stratus.test`] } } : {}),
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


/**
 * An apply, again after a second when the apiserver answers that it is too
 * busy (429, 5xx): on a loaded machine a 3,000-object burst meets a few
 * timeouts, and a benchmark that stops there measures nothing.
 */
async function persistently<T>(apply: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await apply();
    } catch (err) {
      if (!(err instanceof ApiError) || !(err.status === 429 || err.status >= 500) || attempt >= 10) throw err;
      await sleep(1000);
    }
  }
}

type Writes = Record<string, number>;

/** Writes so far, by resource. */
async function writes(mgr: Manager): Promise<Writes> {
  const metric = await mgr.metrics.requests.get();
  const out: Writes = {};
  for (const v of metric.values.filter((v) => ['create', 'update', 'patch', 'delete'].includes(String(v.labels.verb)))) {
    const resource = String(v.labels.resource);
    out[resource] = (out[resource] ?? 0) + v.value;
  }
  return out;
}

const total = (w: Writes) => Object.values(w).reduce((a, b) => a + b, 0);
const minus = (a: Writes, b: Writes): Writes => Object.fromEntries(Object.entries(a).map(([k, v]) => [k, v - (b[k] ?? 0)]));

/** In the worker thread: the App controller for one namespace, answering "writes" and "stop". */
async function runController(kubeconfig: string, namespace: string): Promise<void> {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfig);
  const mgr = new Manager({ kubeConfig: kc, namespace, userAgent: 'stratus-controllers' });
  mgr.add(appController(mgr, new IpAllocator(mgr.client, mgr.cache), new SettingsSource(mgr, settingsNamespace), workers));
  const stop = new AbortController();
  const running = mgr.start(stop.signal);
  await mgr.cache.waitForSync(stop.signal);
  parentPort!.on('message', (m: string) => {
    if (m === 'writes') void writes(mgr).then((w) => parentPort!.postMessage({ writes: w }));
    if (m === 'stop') {
      stop.abort();
      void running.then(() => parentPort!.close());
    }
  });
  parentPort!.postMessage({ ready: true });
}

/** A controller thread, seen from the main thread. */
class ControllerThread {
  private readonly worker: Worker;
  private readonly ready: Promise<void>;

  constructor(kubeconfig: string, namespace: string) {
    this.worker = new Worker(new URL(import.meta.url), { workerData: { kubeconfig, namespace } });
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

  writes(): Promise<Writes> {
    return new Promise((resolve) => {
      const onMessage = (m: { writes?: Writes }) => {
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

if (!isMainThread) {
  const { kubeconfig, namespace } = workerData as { kubeconfig: string; namespace: string };
  await runController(kubeconfig, namespace);
} else {
  await withControlPlane(
    async (plane) => {
      const kc = plane.kubeConfig();
      const client = new Client(new RestClient(kc), 'bench');
      await installStratusCrds(client);
      const sims = await startSimulators(kc, { kubelet: { nodes: 8 } });
      const controllers = { apps: new ControllerThread(plane.adminKubeconfigPath, 'bench-apps'), routes: new ControllerThread(plane.adminKubeconfigPath, 'bench-routes') };
      await Promise.all(Object.values(controllers).map((c) => c.started()));
      for (const name of ['bench-direct', 'bench-apps', 'bench-routes']) await client.create(Namespaces, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
      process.stdout.write(
        `${count} Deployments + Services, ${count} Apps and ${count} Apps with a hostname, ${sequential ? 'one side after the other' : 'interleaved'}; 1 replica each; apply concurrency ${concurrency}; ${workers ?? 'default'} App workers\n`,
      );

      const watches = new AbortController();
      const direct = track<Deployment>(client, Deployments, 'bench-direct', count, deploymentDone, watches.signal);
      const apps = track<App>(client, Apps, 'bench-apps', count, appDone, watches.signal);
      const routes = track<App>(client, Apps, 'bench-routes', count, appDone, watches.signal);
      await sleep(1000);
      const refs = { dependencyEnv: new Map<string, string>(), claims: new Map<string, string>(), nads: new Map<string, string>() };
      const applyDirect = async (i: number) => {
        const a = app('bench-direct', i);
        await persistently(() => client.apply(Deployments, desiredRevisionDeployment(a, a.metadata.name!, desiredPodTemplate(a, refs), 1), { force: true }));
        await persistently(() => client.apply(Services, desiredService(a, a.metadata.name)!, { force: true }));
      };
      const applyApp = (i: number) => persistently(() => client.apply(Apps, app('bench-apps', i), { force: true }));
      const applyRouted = (i: number) => persistently(() => client.apply(Apps, app('bench-routes', i, true), { force: true }));
      const indexes = [...Array(count).keys()];

      const before = { apps: await controllers.apps.writes(), routes: await controllers.routes.writes() };
      const start = { direct: performance.now(), apps: 0, routes: 0 };
      if (sequential) {
        await parallel(indexes, concurrency, applyDirect);
        await direct.done;
        await deleteNamespace(client, 'bench-direct');
        start.apps = performance.now();
        await parallel(indexes, concurrency, applyApp);
        await apps.done;
        await deleteNamespace(client, 'bench-apps');
        start.routes = performance.now();
        await parallel(indexes, concurrency, applyRouted);
      } else {
        start.apps = start.routes = start.direct;
        const work = indexes.flatMap((i) => [() => applyDirect(i), () => applyApp(i), () => applyRouted(i)]);
        await parallel(work, concurrency, (w) => w());
      }
      const directMs = (await direct.done) - start.direct;
      const appsMs = (await apps.done) - start.apps;
      const routesMs = (await routes.done) - start.routes;
      const written = { apps: minus(await controllers.apps.writes(), before.apps), routes: minus(await controllers.routes.writes(), before.routes) };
      report('direct: all Deployments + Services applied', (await direct.made) - start.direct, 'ms');
      report('direct: all Deployments available', directMs, 'ms');
      report('apps: all Apps applied', (await apps.made) - start.apps, 'ms');
      report('apps: all Apps Ready', appsMs, 'ms');
      report('routes: all Apps with a hostname applied', (await routes.made) - start.routes, 'ms');
      report('routes: all Apps with a hostname Ready', routesMs, 'ms', 'their HTTPRoutes accepted');
      report('ratio: Apps / direct', appsMs / directMs, 'x', 'target <= 1.15');
      report('ratio: Apps with a hostname / Apps', routesMs / appsMs, 'x');
      for (const side of ['apps', 'routes'] as const) {
        report(`${side}: controller writes per App`, total(written[side]) / count, 'writes', `${total(written[side])} in all, until all Ready`);
        for (const [resource, n] of Object.entries(written[side]).sort((a, b) => b[1] - a[1])) if (n > 0) report(`  to ${resource}`, n / count, 'writes per App');
      }
      watches.abort();

      // Steady state: nothing more to write.
      await sleep(3000);
      const settled = { apps: total(await controllers.apps.writes()), routes: total(await controllers.routes.writes()) };
      await sleep(5000);
      report('apps: controller writes in 5 s of steady state', total(await controllers.apps.writes()) - settled.apps, 'writes');
      report('routes: controller writes in 5 s of steady state', total(await controllers.routes.writes()) - settled.routes, 'writes');

      await Promise.all(Object.values(controllers).map((c) => c.stop()));
      await sims.stop();
      client.rest.close();
    },
    { thirdPartyApis: true },
  );
}
