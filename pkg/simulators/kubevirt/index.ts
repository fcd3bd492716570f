// The simulated KubeVirt.
import type { Pod } from '../../kube/core-types.js';
import {
  DataVolumes,
  KubeVirtVirtualMachineInstances,
  KubeVirtVirtualMachines,
  PersistentVolumeClaims,
  Pods,
  VirtualMachinePools,
} from '../../kube/resources.js';
import { Client } from '../../runtime/client/client.js';
import { Controller } from '../../runtime/controller/controller.js';
import { EventRecorder } from '../../runtime/events/recorder.js';
import { enqueueMapped, enqueueObject, enqueueOwner } from '../../runtime/handler/handlers.js';
import type { Manager } from '../../runtime/manager/manager.js';
import { StageClock } from '../clock.js';
import type { DataVolume } from '../cdi/types.js';
import { defaultKubeVirtOptions, labels, type KubeVirtSimOptions } from './options.js';
import { PoolReconciler } from './pool-reconciler.js';
import type { KubeVirtVirtualMachine, VirtualMachineInstance, VirtualMachinePool } from './types.js';
import { VmReconciler } from './vm-reconciler.js';
import { VmiReconciler } from './vmi-reconciler.js';

export { defaultKubeVirtOptions, realisticKubeVirt, type KubeVirtSimOptions } from './options.js';
export type { KubeVirtVirtualMachine, VirtualMachineInstance, VirtualMachinePool } from './types.js';

const claimIndex = 'claims';

export function registerKubeVirt(mgr: Manager, options: Partial<KubeVirtSimOptions> = {}): void {
  const o: KubeVirtSimOptions = { ...defaultKubeVirtOptions, ...options };
  const log = mgr.log.child({ simulator: 'kubevirt' });
  const client = new Client(mgr.rest, 'virt-controller');
  const events = new EventRecorder(client, 'virtualmachine-controller', 'stratus-sim', log);
  const clock = new StageClock();
  const vms = mgr.cache.informer<KubeVirtVirtualMachine>(KubeVirtVirtualMachines);
  const vmis = mgr.cache.informer<VirtualMachineInstance>(KubeVirtVirtualMachineInstances);
  const pods = mgr.cache.informer<Pod>(Pods);
  const claims = mgr.cache.informer(PersistentVolumeClaims);
  const dataVolumes = mgr.cache.informer<DataVolume>(DataVolumes);
  const pools = mgr.cache.informer<VirtualMachinePool>(VirtualMachinePools);

  const byClaim = (vm: KubeVirtVirtualMachine | VirtualMachineInstance): string[] => {
    const spec = 'template' in vm.spec ? vm.spec.template.spec : vm.spec;
    return (spec.volumes ?? [])
      .map((v) => v.persistentVolumeClaim?.claimName ?? v.dataVolume?.name)
      .filter((n): n is string => !!n)
      .map((n) => `${vm.metadata.namespace}/${n}`);
  };
  vms.addIndex(claimIndex, byClaim);
  vmis.addIndex(claimIndex, byClaim);
  const keysOf = (objs: { metadata: { namespace?: string; name?: string } }[]): string[] =>
    objs.map((x) => `${x.metadata.namespace}/${x.metadata.name}`);

  const vmController = new Controller({
    name: 'sim-virt-controller-vm',
    reconciler: new VmReconciler(client, mgr.cache, clock, events),
    workers: 4,
    logger: log,
  });
  vmController.watch(vms, enqueueObject, (e) => e.type !== 'delete');
  // A VMI's life and a DataVolume's progress show in the VM's status.
  vmController.watch(vmis, enqueueObject);
  vmController.watch(dataVolumes, enqueueOwner({ group: 'kubevirt.io', kind: 'VirtualMachine' }));
  vmController.watch(claims, enqueueMapped((c) => keysOf(vms.indexer.byIndex(claimIndex, `${c.metadata.namespace}/${c.metadata.name}`))));
  mgr.add(vmController);

  const vmiController = new Controller({
    name: 'sim-virt-controller-vmi',
    reconciler: new VmiReconciler(client, mgr.cache, o, clock, new EventRecorder(client, 'virtualmachine-controller', 'stratus-sim', log)),
    workers: 4,
    logger: log,
  });
  vmiController.watch(vmis, enqueueObject, (e) => e.type !== 'delete');
  vmiController.watch(pods, enqueueOwner({ group: 'kubevirt.io', kind: 'VirtualMachineInstance' }), (e) => e.obj.metadata.labels?.[labels.app] === 'virt-launcher');
  vmiController.watch(claims, enqueueMapped((c) => keysOf(vmis.indexer.byIndex(claimIndex, `${c.metadata.namespace}/${c.metadata.name}`))));
  mgr.add(vmiController);

  const poolController = new Controller({
    name: 'sim-virt-controller-pool',
    reconciler: new PoolReconciler(new Client(mgr.rest, 'virt-controller'), mgr.cache, new EventRecorder(client, 'virtualmachinepool-controller', 'stratus-sim', log)),
    workers: 2,
    logger: log,
  });
  poolController.watch(pools, enqueueObject, (e) => e.type !== 'delete');
  poolController.watch(vms, enqueueOwner({ group: 'pool.kubevirt.io', kind: 'VirtualMachinePool' }));
  mgr.add(poolController);
}
