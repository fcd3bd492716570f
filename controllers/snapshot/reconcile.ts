// Snapshot reconcile: fetch → deletion (held while something restores from
// it) or finalizer → the KubeVirt or CSI snapshot, made once → status.
import { Apps, Snapshots, VirtualMachines, Volumes } from '../../pkg/api/resources.js';
import type { App, Snapshot, VirtualMachine, Volume, VolumeSpec } from '../../pkg/api/types.generated.js';
import type { PersistentVolumeClaim, StorageClass } from '../../pkg/kube/core-types.js';
import { PersistentVolumeClaims, StorageClasses } from '../../pkg/kube/resources.js';
import {
  defaultSnapshotClass,
  VolumeSnapshotClasses,
  VolumeSnapshotContents,
  VolumeSnapshots,
  type VolumeSnapshot,
  type VolumeSnapshotClass,
  type VolumeSnapshotContent,
} from '../../pkg/contracts/csi-snapshot/index.js';
import {
  KubeVirtVirtualMachines,
  VirtualMachineSnapshotContents,
  VirtualMachineSnapshots,
  type VirtualMachineSnapshot,
  type VirtualMachineSnapshotContent,
} from '../../pkg/contracts/kubevirt/index.js';
import type { Cache } from '../../pkg/runtime/cache/cache.js';
import type { Client } from '../../pkg/runtime/client/client.js';
import { snapshotFinalizer } from '../../pkg/api/finalizers.js';
import { addFinalizer, hasFinalizer, removeFinalizer } from '../../pkg/runtime/client/finalizers.js';
import { writeStatus } from '../../pkg/runtime/client/status-writer.js';
import { isTrue } from '../../pkg/runtime/conditions/conditions.js';
import type { ReconcileContext, Reconciler, Request } from '../../pkg/runtime/controller/types.js';
import type { EventRecorder } from '../../pkg/runtime/events/recorder.js';
import { isControlledBy, type KubeObject } from '../../pkg/meta/object.js';
import { applyChild, ChildConflictError } from '../shared/children.js';
import { stuck, Stuck, waiting, Waiting } from '../shared/problems.js';
import { volumesOfVm } from '../shared/references.js';
import { snapshotUsers } from '../shared/snapshot-users.js';
import { desiredVmSnapshot, desiredVolumeSnapshot } from './desired.js';
import { recordOf } from './source-record.js';
import { snapshotStatus, type SnapshotObservation } from './status.js';

export class SnapshotReconciler implements Reconciler {
  constructor(
    private readonly client: Client,
    private readonly cache: Cache,
    private readonly events: EventRecorder,
    private readonly now: () => number = Date.now,
  ) {}

  async reconcile(req: Request, ctx: ReconcileContext): Promise<void> {
    const snapshot = this.cache.get<Snapshot>(Snapshots, req.namespace, req.name);
    if (!snapshot) return;
    const o: SnapshotObservation = { problems: [], volumeSnapshots: new Map(), now: this.now() };
    if (snapshot.metadata.deletionTimestamp) return this.delete(snapshot, o, ctx);
    if (await addFinalizer(this.client, Snapshots, snapshot, snapshotFinalizer)) return;
    try {
      const { virtualMachine, volume } = snapshot.spec.source;
      if (this.observe(snapshot, o)) {
        const vs = o.volumeSnapshots.get(snapshot.metadata.name!);
        if (volume && vs && snapshot.spec.deletionPolicy === 'Retain') await this.retainContent(vs);
      } else if (virtualMachine) await this.snapshotVm(snapshot, virtualMachine, o);
      else await this.snapshotVolume(snapshot, volume!, o);
    } catch (err) {
      if (!(err instanceof ChildConflictError)) throw err;
      o.problems.push(stuck(Stuck.ChildConflict, err.message));
    }
    const before = snapshot.status?.phase;
    const status = snapshotStatus(snapshot, o);
    if (!(await writeStatus(this.client, Snapshots, snapshot, status)) || before === status.phase) return;
    if (status.phase === 'Succeeded') this.events.event(snapshot, 'Normal', 'SnapshotReady', status.conditions?.[0]?.message ?? 'ready');
    if (status.phase === 'Failed') this.events.event(snapshot, 'Warning', status.conditions?.find((c) => c.type === 'Stalled')?.reason ?? Stuck.SnapshotFailed, status.conditions?.[0]?.message ?? '');
  }

  /** An existing child of this Snapshot (a name held by anything else is a conflict). */
  private child<T extends KubeObject>(type: typeof VolumeSnapshots, snapshot: Snapshot): T | undefined {
    const existing = this.cache.get<T>(type, snapshot.metadata.namespace, snapshot.metadata.name!);
    if (existing && !isControlledBy(existing, snapshot.metadata.uid)) {
      throw new ChildConflictError({ kind: type.kind, name: snapshot.metadata.name! }, { kind: 'Snapshot', name: snapshot.metadata.name! });
    }
    return existing;
  }

  /** Notes in `o` what its KubeVirt or CSI snapshot reports; false while there is none. */
  private observe(snapshot: Snapshot, o: SnapshotObservation): boolean {
    const ns = snapshot.metadata.namespace;
    if (snapshot.spec.source.virtualMachine) {
      const existing = this.child<VirtualMachineSnapshot>(VirtualMachineSnapshots, snapshot);
      if (!existing) return false;
      o.vmSnapshot = existing;
      o.record = recordOf(existing);
      const contentName = existing.status?.virtualMachineSnapshotContentName;
      o.content = contentName ? this.cache.get<VirtualMachineSnapshotContent>(VirtualMachineSnapshotContents, ns, contentName) : undefined;
      for (const b of o.content?.spec.volumeBackups ?? []) {
        const vs = b.volumeSnapshotName ? this.cache.get<VolumeSnapshot>(VolumeSnapshots, ns, b.volumeSnapshotName) : undefined;
        if (vs) o.volumeSnapshots.set(vs.metadata.name!, vs);
      }
      return true;
    }
    const existing = this.child<VolumeSnapshot>(VolumeSnapshots, snapshot);
    if (!existing) return false;
    o.volumeSnapshots.set(existing.metadata.name!, existing);
    o.record = recordOf(existing);
    return true;
  }

  private async snapshotVm(snapshot: Snapshot, name: string, o: SnapshotObservation): Promise<void> {
    const ns = snapshot.metadata.namespace;
    const vm = this.cache.get<VirtualMachine>(VirtualMachines, ns, name);
    if (!vm) return void o.problems.push(waiting(Waiting.Source, `waiting for VirtualMachine ${name}, which does not exist`));
    if (vm.spec.replicas !== undefined) {
      return void o.problems.push(stuck(Stuck.InvalidSource, `VirtualMachine ${name} is a group of VMs (spec.replicas): snapshot a single VM, or its members' Volumes`));
    }
    const kubevirtVm = this.cache.get(KubeVirtVirtualMachines, ns, name);
    if (!kubevirtVm || !isControlledBy(kubevirtVm, vm.metadata.uid)) {
      return void o.problems.push(waiting(Waiting.Source, `waiting for VirtualMachine ${name} to have its KubeVirt VirtualMachine`));
    }
    const volumes: Record<string, VolumeSpec> = {};
    for (const v of volumesOfVm(vm)) {
      const volume = this.cache.get<Volume>(Volumes, ns, v);
      if (volume) volumes[v] = volume.spec;
    }
    await applyChild(this.client, this.cache, VirtualMachineSnapshots, snapshot, desiredVmSnapshot(snapshot, name, { uid: vm.metadata.uid!, virtualMachine: vm.spec, volumes }));
  }

  private async snapshotVolume(snapshot: Snapshot, name: string, o: SnapshotObservation): Promise<void> {
    const ns = snapshot.metadata.namespace;
    const volume = this.cache.get<Volume>(Volumes, ns, name);
    if (!volume) return void o.problems.push(waiting(Waiting.Source, `waiting for Volume ${name}, which does not exist`));
    if (!isTrue(volume.status?.conditions, 'Ready')) return void o.problems.push(waiting(Waiting.Source, `waiting for Volume ${name} to be Ready (it is ${volume.status?.phase ?? 'new'})`));
    const claimName = volume.status?.claimName ?? name;
    const claim = this.cache.get<PersistentVolumeClaim>(PersistentVolumeClaims, ns, claimName);
    const storageClass = claim?.spec.storageClassName ? this.cache.get<StorageClass>(StorageClasses, undefined, claim.spec.storageClassName) : undefined;
    if (!claim || !storageClass) return void o.problems.push(waiting(Waiting.Source, `waiting for the claim ${claimName} of Volume ${name} and its StorageClass`));
    const cls = defaultSnapshotClass(this.cache.list<VolumeSnapshotClass>(VolumeSnapshotClasses), storageClass.provisioner);
    if (!cls) {
      return void o.problems.push(
        stuck(Stuck.InvalidSource, `StorageClass ${storageClass.metadata.name} (driver ${storageClass.provisioner}) has no VolumeSnapshotClass: its volumes cannot be snapshotted`),
      );
    }
    const consistency = this.inUse(volume) ? 'Crash' : 'Offline';
    await applyChild(this.client, this.cache, VolumeSnapshots, snapshot, desiredVolumeSnapshot(snapshot, claimName, cls.metadata.name!, { uid: volume.metadata.uid! }, consistency));
  }

  /** Whether something runs on the Volume now: a running VM or an App with instances. */
  private inUse(volume: Volume): boolean {
    const ns = volume.metadata.namespace;
    return (volume.status?.usedBy ?? []).some((u) =>
      u.kind === 'VirtualMachine'
        ? this.cache.get<VirtualMachine>(VirtualMachines, ns, u.name)?.status?.powerState === 'Running'
        : (this.cache.get<App>(Apps, ns, u.name)?.status?.readyReplicas ?? 0) > 0,
    );
  }

  /** deletionPolicy Retain: the CSI content outlives the VolumeSnapshot (the class's policy may say Delete). */
  private async retainContent(vs: VolumeSnapshot): Promise<void> {
    const name = vs.status?.boundVolumeSnapshotContentName;
    const content = name ? this.cache.get<VolumeSnapshotContent>(VolumeSnapshotContents, undefined, name) : undefined;
    if (!content || content.spec.deletionPolicy === 'Retain' || content.spec.volumeSnapshotRef.uid !== vs.metadata.uid) return;
    await this.client.patch(VolumeSnapshotContents, undefined, name!, { merge: { metadata: { resourceVersion: content.metadata.resourceVersion }, spec: { deletionPolicy: 'Retain' } } });
  }

  private async delete(snapshot: Snapshot, o: SnapshotObservation, ctx: ReconcileContext): Promise<void> {
    if (!hasFinalizer(snapshot, snapshotFinalizer)) return;
    const users = snapshotUsers(this.cache, snapshot.metadata.namespace, snapshot.metadata.name!);
    if (users.length) {
      o.users = users;
      this.observe(snapshot, o);
      await writeStatus(this.client, Snapshots, snapshot, snapshotStatus(snapshot, o));
      return;
    }
    // Its KubeVirt or CSI snapshot goes with it (owner reference); its deletionPolicy decides about the data.
    await removeFinalizer(this.client, Snapshots, snapshot, snapshotFinalizer);
    ctx.log.info('snapshot released', { deletionPolicy: snapshot.spec.deletionPolicy });
  }
}
