// Scale benchmark: `stratus run`, as its own process, managing N Stratus
// objects of mixed kinds, for N in BENCH_SIZES (default 1000,3000,10000),
// each on a fresh control plane with the simulators. For each N it prints
// the time until every object is Ready and the controllers' writes; the
// writes during BENCH_REST_S seconds at rest (default 600 for the largest N,
// 60 for the others); then a restart of the controllers: the time until
// every object has been reconciled once, and the writes the restart caused
// (goal 0); and the RSS of the process before any object, after
// converging, at rest and after the restart (goal <= 150 MB at 10,000).
// A table of the figures by N ends the run, so the cost curve is visible.
//
//   npm run bench:scale        BENCH_SIZES=1000 BENCH_REST_S=30 for a quick look
//
// Per 100 objects, one namespace: a Network, 20 Volumes, 20 VMs (each with a
// Volume and an interface on the Network; half running, half stopped), 35
// one-replica Apps and 24 Scalers on CPU over them.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { Apps, Networks, Scalers, VirtualMachines, Volumes } from '../pkg/api/resources.js';
import { installStratusCrds } from '../pkg/api/install.js';
import { Namespaces } from '../pkg/kube/resources.js';
import type { KubeObject } from '../pkg/meta/object.js';
import type { ResourceType } from '../pkg/meta/resource.js';
import { Cache } from '../pkg/runtime/cache/cache.js';
import { Client } from '../pkg/runtime/client/client.js';
import { RestClient } from '../pkg/runtime/client/rest-client.js';
import { isTrue } from '../pkg/runtime/conditions/conditions.js';
import { createLogger } from '../pkg/runtime/log/logger.js';
import { startSimulators } from '../pkg/simulators/index.js';
import { packageRoot } from '../pkg/util/package-root.js';
import { sleep } from '../pkg/util/sleep.js';
import { parallel, report, withControlPlane } from './support.js';

const sizes = (process.env.BENCH_SIZES ?? '1000,3000,10000').split(',').map(Number);
const largest = Math.max(...sizes);
const restSeconds = (n: number) => Number(process.env.BENCH_REST_S ?? (n === largest ? 600 : 60));
const perNamespace = 100;

/** The 100 objects of namespace `ns` (index k). */
function namespaceObjects(ns: string, k: number): KubeObject[] {
  const meta = (name: string) => ({ name, namespace: ns });
  const objects: KubeObject[] = [
    { apiVersion: 'stratus.dev/v1alpha1', kind: 'Network', metadata: meta('net'), spec: { cidr: `10.${100 + (k >> 8)}.${k & 255}.0/24` } },
  ];
  for (let i = 0; i < 20; i++) {
    objects.push({ apiVersion: 'stratus.dev/v1alpha1', kind: 'Volume', metadata: meta(`data-${i}`), spec: { size: '1Gi' } });
    objects.push({
      apiVersion: 'stratus.dev/v1alpha1',
      kind: 'VirtualMachine',
      metadata: meta(`vm-${i}`),
      spec: {
        powerState: i % 2 === 0 ? 'Running' : 'Stopped',
        rootDisk: { image: 'quay.io/containerdisks/fedora:41' },
        disks: [{ name: 'data', volume: `data-${i}` }],
        networks: [{ name: 'default' }, { name: 'net', network: 'net' }],
      },
    });
  }
  for (let i = 0; i < 35; i++) {
    objects.push({ apiVersion: 'stratus.dev/v1alpha1', kind: 'App', metadata: meta(`app-${i}`), spec: { image: 'ghcr.io/stratus-examples/tiny:1.0', replicas: 1, resources: { requests: { cpu: '10m', memory: '8Mi' } } } });
  }
  for (let i = 0; i < 24; i++) {
    objects.push({
      apiVersion: 'stratus.dev/v1alpha1',
      kind: 'Scaler',
      metadata: meta(`app-${i}`),
      spec: { scaleTargetRef: { kind: 'App', name: `app-${i}` }, minReplicas: 1, maxReplicas: 3, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }] },
    });
  }
  return objects;
}

const kinds: { type: ResourceType; controller: string }[] = [
  { type: Networks, controller: 'network' },
  { type: Volumes, controller: 'volume' },
  { type: VirtualMachines, controller: 'virtualmachine' },
  { type: Apps, controller: 'app' },
  { type: Scalers, controller: 'scaler' },
];

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** `stratus run` in its own process, read through its /metrics. */
class StratusProcess {
  private child?: ChildProcess;
  private port = 0;

  constructor(private readonly kubeconfig: string) {}

  async start(): Promise<void> {
    this.port = await freePort();
    const main = join(packageRoot(), 'bin', 'stratus.js');
    this.child = spawn(process.execPath, [main, 'run', '--kubeconfig', this.kubeconfig, '--health-address', `127.0.0.1:${this.port}`, '--log-level', 'error'], { stdio: ['ignore', 'ignore', 'inherit'] });
    for (;;) {
      const ready = await fetch(`http://127.0.0.1:${this.port}/readyz`).then((r) => r.ok, () => false);
      if (ready) return;
      if (this.child.exitCode !== null) throw new Error(`stratus run exited with ${this.child.exitCode}`);
      await sleep(200);
    }
  }

  async stop(): Promise<void> {
    const child = this.child!;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }

  /** Resident set size now and at its peak, MB. */
  rss(): { now: number; peak: number } {
    const status = readFileSync(`/proc/${this.child!.pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)![1]);
    return { now: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
  }

  private async metrics(): Promise<{ name: string; labels: Record<string, string>; value: number }[]> {
    const text = await (await fetch(`http://127.0.0.1:${this.port}/metrics`)).text();
    const out = [];
    for (const line of text.split('\n')) {
      const m = /^(\w+)(?:\{([^}]*)\})? (\S+)$/.exec(line);
      if (!m) continue;
      const labels = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((l) => [l[1]!, l[2]!]));
      out.push({ name: m[1]!, labels, value: Number(m[3]) });
    }
    return out;
  }

  /** Writes by verb and resource. */
  async writesBy(): Promise<Map<string, number>> {
    const by = new Map<string, number>();
    for (const m of await this.metrics()) {
      if (m.name !== 'rest_client_requests_total' || !['create', 'update', 'patch', 'delete'].includes(m.labels.verb!)) continue;
      const key = `${m.labels.verb} ${m.labels.resource}`;
      by.set(key, (by.get(key) ?? 0) + m.value);
    }
    return by;
  }

  async writes(): Promise<number> {
    return [...(await this.writesBy()).values()].reduce((a, b) => a + b, 0);
  }

  /** Where the RSS goes, MB: the V8 heap in use and as reserved, and memory held outside it (buffers). */
  async memory(): Promise<string> {
    const metrics = await this.metrics();
    const mb = (name: string) => ((metrics.find((m) => m.name === name)?.value ?? NaN) / 2 ** 20).toFixed(0);
    return `V8 heap ${mb('nodejs_heap_size_used_bytes')} MB in use of ${mb('nodejs_heap_size_total_bytes')} MB, external ${mb('nodejs_external_memory_bytes')} MB`;
  }

  /** Reconciles by controller, and whether every queue is empty with no worker busy. */
  async work(): Promise<{ reconciles: Map<string, number>; idle: boolean }> {
    const metrics = await this.metrics();
    const reconciles = new Map<string, number>();
    for (const m of metrics) if (m.name === 'controller_runtime_reconcile_total') reconciles.set(m.labels.controller!, (reconciles.get(m.labels.controller!) ?? 0) + m.value);
    const busy = metrics.some((m) => (m.name === 'workqueue_depth' || m.name === 'controller_runtime_active_workers') && m.value > 0);
    return { reconciles, idle: !busy };
  }
}

/** Resolves when every object of every kind is Ready; counts as it goes. */
function allReady(client: Client, total: Map<ResourceType, number>, signal: AbortSignal): Promise<number> {
  const cache = new Cache(client);
  return new Promise((resolve) => {
    const ready = new Map<ResourceType, Set<string>>();
    for (const { type } of kinds) {
      const set = new Set<string>();
      ready.set(type, set);
      cache.informer(type).subscribe((e) => {
        const key = `${e.obj.metadata.namespace}/${e.obj.metadata.name}`;
        const done = e.type !== 'delete' && isTrue((e.obj.status as { conditions?: [] } | undefined)?.conditions, 'Ready') && (e.obj.status as { observedGeneration?: number }).observedGeneration === e.obj.metadata.generation;
        if (done) set.add(key);
        else set.delete(key);
        if (kinds.every((k) => ready.get(k.type)!.size === total.get(k.type))) resolve(performance.now());
      });
    }
    cache.start(signal);
  });
}

interface Figures {
  n: number;
  convergeS: number;
  writes: number;
  rssMb: number;
  emptyRssMb: number;
  restWrites: number;
  restS: number;
  restartS: number;
  restartWrites: number;
  restartRssMb: number;
}

async function run(n: number): Promise<Figures> {
  return withControlPlane(
    async (plane) => {
      const kc = plane.kubeConfig();
      const client = new Client(new RestClient(kc), 'bench');
      await installStratusCrds(client);
      const namespaces = Math.ceil(n / perNamespace);
      // Per namespace: 10 running VMs, each with a launcher pod and its data disk's attachment pod, and 35 App pods.
      const pods = namespaces * (2 * 10 + 35);
      const sims = await startSimulators(kc, { logger: createLogger({ level: 'error', format: 'text' }), kubelet: { nodes: Math.ceil(pods / 400) + 1, nodeCpu: '256', nodeMemory: '1024Gi' } });
      const stratus = new StratusProcess(plane.adminKubeconfigPath);
      await stratus.start();
      try {
        // The process itself: its caches synced, with nothing to cache yet.
        const emptyRssMb = stratus.rss().now;
        report(`${n}: RSS of stratus run, before any object`, emptyRssMb, 'MB', await stratus.memory());
        const objects = [...Array(namespaces).keys()].flatMap((k) => namespaceObjects(`scale-${k}`, k)).slice(0, n);
        const total = new Map(kinds.map(({ type }) => [type, objects.filter((o) => o.kind === type.kind).length]));
        process.stdout.write(`\n${n} objects: ${kinds.map(({ type }) => `${total.get(type)} ${type.kind}s`).join(', ')}, in ${namespaces} namespaces\n`);
        const watches = new AbortController();
        const ready = allReady(client, total, watches.signal);
        const started = performance.now();
        for (let k = 0; k < namespaces; k++) await client.create(Namespaces, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: `scale-${k}` } });
        const typeOf = new Map(kinds.map(({ type }) => [type.kind, type]));
        await parallel(objects, 32, (o) => client.create(typeOf.get(o.kind!)!, o));
        const convergeS = ((await ready) - started) / 1000;
        watches.abort();
        const writes = await stratus.writes();
        const rssMb = stratus.rss().now;
        report(`${n}: all Ready`, convergeS, 's');
        report(`${n}: controller writes until then`, writes, 'writes', `${(writes / n).toFixed(1)} per object`);
        report(`${n}: RSS of stratus run, converged`, rssMb, 'MB', `peak ${stratus.rss().peak.toFixed(0)} MB`);

        // At rest: let the last changes land (the queues empty), then count.
        while (!(await stratus.work()).idle) await sleep(500);
        await sleep(5_000);
        const restS = restSeconds(n);
        const restBefore = await stratus.writes();
        await sleep(restS * 1000);
        const restWrites = (await stratus.writes()) - restBefore;
        report(`${n}: controller writes in ${restS} s at rest`, restWrites, 'writes');
        report(`${n}: RSS of stratus run, at rest`, stratus.rss().now, 'MB', await stratus.memory());

        // Restart: every object reconciled once (each controller's queue held all its objects), and what it wrote.
        await stratus.stop();
        const restarted = performance.now();
        await stratus.start();
        for (;;) {
          const { reconciles, idle } = await stratus.work();
          if (idle && kinds.every(({ type, controller }) => (reconciles.get(controller) ?? 0) >= total.get(type)!)) break;
          await sleep(200);
        }
        const restartS = (performance.now() - restarted) / 1000;
        await sleep(10_000);
        const restartWrites = await stratus.writes();
        const restartRssMb = stratus.rss().now;
        report(`${n}: restart until every object reconciled`, restartS, 's', 'process start included');
        report(`${n}: controller writes the restart caused`, restartWrites, 'writes', 'in the restart and 10 s after it');
        for (const [what, count] of await stratus.writesBy()) report(`  ${what}`, count, 'writes');
        report(`${n}: RSS of stratus run, after the restart`, restartRssMb, 'MB');
        return { n, convergeS, writes, rssMb, emptyRssMb, restWrites, restS, restartS, restartWrites, restartRssMb };
      } finally {
        await stratus.stop();
        await sims.stop();
        client.rest.close();
      }
    },
    { thirdPartyApis: true },
  );
}

const figures: Figures[] = [];
for (const n of sizes) figures.push(await run(n));
process.stdout.write('\n| objects | all Ready | writes (per object) | RSS before any object | RSS converged | writes at rest | restart | writes by restart | RSS after restart |\n|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n');
for (const f of figures) {
  process.stdout.write(`| ${f.n} | ${f.convergeS.toFixed(0)} s | ${f.writes} (${(f.writes / f.n).toFixed(1)}) | ${f.emptyRssMb.toFixed(0)} MB | ${f.rssMb.toFixed(0)} MB | ${f.restWrites} in ${f.restS} s | ${f.restartS.toFixed(1)} s | ${f.restartWrites} | ${f.restartRssMb.toFixed(0)} MB |\n`);
}
