// Golden-image benchmark: N VMs booted from one DiskImage (imported once,
// each VM's root disk a clone of it) against N VMs whose root disks each
// import the same image themselves (a Volume with an HTTP source). One run,
// one private control plane with the simulators, both sides applied
// interleaved by one pool of appliers and timed from the same start until
// every VM of the side is Ready. The image is imported first, as a catalog's
// image is; its import time is printed on its own. The simulated imports do
// not share bandwidth, so the importing side is the best case for it.
//
//   npm run bench:images          BENCH_VMS (default 100), BENCH_IMPORT_S (simulated import time, default 30),
//                                 BENCH_CLONE_S (simulated CSI clone time, default 2)
import { DiskImages, VirtualMachines, Volumes } from '../pkg/api/resources.js';
import type { DiskImage, VirtualMachine, Volume } from '../pkg/api/types.generated.js';
import { installStratusCrds } from '../pkg/api/install.js';
import { startOperator } from '../pkg/cli/operator.js';
import { Namespaces } from '../pkg/kube/resources.js';
import { Client } from '../pkg/runtime/client/client.js';
import { RestClient } from '../pkg/runtime/client/rest-client.js';
import { isTrue } from '../pkg/runtime/conditions/conditions.js';
import { createLogger } from '../pkg/runtime/log/logger.js';
import { startSimulators } from '../pkg/simulators/index.js';
import { sleep } from '../pkg/util/sleep.js';
import { parallel, report, track, withControlPlane } from './support.js';

const count = Number(process.env.BENCH_VMS ?? 100);
const importMs = Number(process.env.BENCH_IMPORT_S ?? 30) * 1000;
const cloneMs = Number(process.env.BENCH_CLONE_S ?? 2) * 1000;
const concurrency = 16;
const imageNs = 'bench-image';
const importNs = 'bench-import';
const url = 'https://cloud.debian.org/images/cloud/bookworm/latest/debian-12-genericcloud-amd64.qcow2';

const meta = (name: string, namespace: string) => ({ name, namespace });

function vm(name: string, namespace: string, rootDisk: { diskImage: string } | { volume: string }): VirtualMachine {
  return { apiVersion: 'stratus.dev/v1alpha1', kind: 'VirtualMachine', metadata: meta(name, namespace), spec: { rootDisk, networks: [{ name: 'default' }] } } as VirtualMachine;
}


const readyVm = (v: VirtualMachine) => isTrue(v.status?.conditions, 'Ready') && v.status?.observedGeneration === v.metadata.generation;

await withControlPlane(
  async (plane) => {
    const kc = plane.kubeConfig();
    const client = new Client(new RestClient(kc), 'bench');
    await installStratusCrds(client);
    const logger = createLogger({ level: 'error', format: 'text' });
    const sims = await startSimulators(kc, {
      logger,
      kubelet: { nodes: Math.ceil((2 * count) / 400) + 1, nodeCpu: '128', nodeMemory: '512Gi' },
      cdi: { transferDurationMs: importMs, progressSteps: 10, cloneStrategy: 'csi-clone' },
      storage: { cloneDelayMs: cloneMs },
    });
    const operator = await startOperator({ kubeConfig: kc, logger });
    await operator.manager.cache.waitForSync();
    for (const name of [imageNs, importNs]) await client.create(Namespaces, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    process.stdout.write(`${count} VMs from one DiskImage vs ${count} VMs each importing the image; simulated import ${importMs / 1000} s, CSI clone ${cloneMs / 1000} s\n`);

    // The catalog's image is imported once, before any VM needs it.
    const imported = performance.now();
    await client.create(DiskImages, { apiVersion: 'stratus.dev/v1alpha1', kind: 'DiskImage', metadata: meta('debian-12', imageNs), spec: { source: { http: { url } }, size: '4Gi' } } as DiskImage);
    while ((await client.get<DiskImage>(DiskImages, imageNs, 'debian-12')).status?.phase !== 'Ready') await sleep(200);
    report('the DiskImage imported (once)', performance.now() - imported, 'ms');

    const watches = new AbortController();
    const fromImage = track<VirtualMachine>(client, VirtualMachines, imageNs, count, readyVm, watches.signal).done;
    const importing = track<VirtualMachine>(client, VirtualMachines, importNs, count, readyVm, watches.signal).done;
    const started = performance.now();
    const work = [...Array(count).keys()].flatMap((i) => [
      () => client.create(VirtualMachines, vm(`vm-${i}`, imageNs, { diskImage: 'debian-12' })),
      async () => {
        await client.create(Volumes, { apiVersion: 'stratus.dev/v1alpha1', kind: 'Volume', metadata: meta(`root-${i}`, importNs), spec: { size: '4Gi', source: { http: { url } } } } as Volume);
        await client.create(VirtualMachines, vm(`vm-${i}`, importNs, { volume: `root-${i}` }));
      },
    ]);
    await parallel(work, concurrency, (w) => w());
    const imageMs = (await fromImage) - started;
    const importMsTaken = (await importing) - started;
    watches.abort();

    report(`${count} VMs Ready from the ready DiskImage`, imageMs, 'ms', 'a clone per VM');
    report(`${count} VMs Ready, each importing`, importMsTaken, 'ms', `${count} imports`);
    report('ratio: image / each importing', imageMs / importMsTaken, 'x');

    await operator.stop();
    await sims.stop();
    client.rest.close();
  },
  { thirdPartyApis: true },
);
