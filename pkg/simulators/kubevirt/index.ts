// The simulated KubeVirt: its install (the KubeVirt CR), virt-controller's
// VM, VMI, pool, migration, evacuation, workload-update, snapshot and
// restore controllers, and virt-handler.
import type { Logger } from 'winston';
import type { PersistentVolumeClaim, Pod } from '../../kube/core-types.js';
import { ControllerRevisions, Namespaces, Nodes, PersistentVolumeClaims, Pods, Secrets, StorageClasses } from '../../kube/resources.js';
import { VolumeSnapshotClasses, VolumeSnapshots } from '../../contracts/csi-snapshot/index.js';
import { DataVolumes, type DataVolume } from '../../contracts/cdi/index.js';
import {
  claimNames,
  kubevirtLabels,
  KubeVirts,
  KubeVirtVirtualMachineInstances,
  KubeVirtVirtualMachines,
  MigrationPolicies,
  restoreAnnotations,
  templateSpecOf,
  VirtualMachineInstanceMigrations,
  VirtualMachinePools,
  VirtualMachineRestores,
  VirtualMachineSnapshotContents,
  VirtualMachineSnapshots,
  type KubeVirt,
  type VirtualMachine as KubeVirtVirtualMachine,
  type VirtualMachineInstance,
  type VirtualMachineInstanceMigration,
  type VirtualMachineInstanceSpec,
  type VirtualMachinePool,
  type VirtualMachineRestore,
  type VirtualMachineSnapshot,
  type VirtualMachineSnapshotContent,
} from '../../contracts/kubevirt/index.js';
import { namespaceIndex } from '../../runtime/cache/cache.js';
import { keyOf, type KubeObject } from '../../meta/object.js';
import { Client } from '../../runtime/client/client.js';
import type { RestClient } from '../../runtime/client/rest-client.js';
import { Controller } from '../../runtime/controller/controller.js';
import { EventRecorder } from '../../runtime/events/recorder.js';
import { enqueueMapped, enqueueObject, enqueueOwner } from '../../runtime/handler/handlers.js';
import type { Manager } from '../../runtime/manager/manager.js';
import { StageClock } from '../clock.js';
import { clusterConfig, configuringKubeVirt } from './cluster-config.js';
import { EvacuationReconciler } from './evacuation.js';
import { KubeVirtInstall } from './install.js';
import { MigrationReconciler } from './migration-controller.js';
import { MigrationHandlerReconciler } from './migration-handler.js';
import { defaultKubeVirtOptions, type KubeVirtSimOptions } from './options.js';
import { attachmentApp, launcherApp } from './pods.js';
import { PoolReconciler } from './pool-reconciler.js';
import { VmRestoreReconciler } from './restore-reconciler.js';
import { VmSnapshotContentReconciler } from './snapshot-content-reconciler.js';
import { contentNameOf, VmSnapshotReconciler } from './snapshot-reconciler.js';
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

  registerSnapshots(mgr, client, log);
}

/** The snapshot controllers: VirtualMachineSnapshots, their contents, and VirtualMachineRestores. */
function registerSnapshots(mgr: Manager, client: Client, log: Logger): void {
  const events = new EventRecorder(client, 'snapshot-controller', 'stratus-sim', log);
  const snapshots = mgr.cache.informer<VirtualMachineSnapshot>(VirtualMachineSnapshots);
  const contents = mgr.cache.informer<VirtualMachineSnapshotContent>(VirtualMachineSnapshotContents);
  const restores = mgr.cache.informer<VirtualMachineRestore>(VirtualMachineRestores);
  const vms = mgr.cache.informer<KubeVirtVirtualMachine>(KubeVirtVirtualMachines);
  const vmis = mgr.cache.informer<VirtualMachineInstance>(KubeVirtVirtualMachineInstances);
  const volumeSnapshots = mgr.cache.informer(VolumeSnapshots);
  mgr.cache.informer(VolumeSnapshotClasses);
  mgr.cache.informer(StorageClasses);
  const bySource = 'snapshot-source';
  const byTarget = 'restore-target';
  snapshots.addIndex(bySource, (s) => (s.spec.source.kind === 'VirtualMachine' ? [`${s.metadata.namespace}/${s.spec.source.name}`] : []));
  restores.addIndex(byTarget, (r) => [`${r.metadata.namespace}/${r.spec.target.name}`]);
  // A VM (or its instance) changing wakes the snapshots of it and the restores to it.
  const ofVm = (index: string, informer: typeof snapshots | typeof restores) => enqueueMapped((o: KubeObject) => informer.indexer.byIndex(index, keyOf(o)).map(keyOf));

  const snapshotController = new Controller({ name: 'sim-virt-controller-snapshot', reconciler: new VmSnapshotReconciler(client, mgr.cache, events), workers: 2, logger: log });
  snapshotController.watch(snapshots, enqueueObject, (e) => e.type !== 'delete');
  snapshotController.watch(contents, enqueueMapped((c) => (c.spec.virtualMachineSnapshotName ? [`${c.metadata.namespace}/${c.spec.virtualMachineSnapshotName}`] : [])));
  snapshotController.watch(vms, ofVm(bySource, snapshots));
  snapshotController.watch(vmis, ofVm(bySource, snapshots));
  mgr.add(snapshotController);

  const contentController = new Controller({ name: 'sim-virt-controller-snapshot-content', reconciler: new VmSnapshotContentReconciler(client, mgr.cache, events), workers: 2, logger: log });
  contentController.watch(contents, enqueueObject, (e) => e.type !== 'delete');
  contentController.watch(volumeSnapshots, enqueueOwner({ group: 'snapshot.kubevirt.io', kind: 'VirtualMachineSnapshotContent' }));
  contentController.watch(snapshots, enqueueMapped((s) => [`${s.metadata.namespace}/${contentNameOf(s)}`]));
  mgr.add(contentController);

  const restoreController = new Controller({ name: 'sim-virt-controller-restore', reconciler: new VmRestoreReconciler(client, mgr.cache, events), workers: 2, logger: log });
  restoreController.watch(restores, enqueueObject, (e) => e.type !== 'delete');
  restoreController.watch(vms, ofVm(byTarget, restores));
  restoreController.watch(vmis, ofVm(byTarget, restores));
  restoreController.watch(
    mgr.cache.informer<PersistentVolumeClaim>(PersistentVolumeClaims),
    enqueueMapped((c) => {
      const restore = c.metadata.annotations?.[restoreAnnotations.name];
      return restore ? [`${c.metadata.namespace}/${restore}`] : restores.indexer.byIndex(namespaceIndex, c.metadata.namespace ?? '').filter((r) => r.status?.restores?.some((v) => v.persistentVolumeClaim === c.metadata.name)).map(keyOf);
    }),
  );
  restoreController.watch(mgr.cache.informer(DataVolumes), enqueueMapped((dv) => restores.indexer.byIndex(namespaceIndex, dv.metadata.namespace ?? '').filter((r) => r.status?.restores?.some((v) => v.dataVolumeName === dv.metadata.name)).map(keyOf)));
  mgr.add(restoreController);
}
