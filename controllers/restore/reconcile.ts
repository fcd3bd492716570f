// Restore reconcile: fetch (a finished restore is left as it is) → its
// Snapshot → in place (wait for consent or a stopped VM, stop it, a KubeVirt
// VirtualMachineRestore with the claims replaced in place) or into a new VM
// (its Volumes and the VM made once) → status.
import { Restores, Snapshots, VirtualMachines, Volumes } from '../../pkg/api/resources.js';
import type { Restore, RestoredVolume, Snapshot, VirtualMachine, Volume } from '../../pkg/api/types.generated.js';
import {
  KubeVirtVirtualMachineInstances,
  VirtualMachineRestores,
  VirtualMachineSnapshots,
  type VirtualMachineRestore,
} from '../../pkg/contracts/kubevirt/index.js';
import { isAlreadyExists } from '../../pkg/runtime/client/api-error.js';
import type { Cache } from '../../pkg/runtime/cache/cache.js';
import type { Client } from '../../pkg/runtime/client/client.js';
import { writeStatus } from '../../pkg/runtime/client/status-writer.js';
import { conditionTime, isTrue } from '../../pkg/runtime/conditions/conditions.js';
import type { ReconcileContext, Reconciler, Request } from '../../pkg/runtime/controller/types.js';
import type { EventRecorder } from '../../pkg/runtime/events/recorder.js';
import { isControlledBy, type KubeObject } from '../../pkg/meta/object.js';
import type { ResourceType } from '../../pkg/meta/resource.js';
import { applyChild, ChildConflictError } from '../shared/children.js';
import { childLabels } from '../shared/labels.js';
import { stuck, Stuck, waiting, Waiting } from '../shared/problems.js';
import { recordOf } from '../snapshot/source-record.js';
import { diskClaims, inPlaceProblem } from './in-place.js';
import { newVmPlan, restoredByAnnotation } from './new-vm.js';
import { restoreFinished, restoreStatus, type RestoreObservation } from './status.js';

export class RestoreReconciler implements Reconciler {
  constructor(
    private readonly client: Client,
    private readonly cache: Cache,
    private readonly events: EventRecorder,
    private readonly now: () => number = Date.now,
  ) {}

  async reconcile(req: Request, ctx: ReconcileContext): Promise<void> {
    const restore = this.cache.get<Restore>(Restores, req.namespace, req.name);
    if (!restore || restore.metadata.deletionTimestamp || restoreFinished(restore)) return;
    const o: RestoreObservation = { problems: [], volumes: [], now: this.now() };
    const snapshot = this.cache.get<Snapshot>(Snapshots, restore.metadata.namespace, restore.spec.snapshot);
    if (!snapshot) o.problems.push(waiting(Waiting.Source, `waiting for Snapshot ${restore.spec.snapshot}, which does not exist`));
    else if (snapshot.status?.phase === 'Failed') o.problems.push(stuck(Stuck.InvalidSource, `Snapshot ${restore.spec.snapshot} failed: ${snapshot.status.conditions?.[0]?.message ?? ''}`));
    else if (!snapshot.status?.readyToUse) o.problems.push(waiting(Waiting.Source, `waiting for Snapshot ${restore.spec.snapshot} to be ready to use (it is ${snapshot.status?.phase ?? 'new'})`));
    else {
      try {
        if (restore.spec.target.virtualMachine) await this.inPlace(restore, snapshot, restore.spec.target.virtualMachine, o);
        else await this.intoNewVm(restore, snapshot, restore.spec.target.newVirtualMachine!, o);
      } catch (err) {
        if (!(err instanceof ChildConflictError)) throw err;
        o.problems.push(stuck(Stuck.ChildConflict, err.message));
      }
    }
    const before = restore.status?.phase;
    const status = restoreStatus(restore, o);
    if (!(await writeStatus(this.client, Restores, restore, status)) || before === status.phase) return;
    ctx.log.info('restore', { phase: status.phase });
    const message = status.conditions?.[0]?.message ?? '';
    if (status.phase === 'Succeeded') this.events.event(restore, 'Normal', 'Restored', message);
    else if (status.phase === 'Failed') this.events.event(restore, 'Warning', status.conditions?.find((c) => c.type === 'Stalled')?.reason ?? Stuck.RestoreFailed, message);
    else this.events.event(restore, 'Normal', status.phase ?? 'Pending', message);
  }

  private async inPlace(restore: Restore, snapshot: Snapshot, name: string, o: RestoreObservation): Promise<void> {
    const ns = restore.metadata.namespace;
    o.virtualMachine = name;
    const vm = this.cache.get<VirtualMachine>(VirtualMachines, ns, name);
    const claims = vm ? diskClaims(vm, (v) => this.cache.get<Volume>(Volumes, ns, v)?.status?.claimName ?? v) : new Map<string, string>();
    const problem = inPlaceProblem(snapshot, vm, name, claims);
    if (problem) return void o.problems.push(problem);
    const stratusVolume = new Map((snapshot.status?.volumes ?? []).map((v) => [v.name, v.volume]));
    const child = this.cache.get<VirtualMachineRestore>(VirtualMachineRestores, ns, restore.metadata.name!);
    if (child && !isControlledBy(child, restore.metadata.uid)) {
      throw new ChildConflictError({ kind: 'VirtualMachineRestore', name: restore.metadata.name! }, { kind: 'Restore', name: restore.metadata.name! });
    }
    if (!child) {
      const running = !!this.cache.get(KubeVirtVirtualMachineInstances, ns, name);
      const stopping = restore.status?.phase === 'Stopping';
      if (running && !stopping && !restore.spec.stopVirtualMachine) {
        return void o.problems.push(
          waiting(Waiting.Stop, `VirtualMachine ${name} is running: the restore waits until it is stopped (powerState: Stopped), or make a Restore with stopVirtualMachine: true to have Stratus stop it and start it again`),
        );
      }
      if (running) {
        o.progress = { phase: 'Stopping', message: `stopping VirtualMachine ${name} for the restore; it starts again afterwards as its powerState says` };
        return;
      }
      await applyChild(this.client, this.cache, VirtualMachineRestores, restore, {
        apiVersion: 'snapshot.kubevirt.io/v1beta1',
        kind: 'VirtualMachineRestore',
        metadata: { name: restore.metadata.name, namespace: ns, labels: childLabels('restore', restore.metadata.name!) },
        spec: {
          target: { apiGroup: 'kubevirt.io', kind: 'VirtualMachine', name },
          virtualMachineSnapshotName: snapshot.metadata.name!,
          // The VM's claims are replaced under their own names, so its Volumes keep their claims; Stratus owns them, not the KubeVirt VM.
          volumeRestorePolicy: 'InPlace',
          volumeOwnershipPolicy: 'None',
          // Stratus holds the VM stopped until the restore is done.
          targetReadinessPolicy: 'WaitEventually',
        },
      });
      o.progress = { phase: 'Restoring', message: `KubeVirt is restoring VirtualMachine ${name} from Snapshot ${snapshot.metadata.name}` };
      return;
    }
    const st = child.status;
    o.volumes = (st?.restores ?? []).map((r): RestoredVolume => {
      const volume = stratusVolume.get(r.volumeName);
      return { name: r.volumeName, ...(volume ? { volume } : {}), claimName: r.persistentVolumeClaim };
    });
    const failure = st?.conditions?.find((c) => c.type === 'Failure' && c.status === 'True');
    if (failure) o.progress = { phase: 'Failed', message: `KubeVirt: ${failure.reason ?? 'the restore failed'}` };
    else if (st?.complete) {
      o.progress = { phase: 'Succeeded', restoreTime: st.restoreTime ?? conditionTime(o.now), message: `restored ${o.volumes.length} disks of VirtualMachine ${name} from Snapshot ${snapshot.metadata.name}` };
    } else {
      const progressing = st?.conditions?.find((c) => c.type === 'Progressing')?.reason;
      o.progress = { phase: 'Restoring', message: `KubeVirt: ${progressing || 'restoring'}` };
    }
  }

  private async intoNewVm(restore: Restore, snapshot: Snapshot, name: string, o: RestoreObservation): Promise<void> {
    const ns = restore.metadata.namespace;
    o.virtualMachine = name;
    if (!snapshot.spec.source.virtualMachine) {
      return void o.problems.push(stuck(Stuck.InvalidSource, `Snapshot ${snapshot.metadata.name} is of a Volume: make a Volume from it (source.snapshot) instead`));
    }
    const record = recordOf(this.cache.get(VirtualMachineSnapshots, ns, snapshot.metadata.name!));
    if (!record?.virtualMachine) return void o.problems.push(stuck(Stuck.InvalidSource, `Snapshot ${snapshot.metadata.name} has no record of its VM's spec to make a new VM from`));
    const plan = newVmPlan(restore, snapshot, record, name);
    for (const volume of plan.volumes) await this.createOnce(Volumes, restore, volume);
    await this.createOnce(VirtualMachines, restore, plan.virtualMachine);
    o.volumes = [...plan.disks].map(([disk, volume]) => ({ name: disk, volume, claimName: this.cache.get<Volume>(Volumes, ns, volume)?.status?.claimName ?? volume }));
    const pending = plan.volumes.filter((v) => !isTrue(this.cache.get<Volume>(Volumes, ns, v.metadata.name!)?.status?.conditions, 'Ready'));
    o.progress = pending.length
      ? { phase: 'Restoring', message: `restoring ${pending.map((v) => `Volume ${v.metadata.name}`).join(', ')} from Snapshot ${snapshot.metadata.name} for the new VirtualMachine ${name}` }
      : { phase: 'Succeeded', restoreTime: conditionTime(o.now), message: `VirtualMachine ${name} made from Snapshot ${snapshot.metadata.name}, with ${plan.volumes.length} restored Volumes` };
  }

  /** Made once, then the user's: never written again, and never over an object this Restore did not make. */
  private async createOnce(type: ResourceType, restore: Restore, obj: KubeObject): Promise<void> {
    const existing = this.cache.get(type, obj.metadata.namespace, obj.metadata.name!);
    if (existing) {
      if (existing.metadata.annotations?.[restoredByAnnotation] !== restore.metadata.uid) {
        throw new ChildConflictError({ kind: type.kind, name: obj.metadata.name! }, { kind: 'Restore', name: restore.metadata.name! });
      }
      return;
    }
    try {
      await this.client.create(type, obj);
      this.events.event(restore, 'Normal', 'Created', `created ${type.kind} ${obj.metadata.name}`);
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
    }
  }
}
