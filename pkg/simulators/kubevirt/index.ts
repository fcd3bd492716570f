// The simulated KubeVirt.
import type { Pod } from '../../kube/core-types.js';
import { ControllerRevisions, Namespaces, Nodes, PersistentVolumeClaims, Pods, Secrets } from '../../kube/resources.js';
import { DataVolumes, type DataVolume } from '../../contracts/cdi/index.js';
import {
  claimNames,
  kubevirtLabels,
  KubeVirts,
  KubeVirtVirtualMachineInstances,
  KubeVirtVirtualMachines,
  MigrationPolicies,
  templateSpecOf,
  VirtualMachineInstanceMigrations,
  VirtualMachinePools,
  type KubeVirt,
  type VirtualMachine as KubeVirtVirtualMachine,
  type VirtualMachineInstance,
  type VirtualMachineInstanceMigration,
  type VirtualMachineInstanceSpec,
  type VirtualMachinePool,
} from '../../contracts/kubevirt/index.js';
import { Client } from '../../runtime/client/client.js';
import type { RestClient } from '../../runtime/client/rest-client.js';
import { Controller } from '../../runtime/controller/controller.js';
import { EventRecorder } from '../../runtime/events/recorder.js';
import { enqueueMapped, enqueueObject, enqueueOwner } from '../../runtime/handler/handlers.js';
import type { Manager } from '../../runtime/manager/manager.js';
import type { KubeObject } from '../../meta/object.js';
import { StageClock } from '../clock.js';
import { clusterConfig, configuringKubeVirt } from './cluster-config.js';
import { EvacuationReconciler } from './evacuation.js';
import { KubeVirtInstall } from './install.js';
import { MigrationReconciler } from './migration-controller.js';
import { MigrationHandlerReconciler } from './migration-handler.js';
import { defaultKubeVirtOptions, type KubeVirtSimOptions } from './options.js';
import { attachmentApp, launcherApp } from './pods.js';
import { PoolReconciler } from './pool-reconciler.js';
import { VmReconciler } from './vm-reconciler.js';
import { VmiReconciler } from './vmi-reconciler.js';
import { WorkloadUpdateReconciler } from './workload-updater.js';

export { realisticKubeVirt, type KubeVirtSimOptions } from './options.js';

const claimIndex = 'claims';
const secretIndex = 'cloud-init-secrets';
const vmiIndex = 'vmi';

/** `rest` writes as KubeVirt's service account (identity.ts); reads go through the manager's cache. */
export function registerKubeVirt(mgr: Manager, rest: RestClient, options: Partial<KubeVirtSimOptions> = {}): void {
  const o: KubeVirtSimOptions = { ...defaultKubeVirtOptions, ...options };
  const log = mgr.log.child({ simulator: 'kubevirt' });
  const client = new Client(rest, 'virt-controller');
  const recorder = (component: string) => new EventRecorder(client, component, 'stratus-sim', log);
  const events = recorder('virtualmachine-controller');
  const clock = new StageClock();
  const vms = mgr.cache.informer<KubeVirtVirtualMachine>(KubeVirtVirtualMachines);
  const vmis = mgr.cache.informer<VirtualMachineInstance>(KubeVirtVirtualMachineInstances);
  const pods = mgr.cache.informer<Pod>(Pods);
  const claims = mgr.cache.informer(PersistentVolumeClaims);
  const dataVolumes = mgr.cache.informer<DataVolume>(DataVolumes);
  const pools = mgr.cache.informer<VirtualMachinePool>(VirtualMachinePools);
  const secrets = mgr.cache.informer(Secrets);
  const revisions = mgr.cache.informer(ControllerRevisions);
  const installs = mgr.cache.informer<KubeVirt>(KubeVirts);
  const migrations = mgr.cache.informer<VirtualMachineInstanceMigration>(VirtualMachineInstanceMigrations);
  mgr.cache.informer(MigrationPolicies);
  mgr.cache.informer(Namespaces);
  mgr.cache.informer(Nodes);
  const config = () => clusterConfig(configuringKubeVirt(installs.list()));

  mgr.addRunnable(new KubeVirtInstall(client, o, log));

  const claimKeys = (namespace: string | undefined, spec: VirtualMachineInstanceSpec): string[] => claimNames(spec).map((n) => `${namespace}/${n}`);
  vms.addIndex(claimIndex, (vm) => claimKeys(vm.metadata.namespace, templateSpecOf(vm)));
  vmis.addIndex(claimIndex, (vmi) => claimKeys(vmi.metadata.namespace, vmi.spec));
  // The cloud-init Secrets a VMI's guest reads its network data from.
  vmis.addIndex(secretIndex, (vmi) =>
    (vmi.spec.volumes ?? []).flatMap((v) => {
      const name = (v.cloudInitNoCloud ?? v.cloudInitConfigDrive)?.networkDataSecretRef?.name;
      return name ? [`${vmi.metadata.namespace}/${name}`] : [];
    }),
  );
  migrations.addIndex(vmiIndex, (m) => [`${m.metadata.namespace}/${m.spec.vmiName}`]);
  const keysOf = (objs: { metadata: { namespace?: string; name?: string } }[]): string[] => objs.map((x) => `${x.metadata.namespace}/${x.metadata.name}`);
  /** The VMI a launcher pod, or an attachment pod through its launcher pod, belongs to. */
  const vmiOfPod = (pod: KubeObject): string[] => {
    const owner = pod.metadata.ownerReferences?.find((r) => r.controller);
    if (!owner) return [];
    if (pod.metadata.labels?.[kubevirtLabels.app] === launcherApp && owner.kind === 'VirtualMachineInstance') return [`${pod.metadata.namespace}/${owner.name}`];
    if (pod.metadata.labels?.[kubevirtLabels.app] !== attachmentApp || owner.kind !== 'Pod') return [];
    const launcher = pods.get(`${pod.metadata.namespace}/${owner.name}`);
    const vmi = launcher?.metadata.ownerReferences?.find((r) => r.controller && r.kind === 'VirtualMachineInstance');
    return vmi ? [`${pod.metadata.namespace}/${vmi.name}`] : [];
  };
  const migrationsOfVmi = (vmi: KubeObject): string[] => keysOf(migrations.indexer.byIndex(vmiIndex, `${vmi.metadata.namespace}/${vmi.metadata.name}`));
  const vmiOfMigration = (m: VirtualMachineInstanceMigration): string[] => [`${m.metadata.namespace}/${m.spec.vmiName}`];

  const vmController = new Controller({
    name: 'sim-virt-controller-vm',
    reconciler: new VmReconciler(client, mgr.cache, clock, events, config),
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
    reconciler: new VmiReconciler(client, mgr.cache, o, clock, events),
    workers: 4,
    logger: log,
  });
  vmiController.watch(vmis, enqueueObject, (e) => e.type !== 'delete');
  vmiController.watch(pods, enqueueMapped(vmiOfPod));
  vmiController.watch(claims, enqueueMapped((c) => keysOf(vmis.indexer.byIndex(claimIndex, `${c.metadata.namespace}/${c.metadata.name}`))));
  vmiController.watch(secrets, enqueueMapped((s) => keysOf(vmis.indexer.byIndex(secretIndex, `${s.metadata.namespace}/${s.metadata.name}`))));
  mgr.add(vmiController);

  const migrationController = new Controller({
    name: 'sim-virt-controller-migration',
    reconciler: new MigrationReconciler(client, mgr.cache, o, recorder('migration-controller')),
    workers: 2,
    logger: log,
  });
  migrationController.watch(migrations, enqueueObject, (e) => e.type !== 'delete');
  migrationController.watch(vmis, enqueueMapped(migrationsOfVmi));
  migrationController.watch(pods, enqueueMapped((p) => vmiOfPod(p).flatMap((key) => keysOf(migrations.indexer.byIndex(vmiIndex, key)))));
  mgr.add(migrationController);

  const handler = new Controller({
    name: 'sim-virt-handler-migration',
    reconciler: new MigrationHandlerReconciler(client, mgr.cache, o, clock, recorder('virt-handler'), config),
    workers: 2,
    logger: log,
  });
  handler.watch(vmis, enqueueObject, (e) => e.type !== 'delete');
  handler.watch(pods, enqueueMapped(vmiOfPod));
  mgr.add(handler);

  const evacuation = new Controller({
    name: 'sim-virt-controller-evacuation',
    reconciler: new EvacuationReconciler(client, mgr.cache, recorder('evacuation-controller'), config),
    workers: 1,
    logger: log,
  });
  evacuation.watch(vmis, enqueueObject, (e) => e.type !== 'delete');
  evacuation.watch(migrations, enqueueMapped(vmiOfMigration));
  mgr.add(evacuation);

  const workloadUpdater = new Controller({
    name: 'sim-virt-controller-workload-update',
    reconciler: new WorkloadUpdateReconciler(client, mgr.cache, recorder('workload-update-controller'), config),
    workers: 1,
    logger: log,
  });
  workloadUpdater.watch(vmis, enqueueObject, (e) => e.type !== 'delete');
  workloadUpdater.watch(migrations, enqueueMapped(vmiOfMigration));
  mgr.add(workloadUpdater);

  const poolController = new Controller({
    name: 'sim-virt-controller-pool',
    reconciler: new PoolReconciler(client, mgr.cache, recorder('virtualmachinepool-controller')),
    workers: 2,
    logger: log,
  });
  poolController.watch(pools, enqueueObject, (e) => e.type !== 'delete');
  poolController.watch(vms, enqueueOwner({ group: 'pool.kubevirt.io', kind: 'VirtualMachinePool' }));
  poolController.watch(revisions, enqueueOwner({ group: 'pool.kubevirt.io', kind: 'VirtualMachinePool' }));
  mgr.add(poolController);
}
