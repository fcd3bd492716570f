// IaaS benchmark: time for N VMs, each with its own Volume and an interface
// on a shared Network, to become Ready; and the API writes the controllers
// make per VM. Its own control plane, simulators and controllers.
//
//   npm run bench:iaas            (BENCH_VMS=1000 by default)
import { Networks, VirtualMachines, Volumes } from '../pkg/api/resources.js';
import type { VirtualMachine } from '../pkg/api/types.generated.js';
import { installStratusCrds } from '../pkg/api/install.js';
import { startOperator } from '../pkg/cli/operator.js';
import { Namespaces } from '../pkg/kube/resources.js';
import { Client } from '../pkg/runtime/client/client.js';
import { RestClient } from '../pkg/runtime/client/rest-client.js';
import { findCondition } from '../pkg/runtime/conditions/conditions.js';
import { createLogger } from '../pkg/runtime/log/logger.js';
import { startSimulators } from '../pkg/simulators/index.js';
import { sleep } from '../pkg/util/sleep.js';
import { parallel, report, withControlPlane } from './support.js';

const count = Number(process.env.BENCH_VMS ?? 1000);
const ns = 'bench-iaas';

await withControlPlane(async (plane) => {
  const log = createLogger({ level: 'error', format: 'text' });
  // A VM's launcher pod requests ~1.2Gi: big nodes, so the 500-pod cap is the limit, not memory.
  const sims = await startSimulators(plane.kubeConfig(), { logger: log, kubelet: { nodes: Math.ceil(count / 400) + 1, nodeCpu: '128', nodeMemory: '512Gi' } });
  const client = new Client(new RestClient(plane.kubeConfig()), 'bench');
  await installStratusCrds(client);
  const operator = await startOperator({ kubeConfig: plane.kubeConfig(), logger: log });
  try {
    await client.create(Namespaces, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    await client.create(Networks, { apiVersion: 'stratus.dev/v1alpha1', kind: 'Network', metadata: { name: 'fleet', namespace: ns }, spec: { cidr: '10.64.0.0/16' } });
    const writesBefore = await writes(operator);
    const writesBeforeByResource = await writesByResource(operator);
    const started = performance.now();
    await parallel([...Array(count).keys()], 32, async (i) => {
      await client.create(Volumes, { apiVersion: 'stratus.dev/v1alpha1', kind: 'Volume', metadata: { name: `data-${i}`, namespace: ns }, spec: { size: '1Gi' } });
      await client.create(VirtualMachines, {
        apiVersion: 'stratus.dev/v1alpha1',
        kind: 'VirtualMachine',
        metadata: { name: `vm-${i}`, namespace: ns },
        spec: {
          rootDisk: { image: 'quay.io/containerdisks/fedora:41' },
          disks: [{ name: 'data', volume: `data-${i}` }],
          networks: [{ name: 'default' }, { name: 'fleet', network: 'fleet' }],
        },
      });
    });
    const applied = performance.now();
    for (;;) {
      const ready = operator.manager.cache.list<VirtualMachine>(VirtualMachines, { namespace: ns }).filter((v) => findCondition(v.status?.conditions, 'Ready')?.status === 'True').length;
      if (ready === count) break;
      await sleep(200);
    }
    const done = performance.now();
    // Let late status writes land, then count.
    await sleep(3000);
    const total = (await writes(operator)) - writesBefore;
    const byResource = await writesByResource(operator);
    report(`iaas: ${count} VMs (Volume + Network each) applied`, (applied - started) / 1000, 's');
    report(`iaas: ${count} VMs Ready`, (done - started) / 1000, 's', `${(count / ((done - started) / 1000)).toFixed(1)} VMs/s`);
    report('iaas: controller API writes per VM', total / count, 'writes', 'incl. Volume and Network work, status writes');
    for (const [resource, n] of [...byResource].sort((a, b) => b[1] - a[1])) {
      const before = writesBeforeByResource.get(resource) ?? 0;
      if (n > before) report(`  to ${resource}`, (n - before) / count, 'writes per VM');
    }
  } finally {
    await operator.stop();
    await sims.stop();
    client.rest.close();
  }
}, { thirdPartyApis: true });

/** Controller writes so far, by resource. */
async function writesByResource(o: Awaited<ReturnType<typeof startOperator>>): Promise<Map<string, number>> {
  const m = await o.manager.metrics.requests.get();
  const out = new Map<string, number>();
  for (const v of m.values) {
    if (!['create', 'update', 'patch', 'delete'].includes(String(v.labels.verb))) continue;
    const key = String(v.labels.resource);
    out.set(key, (out.get(key) ?? 0) + v.value);
  }
  return out;
}

async function writes(o: Awaited<ReturnType<typeof startOperator>>): Promise<number> {
  return [...(await writesByResource(o)).values()].reduce((n, v) => n + v, 0);
}
