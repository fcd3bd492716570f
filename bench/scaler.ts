// Scaler benchmark:
// 1. latency from a metric crossing its threshold to the /scale write, for
//    an object metric (acted on as the object changes, not on the interval);
// 2. CPU of the controller process running 1,000 Scalers at the default
//    15 s interval (each reading PodMetrics through the aggregation layer),
//    and the API writes they make meanwhile, at rest (goal: none);
// 3. their writes while every target's CPU wobbles inside the tolerance
//    (±5 % around the 80 % target, flipped every 5 s).
//
//   npm run bench:scaler        (BENCH_SCALERS=1000, BENCH_CPU_SECONDS=60, BENCH_WOBBLE_SECONDS=120)
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Scalers } from '../pkg/api/resources.js';
import type { Scaler } from '../pkg/api/types.generated.js';
import { installStratusCrds } from '../pkg/api/install.js';
import { ConfigMaps, Deployments, Namespaces } from '../pkg/kube/resources.js';
import { Client } from '../pkg/runtime/client/client.js';
import { RestClient } from '../pkg/runtime/client/rest-client.js';
import { createLogger } from '../pkg/runtime/log/logger.js';
import { startSimulators } from '../pkg/simulators/index.js';
import { packageRoot } from '../pkg/util/package-root.js';
import { sleep } from '../pkg/util/sleep.js';
import { freePort } from '../pkg/util/ports.js';
import { parallel, report, withControlPlane } from './support.js';

const scalers = Number(process.env.BENCH_SCALERS ?? 1000);
const cpuSeconds = Number(process.env.BENCH_CPU_SECONDS ?? 60);
const wobbleSeconds = Number(process.env.BENCH_WOBBLE_SECONDS ?? 120);

const deployment = (ns: string, name: string) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: ns },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'busybox', resources: { requests: { cpu: '100m', memory: '8Mi' } } }] } },
  },
});

function cpuTicks(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return Number(fields[11]) + Number(fields[12]); // utime + stime, in clock ticks
}

const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

await withControlPlane(async (plane) => {
  const log = createLogger({ level: 'error', format: 'text' });
  const sims = await startSimulators(plane.kubeConfig(), { logger: log, kubelet: { nodes: Math.ceil(scalers / 400) + 1 } });
  const client = new Client(new RestClient(plane.kubeConfig()), 'bench');
  await installStratusCrds(client);
  const port = await freePort();
  const controllers = spawn(process.execPath, [join(packageRoot(), 'bin', 'stratus.js'), 'run', '--kubeconfig', plane.adminKubeconfigPath, '--health-address', `127.0.0.1:${port}`, '--log-level', 'error'], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  // API writes the controller process has made, from its own request metrics.
  const writes = async (): Promise<number> => {
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    return text
      .split('\n')
      .filter((l) => l.startsWith('rest_client_requests_total{') && /verb="(create|update|patch|delete)"/.test(l))
      .reduce((n, l) => n + Number(l.split(' ').at(-1)), 0);
  };
  try {
    // 1. Latency.
    const ns = 'bench-latency';
    await client.create(Namespaces, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    await client.create(ConfigMaps, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'queue', namespace: ns }, data: { depth: '5' } });
    await client.create(Deployments, deployment(ns, 'worker'));
    await client.create(Scalers, {
      apiVersion: 'stratus.dev/v1alpha1',
      kind: 'Scaler',
      metadata: { name: 'worker', namespace: ns },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'worker' },
        minReplicas: 1,
        maxReplicas: 50,
        metrics: [{ type: 'Object', object: { describedObject: { apiVersion: 'v1', kind: 'ConfigMap', name: 'queue' }, metric: { name: 'depth' }, fieldPath: '.data.depth', target: { type: 'AverageValue', averageValue: '5' } } }],
        behavior: { scaleUp: { stabilizationWindowSeconds: 0, policies: [{ type: 'Pods', value: 100, periodSeconds: 1 }] }, scaleDown: { stabilizationWindowSeconds: 0, policies: [{ type: 'Percent', value: 100, periodSeconds: 1 }] } },
      },
    } as Scaler);
    const replicas = async () => ((await client.get(Deployments, ns, 'worker')).spec as { replicas: number }).replicas;
    for (let i = 0; i < 200 && (await replicas()) !== 1; i++) await sleep(50);
    await sleep(3000); // let the Scaler's first evaluation settle
    const latencies: number[] = [];
    for (let i = 0; i < 10; i++) {
      const depth = i % 2 === 0 ? 50 : 5;
      const want = depth / 5;
      const t0 = performance.now();
      await client.patch(ConfigMaps, ns, 'queue', { merge: { data: { depth: String(depth) } } });
      while ((await replicas()) !== want) await sleep(5);
      latencies.push(performance.now() - t0);
      await sleep(1500);
    }
    report('scaler: threshold crossed → /scale written (median)', percentile(latencies, 50), 'ms', 'object metric, 10 steps');
    report('scaler: threshold crossed → /scale written (p90)', percentile(latencies, 90), 'ms');

    // 2. CPU for many Scalers at the default interval.
    const many = 'bench-scalers';
    await client.create(Namespaces, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: many } });
    await parallel([...Array(scalers).keys()], 32, async (i) => {
      await client.create(Deployments, deployment(many, `app-${i}`));
      await client.create(Scalers, {
        apiVersion: 'stratus.dev/v1alpha1',
        kind: 'Scaler',
        metadata: { name: `app-${i}`, namespace: many },
        spec: {
          scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: `app-${i}` },
          minReplicas: 1,
          maxReplicas: 3,
          metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }],
        },
      } as Scaler);
    });
    // Wait until every Scaler has evaluated with metrics, then measure a steady state.
    for (;;) {
      const list = await client.list<Scaler>(Scalers, { namespace: many });
      const active = list.items.filter((s) => s.status?.conditions?.some((c) => c.type === 'ScalingActive' && c.status === 'True')).length;
      if (active === scalers) break;
      await sleep(2000);
    }
    // Converged: no Scaler has written for a while.
    for (let last = -1, quiet = 0; quiet < 3; ) {
      const n = await writes();
      quiet = n === last ? quiet + 1 : 0;
      last = n;
      await sleep(5000);
    }
    const hz = 100; // Linux USER_HZ
    const before = cpuTicks(controllers.pid!);
    const writesBefore = await writes();
    const t0 = Date.now();
    await sleep(cpuSeconds * 1000);
    const used = (cpuTicks(controllers.pid!) - before) / hz;
    const wall = (Date.now() - t0) / 1000;
    const restWrites = (await writes()) - writesBefore;
    report(`scaler: controller CPU, ${scalers} Scalers at 15 s`, (100 * used) / wall, '% of a core', `${used.toFixed(1)} CPU-s over ${wall.toFixed(0)} s`);
    report('scaler: writes per Scaler per minute at rest', restWrites / scalers / (wall / 60), '', `${restWrites} writes in ${wall.toFixed(0)} s`);

    // 3. Wobbling: every target's pods at 76 % or 84 % of their request, flipped every 5 s (tolerance 10 %).
    const load = (percent: number) => Object.fromEntries([...Array(scalers).keys()].map((i) => [`app-${i}`, `${percent}m app=app-${i}`]));
    await client.apply(ConfigMaps, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'stratus-sim-load', namespace: many }, data: load(84) });
    const wobbleBefore = await writes();
    const w0 = Date.now();
    for (let flip = 0; Date.now() - w0 < wobbleSeconds * 1000; flip++) {
      await client.apply(ConfigMaps, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'stratus-sim-load', namespace: many }, data: load(flip % 2 ? 84 : 76) });
      await sleep(5000);
    }
    const wobbleWall = (Date.now() - w0) / 1000;
    const wobbleWrites = (await writes()) - wobbleBefore;
    report('scaler: writes per Scaler per minute, CPU wobbling inside the tolerance', wobbleWrites / scalers / (wobbleWall / 60), '', `${wobbleWrites} writes in ${wobbleWall.toFixed(0)} s; bound: currentMetrics refreshed at most every 5 min`);
  } finally {
    controllers.kill('SIGTERM');
    await new Promise((resolve) => controllers.once('exit', resolve));
    await sims.stop();
    client.rest.close();
  }
}, { thirdPartyApis: true });
