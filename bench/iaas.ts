// IaaS benchmark: N Stratus VMs, each with its own Volume and an interface
// on a shared Network, until Ready; against the same N KubeVirt VMs, claims
// and attachment definition that Stratus writes for them (built with the
// controllers' own pure functions), applied directly until Running and Bound.
// One run, one private control plane with the simulators, interleaved: one
// pool of appliers takes "direct VM i" and "Stratus VM i" in turn, so both
// see the same cluster, load and clock. The target is a ratio of at most 1.10.
//
//   npm run bench:iaas            BENCH_VMS (default 1000), BENCH_CONCURRENCY (32)
//
// Before that it measures the raw write rate of the apiserver (ConfigMap
// creates, same concurrency), and after it compares the converge time with
// the apiserver writes the run needed (controllers, simulators and the
// bench itself, from the apiserver's own metrics) divided by that rate: how
// close the run came to the apiserver's limit. The Stratus controllers run
// in a worker thread, as they run in their own process in a cluster.
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { KubeConfig } from '@kubernetes/client-node';
import { desiredVmNad } from '../controllers/ipam/attachments.js';
import { stableMac } from '../controllers/virtualmachine/addressing.js';
import { desiredKubeVirtVm } from '../controllers/virtualmachine/desired.js';
import { desiredClaim } from '../controllers/volume/desired.js';
import { Networks, VirtualMachines, Volumes } from '../pkg/api/resources.js';
import type { Network, VirtualMachine, Volume } from '../pkg/api/types.generated.js';
import { installStratusCrds } from '../pkg/api/install.js';
import { validateObject } from '../pkg/api/validation/validate-object.js';
import { startOperator } from '../pkg/cli/operator.js';
import { KubeVirtVirtualMachines, type VirtualMachine as KubeVirtVm } from '../pkg/contracts/kubevirt/index.js';
import { NetworkAttachmentDefinitions } from '../pkg/contracts/multus/index.js';
import type { PersistentVolumeClaim } from '../pkg/kube/core-types.js';
import { ConfigMaps, Namespaces, PersistentVolumeClaims } from '../pkg/kube/resources.js';
import type { KubeObject } from '../pkg/meta/object.js';
import { Client } from '../pkg/runtime/client/client.js';
import { RestClient } from '../pkg/runtime/client/rest-client.js';
import { isTrue } from '../pkg/runtime/conditions/conditions.js';
import { createLogger } from '../pkg/runtime/log/logger.js';
import { startSimulators } from '../pkg/simulators/index.js';
import { sleep } from '../pkg/util/sleep.js';
import { parallel, report, track, withControlPlane } from './support.js';

const count = Number(process.env.BENCH_VMS ?? 1000);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 32);
const directNs = 'bench-direct';
const stratusNs = 'bench-stratus';
const cidr = '10.64.0.0/16';

const writeVerbs = ['create', 'update', 'patch', 'delete'];

/** The objects a user applies for VM i. */
function stratusObjects(namespace: string, i: number): { volume: Volume; vm: VirtualMachine } {
  return {
    volume: { apiVersion: 'stratus.dev/v1alpha1', kind: 'Volume', metadata: { name: `data-${i}`, namespace }, spec: { size: '1Gi' } } as Volume,
    vm: {
      apiVersion: 'stratus.dev/v1alpha1',
      kind: 'VirtualMachine',
      metadata: { name: `vm-${i}`, namespace },
      spec: { rootDisk: { image: 'quay.io/containerdisks/fedora:41' }, disks: [{ name: 'data', volume: `data-${i}` }], networks: [{ name: 'default' }, { name: 'fleet', network: 'fleet' }] },
    } as VirtualMachine,
  };
}

/** As the apiserver stores it: the schema's defaults filled in. */
function defaulted<T extends KubeObject>(obj: T): T {
  return validateObject(obj).defaulted as T;
}

const network = defaulted({ apiVersion: 'stratus.dev/v1alpha1', kind: 'Network', metadata: { name: 'fleet', namespace: directNs }, spec: { cidr } } as Network);
const segment = { provider: false, bridge: 'br-stratus', vlan: 1000 };

/** What Stratus writes for VM i, for the direct side: the claim and the KubeVirt VM, with the address Stratus would allocate. */
function directObjects(i: number): { claim: PersistentVolumeClaim; kubevirtVm: KubeVirtVm } {
  const { volume, vm } = stratusObjects(directNs, i);
  const uid = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
  const ip = `10.64.${(i + 2) >> 8}.${(i + 2) & 255}`;
  const interfaces = [
    { name: 'default', mac: stableMac(uid, 'default') },
    { name: 'fleet', network: 'fleet', nad: `${directNs}/fleet.vm`, mac: stableMac(uid, 'fleet'), address: { ip, prefix: 16 } },
  ];
  const claims = new Map([[volume.metadata.name!, volume.metadata.name!]]);
  return { claim: desiredClaim(defaulted(volume)), kubevirtVm: desiredKubeVirtVm(defaulted({ ...vm, metadata: { ...vm.metadata, uid } }), { claims, interfaces }) };
}


/** Mutating requests the apiserver has served, from its own metrics. */
async function apiserverWrites(client: Client): Promise<number> {
  const res = await client.rest.stream('/metrics', {});
  let text = '';
  for await (const chunk of res) text += String(chunk);
  let n = 0;
  for (const line of text.split('\n')) {
    const m = /^apiserver_request_total\{([^}]*)\} (\S+)$/.exec(line);
    if (m && /verb="(POST|PUT|PATCH|APPLY|DELETE|DELETECOLLECTION)"/.test(m[1]!)) n += Number(m[2]);
  }
  return n;
}

/** Creates ConfigMaps for a while at `concurrency`: the apiserver's raw write rate, writes/s. */
async function rawWriteRate(client: Client): Promise<number> {
  await client.create(Namespaces, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'bench-raw' } });
  const n = 3000;
  const started = performance.now();
  await parallel([...Array(n).keys()], concurrency, (i) =>
    client.create(ConfigMaps, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `c-${i}`, namespace: 'bench-raw' }, data: { i: String(i) } }),
  );
  return n / ((performance.now() - started) / 1000);
}

type Writes = Record<string, number>;

/** In the worker thread: the Stratus controllers, answering "writes" (by resource) and "stop". */
async function runControllers(kubeconfig: string): Promise<void> {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfig);
  const operator = await startOperator({ kubeConfig: kc, namespace: stratusNs, logger: createLogger({ level: 'error', format: 'text' }) });
  await operator.manager.cache.waitForSync();
  parentPort!.on('message', (m: string) => {
    if (m === 'writes') {
      void operator.manager.metrics.requests.get().then((metric) => {
        const out: Writes = {};
        for (const v of metric.values) if (writeVerbs.includes(String(v.labels.verb))) out[String(v.labels.resource)] = (out[String(v.labels.resource)] ?? 0) + v.value;
        parentPort!.postMessage({ writes: out });
      });
    }
    if (m === 'idle') parentPort!.postMessage({ idle: operator.manager.idle });
    if (m === 'stop') void operator.stop().then(() => parentPort!.close());
  });
  parentPort!.postMessage({ ready: true });
}

class ControllerThread {
  private readonly worker: Worker;
  readonly started: Promise<void>;

  constructor(kubeconfig: string) {
    this.worker = new Worker(new URL(import.meta.url), { workerData: { kubeconfig } });
    this.started = this.next<{ ready?: boolean }>((m) => m.ready === true).then(() => undefined);
  }

  private next<T>(accept: (m: T) => boolean): Promise<T> {
    return new Promise((resolve, reject) => {
      const onMessage = (m: T) => {
        if (!accept(m)) return;
        this.worker.off('message', onMessage);
        this.worker.off('error', reject);
        resolve(m);
      };
      this.worker.on('message', onMessage);
      this.worker.once('error', reject);
    });
  }

  async writes(): Promise<Writes> {
    const answer = this.next<{ writes?: Writes }>((m) => m.writes !== undefined);
    this.worker.postMessage('writes');
    return (await answer).writes!;
  }

  /** Resolves once no controller has work in hand (held status writes included). */
  async idle(): Promise<void> {
    for (;;) {
      const answer = this.next<{ idle?: boolean }>((m) => m.idle !== undefined);
      this.worker.postMessage('idle');
      if ((await answer).idle) return;
      await sleep(500);
    }
  }

  async stop(): Promise<void> {
    const exited = new Promise((resolve) => this.worker.once('exit', resolve));
    this.worker.postMessage('stop');
    await exited;
  }
}

const sum = (w: Writes) => Object.values(w).reduce((a, b) => a + b, 0);
const since = (after: Writes, before: Writes): Writes => Object.fromEntries(Object.entries(after).map(([k, v]) => [k, v - (before[k] ?? 0)]).filter(([, v]) => (v as number) > 0));

/** Which object's work a controller write was: the VM's, its Volume's, or the shared Network's. */
function ownerOfWrite(resource: string): 'VM' | 'Volume' | 'Network' {
  if (/^stratus\.dev\/volumes|persistentvolumeclaims|datavolumes/.test(resource)) return 'Volume';
  if (/networks|network-attachment-definitions|networkpolicies|networksegments/.test(resource)) return 'Network';
  return 'VM';
}

if (!isMainThread) await runControllers((workerData as { kubeconfig: string }).kubeconfig);
else {
  await withControlPlane(
    async (plane) => {
      const kc = plane.kubeConfig();
      const client = new Client(new RestClient(kc), 'bench');
      await installStratusCrds(client);
      // Each VM has a launcher pod and, for its data disk (a hotplug volume), an attachment pod; a launcher pod
      // requests ~1.2Gi: big nodes, so the 500-pod cap is the limit, not memory.
      const sims = await startSimulators(kc, { logger: createLogger({ level: 'error', format: 'text' }), kubelet: { nodes: Math.ceil((4 * count) / 400) + 1, nodeCpu: '128', nodeMemory: '512Gi' } });
      const rate = await rawWriteRate(client);
      report('apiserver: raw write rate', rate, 'writes/s', `ConfigMap creates, concurrency ${concurrency}`);

      const controllers = new ControllerThread(plane.adminKubeconfigPath);
      await controllers.started;
      for (const name of [directNs, stratusNs]) await client.create(Namespaces, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
      await client.create(Networks, { apiVersion: 'stratus.dev/v1alpha1', kind: 'Network', metadata: { name: 'fleet', namespace: stratusNs }, spec: { cidr } });
      await client.create(NetworkAttachmentDefinitions, desiredVmNad(network, segment));
      for (;;) {
        if (isTrue((await client.get<Network>(Networks, stratusNs, 'fleet')).status?.conditions, 'Ready')) break;
        await sleep(100);
      }
      process.stdout.write(`${count} Stratus VMs (each with a Volume, on one Network) and ${count} KubeVirt VMs + claims applied directly, interleaved; apply concurrency ${concurrency}\n`);

      const watches = new AbortController();
      const directVms = track<KubeVirtVm>(client, KubeVirtVirtualMachines, directNs, count, (v) => v.status?.ready === true && v.status.printableStatus === 'Running', watches.signal).done;
      const directClaims = track<PersistentVolumeClaim>(client, PersistentVolumeClaims, directNs, count, (c) => c.status?.phase === 'Bound', watches.signal).done;
      const stratusVms = track<VirtualMachine>(client, VirtualMachines, stratusNs, count, (v) => isTrue(v.status?.conditions, 'Ready') && v.status?.observedGeneration === v.metadata.generation, watches.signal).done;
      await sleep(1000);

      const writesBefore = await controllers.writes();
      const apiserverBefore = await apiserverWrites(client);
      const started = performance.now();
      const work = [...Array(count).keys()].flatMap((i) => [
        async () => {
          const d = directObjects(i);
          await client.create(PersistentVolumeClaims, d.claim);
          await client.create(KubeVirtVirtualMachines, d.kubevirtVm);
        },
        async () => {
          const s = stratusObjects(stratusNs, i);
          await client.create(Volumes, s.volume);
          await client.create(VirtualMachines, s.vm);
        },
      ]);
      await parallel(work, concurrency, (w) => w());
      const applied = performance.now();
      const directMs = Math.max(await directVms, await directClaims) - started;
      const stratusMs = (await stratusVms) - started;
      const ranMs = performance.now() - started;
      const apiserverDuring = (await apiserverWrites(client)) - apiserverBefore;
      const writesAtReady = await controllers.writes();
      const writes = since(writesAtReady, writesBefore);
      watches.abort();

      report('applied: both sides', applied - started, 'ms');
      report(`direct: ${count} KubeVirt VMs Running, claims Bound`, directMs, 'ms', `${count * 2 + 1} writes: the VMs, the claims and one attachment definition`);
      report(`stratus: ${count} VMs Ready`, stratusMs, 'ms');
      report('ratio: Stratus / direct', stratusMs / directMs, 'x', 'target <= 1.10');
      report('stratus: controller writes per VM', sum(writes) / count, 'writes', `${sum(writes)} in all, until all Ready; the VM, its Volume and a share of the Network`);
      for (const owner of ['VM', 'Volume', 'Network'] as const) {
        const own = Object.entries(writes).filter(([r]) => ownerOfWrite(r) === owner);
        report(`  the ${owner}'s`, own.reduce((n, [, v]) => n + v, 0) / count, 'writes per VM');
        for (const [resource, n] of own.sort((a, b) => b[1] - a[1])) report(`    to ${resource}`, n / count, 'writes per VM');
      }
      report('apiserver: writes while converging', apiserverDuring, 'writes', 'controllers, simulators and the bench');
      report('apiserver: those writes at the raw rate', (apiserverDuring / rate) * 1000, 'ms', `converging took ${(ranMs / 1000).toFixed(0)} s: ${((apiserverDuring / rate) * 1000 / ranMs * 100).toFixed(0)} % of the time`);

      // What the controllers still had in hand when the last VM was Ready (news held to be coalesced), then at rest: nothing more to write.
      await controllers.idle();
      const rest = await controllers.writes();
      report('stratus: controller writes after all Ready, until idle', sum(since(rest, writesAtReady)), 'writes', 'news about Ready objects, held up to 2 s');
      await sleep(10_000);
      report('stratus: controller writes in 10 s at rest', sum(since(await controllers.writes(), rest)), 'writes');

      await controllers.stop();
      await sims.stop();
      client.rest.close();
    },
    { thirdPartyApis: true },
  );
}
