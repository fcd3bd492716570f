// virt-controller's VirtualMachineRestore controller: once the target VM is
// stopped (as its targetReadinessPolicy says), marks it restoreInProgress,
// makes a claim per VolumeBackup from its VolumeSnapshot (in place: deleting
// the old claim first, its DataVolume told the claim is coming back), puts
// the snapshot's VM spec on the target (keeping its run strategy), and
// completes; conditions and events as KubeVirt reports them.
import type { PersistentVolumeClaim } from '../../kube/core-types.js';
import { PersistentVolumeClaims } from '../../kube/resources.js';
import { parseQuantity } from '../../kube/quantity.js';
import { DataVolumes, populationAnnotations, type DataVolume } from '../../contracts/cdi/index.js';
import { snapshotGroup, VolumeSnapshots, type VolumeSnapshot } from '../../contracts/csi-snapshot/index.js';
import {
  KubeVirtVirtualMachineInstances,
  KubeVirtVirtualMachines,
  restoreAnnotations,
  restoreGracePeriodMs,
  snapshotFinalizers,
  snapshotLabels,
  VirtualMachineRestores,
  VirtualMachineSnapshotContents,
  VirtualMachineSnapshots,
  type VirtualMachine as KubeVirtVirtualMachine,
  type VirtualMachineRestore,
  type VirtualMachineSnapshot,
  type VirtualMachineSnapshotContent,
  type VolumeBackup,
  type VolumeRestore,
} from '../../contracts/kubevirt/index.js';
import type { Cache } from '../../runtime/cache/cache.js';
import type { Client } from '../../runtime/client/client.js';
import type { Reconciler, Request, Result } from '../../runtime/controller/types.js';
import type { EventRecorder } from '../../runtime/events/recorder.js';
import { controllerReference, type KubeObject } from '../../meta/object.js';
import { deepEqual } from '../../util/equality.js';
import { rfc3339 } from '../clock.js';
import { hasCondition, updateCondition } from './snapshot-conditions.js';
import { ignoreGone, patchFinalizers } from '../finalizers.js';

type RestoreStatus = NonNullable<VirtualMachineRestore['status']>;

const waitEventually = 'Waiting for target VM to be powered off. Please stop the restore target to proceed with restore';
const waitGracePeriod = `Waiting for target VM to be powered off. Please stop the restore target to proceed with restore, or the operation will fail after 5m0s`;
const gracePeriodExceeded = 'Restore target failed to be ready within 5m0s. Please power off the target VM before attempting restore';
/** Annotations a restored claim does not carry over from the one it replaces. */
const droppedAnnotationPrefixes = ['pv.kubernetes.io', 'volume.beta.kubernetes.io', 'cdi.kubevirt.io', 'volume.kubernetes.io', 'k8s.io/CloneRequest', 'k8s.io/CloneOf'];

class RestoreError extends Error {}

function restoreMark(restore: VirtualMachineRestore): string {
  return `${restore.metadata.name}-${restore.metadata.uid}`;
}

function restored(restore: VirtualMachineRestore, obj: KubeObject | undefined): boolean {
  return obj?.metadata.annotations?.[restoreAnnotations.lastRestoreUID] === restoreMark(restore);
}

function progressing(restore: VirtualMachineRestore): boolean {
  return !restore.status?.complete && !hasCondition(restore.status?.conditions, 'Failure');
}

function inPlace(restore: VirtualMachineRestore): boolean {
  return restore.spec.volumeRestorePolicy === 'InPlace';
}

function claimNameFor(restore: VirtualMachineRestore, backup: VolumeBackup): string {
  const override = restore.spec.volumeRestoreOverrides?.find((o) => o.volumeName === backup.volumeName && o.restoreName)?.restoreName;
  if (override) return override;
  if (inPlace(restore)) return backup.persistentVolumeClaim.metadata?.name ?? backup.volumeName;
  if (restore.spec.volumeRestorePolicy === 'PrefixTargetName') return `${restore.spec.target.name}-${backup.volumeName}`;
  return `restore-${restore.metadata.uid}-${backup.volumeName}`;
}

export class VmRestoreReconciler implements Reconciler {
  constructor(
    private readonly client: Client,
    private readonly cache: Cache,
    private readonly events: EventRecorder,
  ) {}

  async reconcile(req: Request): Promise<Result | void> {
    const restore = this.cache.get<VirtualMachineRestore>(VirtualMachineRestores, req.namespace, req.name);
    if (!restore) return;
    const now = Date.now();
    if (!restore.status) {
      let conditions = updateCondition(undefined, 'Progressing', true, 'Initializing VirtualMachineRestore', now);
      conditions = updateCondition(conditions, 'Ready', false, 'Initializing VirtualMachineRestore', now);
      return this.writeStatus(restore, { complete: false, conditions });
    }
    const ns = restore.metadata.namespace;
    const vm = restore.spec.target.kind === 'VirtualMachine' ? this.cache.get<KubeVirtVirtualMachine>(KubeVirtVirtualMachines, ns, restore.spec.target.name) : undefined;
    if (restore.metadata.deletionTimestamp) return this.finish(restore, vm, now);
    if (!progressing(restore)) return;
    const finalizers = restore.metadata.finalizers ?? [];
    if (!finalizers.includes(snapshotFinalizers.restore) || (vm && !restore.metadata.ownerReferences?.length)) {
      await this.client
        .patch(VirtualMachineRestores, ns, restore.metadata.name!, { merge: {
          metadata: {
            resourceVersion: restore.metadata.resourceVersion,
            finalizers: [...new Set([...finalizers, snapshotFinalizers.restore])],
            ...(vm && !restore.metadata.ownerReferences?.length ? { ownerReferences: [controllerReference(vm)] } : {}),
          },
        } })
        .catch(ignoreGone);
      return;
    }
    if (vm && this.cache.get(KubeVirtVirtualMachineInstances, ns, vm.metadata.name!)) return this.targetNotReady(restore, vm, now);
    try {
      const { snapshot, content } = this.snapshotOf(restore);
      if (vm && !restored(restore, vm) && snapshot.status?.sourceUID && vm.metadata.uid !== snapshot.status.sourceUID) {
        throw new RestoreError('restore source and restore target are different but restore target already exists');
      }
      if (vm && !restored(restore, vm)) {
        const other = vm.status?.restoreInProgress;
        if (other && other !== restore.metadata.name) throw new RestoreError(`vm restore ${other} in progress`);
        if (!other) await this.client.patch(KubeVirtVirtualMachines, ns, vm.metadata.name!, { merge: { status: { restoreInProgress: restore.metadata.name } } }, { subresource: 'status' });
      }
      if (await this.restoreVolumes(restore, vm, content, now)) return { requeueAfterMs: 1_000 };
      if (await this.restoreTarget(restore, vm, content, now)) return { requeueAfterMs: 1_000 };
    } catch (err) {
      if (!(err instanceof RestoreError)) throw err;
      return this.failWith(restore, err.message, false, now);
    }
    return this.finish(restore, vm, now);
  }

  private snapshotOf(restore: VirtualMachineRestore): { snapshot: VirtualMachineSnapshot; content: VirtualMachineSnapshotContent } {
    const key = `${restore.metadata.namespace}/${restore.spec.virtualMachineSnapshotName}`;
    const snapshot = this.cache.get<VirtualMachineSnapshot>(VirtualMachineSnapshots, restore.metadata.namespace, restore.spec.virtualMachineSnapshotName);
    if (!snapshot) throw new RestoreError(`VMSnapshot ${key} does not exist`);
    if (snapshot.status?.phase === 'Failed') throw new RestoreError(`VMSnapshot ${key} failed and is invalid to use`);
    if (snapshot.status?.readyToUse !== true) throw new RestoreError(`VMSnapshot ${key} not ready`);
    const contentName = snapshot.status.virtualMachineSnapshotContentName;
    if (!contentName) throw new RestoreError(`no snapshot content name in ${key}`);
    const content = this.cache.get<VirtualMachineSnapshotContent>(VirtualMachineSnapshotContents, restore.metadata.namespace, contentName);
    if (!content) throw new RestoreError(`VMSnapshotContent ${restore.metadata.namespace}/${contentName} does not exist`);
    if (content.status?.readyToUse !== true) throw new RestoreError(`VMSnapshotContent ${restore.metadata.namespace}/${contentName} not ready`);
    return { snapshot, content };
  }

  private async targetNotReady(restore: VirtualMachineRestore, vm: KubeVirtVirtualMachine, now: number): Promise<Result | void> {
    const policy = restore.spec.targetReadinessPolicy ?? 'WaitGracePeriod';
    if (policy === 'FailImmediate') return this.failWith(restore, 'Restore target VMI must be powered off before restore operation', true, now);
    if (policy === 'StopTarget') {
      await this.client.patch(KubeVirtVirtualMachines, vm.metadata.namespace, vm.metadata.name!, { merge: { spec: { runStrategy: 'Halted' } } }).catch(ignoreGone);
      return this.progress(restore, 'Automatically stopping restore target for restore operation', now);
    }
    if (policy === 'WaitGracePeriod') {
      const left = Date.parse(restore.metadata.creationTimestamp ?? '') + restoreGracePeriodMs - now;
      if (left < 0) return this.failWith(restore, gracePeriodExceeded, true, now);
      await this.progress(restore, waitGracePeriod, now);
      return { requeueAfterMs: left };
    }
    return this.progress(restore, waitEventually, now);
  }

  /** Each backup's claim, made from its VolumeSnapshot; true while one is being made or replaced. */
  private async restoreVolumes(restore: VirtualMachineRestore, vm: KubeVirtVirtualMachine | undefined, content: VirtualMachineSnapshotContent, now: number): Promise<boolean> {
    const ns = restore.metadata.namespace;
    const existing = restore.status?.restores ?? [];
    const restores: VolumeRestore[] = (content.spec.volumeBackups ?? []).map(
      (b) => existing.find((r) => r.volumeName === b.volumeName) ?? { volumeName: b.volumeName, persistentVolumeClaim: claimNameFor(restore, b), volumeSnapshotName: b.volumeSnapshotName! },
    );
    let busy = false;
    for (const r of restores) {
      const backup = content.spec.volumeBackups!.find((b) => b.volumeName === r.volumeName)!;
      const claim = this.cache.get<PersistentVolumeClaim>(PersistentVolumeClaims, ns, r.persistentVolumeClaim);
      if (!claim) {
        await this.createClaim(restore, vm, backup, r, content);
        busy = true;
      } else if (inPlace(restore) && !restored(restore, claim)) {
        const owner = claim.metadata.ownerReferences?.find((o) => o.controller && o.kind === 'DataVolume')?.name;
        if (owner && !r.dataVolumeName) r.dataVolumeName = owner;
        else {
          if (owner) await this.prepopulate(restore, owner);
          await this.client.delete(PersistentVolumeClaims, ns, claim.metadata.name!, { preconditions: { uid: claim.metadata.uid } }).catch(ignoreGone);
        }
        busy = true;
      } else if (claim.status?.phase !== 'Bound') busy = true;
    }
    if (!deepEqual(existing, restores)) {
      let conditions = updateCondition(restore.status?.conditions, 'Progressing', true, 'Creating new PVCs', now);
      conditions = updateCondition(conditions, 'Ready', false, 'Waiting for new PVCs', now);
      await this.writeStatus(restore, { ...restore.status, restores, conditions });
      return true;
    }
    if (busy) await this.progress(restore, 'Creating new PVCs', now, 'Waiting for new PVCs');
    return busy;
  }

  private async prepopulate(restore: VirtualMachineRestore, dataVolume: string): Promise<void> {
    const dv = this.cache.get<DataVolume>(DataVolumes, restore.metadata.namespace, dataVolume);
    if (!dv || dv.metadata.annotations?.[populationAnnotations.prePopulated] !== undefined) return;
    await this.client
      .patch(DataVolumes, restore.metadata.namespace, dataVolume, { merge: { metadata: { annotations: { [restoreAnnotations.name]: restore.metadata.name!, [populationAnnotations.prePopulated]: dataVolume } } } })
      .catch(ignoreGone);
  }

  private async createClaim(restore: VirtualMachineRestore, vm: KubeVirtVirtualMachine | undefined, backup: VolumeBackup, r: VolumeRestore, content: VirtualMachineSnapshotContent): Promise<void> {
    const ns = restore.metadata.namespace;
    const vs = this.cache.get<VolumeSnapshot>(VolumeSnapshots, ns, r.volumeSnapshotName);
    if (!vs) throw new RestoreError(`missing volumeSnapshot ${r.volumeSnapshotName}`);
    const source = backup.persistentVolumeClaim;
    const annotations = Object.fromEntries(
      Object.entries(source.metadata?.annotations ?? {}).filter(([k]) => k === 'cdi.kubevirt.io/storage.contentType' || !droppedAnnotationPrefixes.some((p) => k.startsWith(p))),
    );
    annotations[restoreAnnotations.name] = restore.metadata.name!;
    annotations[restoreAnnotations.lastRestoreUID] = restoreMark(restore);
    if (r.dataVolumeName) annotations[populationAnnotations.populatedFor] = r.dataVolumeName;
    const sourceVm = content.spec.source.virtualMachine?.metadata;
    const requests = { ...(source.spec?.resources?.requests ?? {}) };
    const restoreSize = vs.status?.restoreSize;
    if (restoreSize !== undefined && parseQuantity(String(requests.storage ?? '0')) < parseQuantity(String(restoreSize))) requests.storage = String(restoreSize);
    const ref = { apiGroup: snapshotGroup, kind: 'VolumeSnapshot', name: r.volumeSnapshotName };
    const claim: PersistentVolumeClaim = {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: {
        name: r.persistentVolumeClaim,
        namespace: ns,
        labels: { ...(source.metadata?.labels ?? {}), [snapshotLabels.restoreSourceVmName]: sourceVm?.name ?? '', [snapshotLabels.restoreSourceVmNamespace]: sourceVm?.namespace ?? ns! },
        annotations,
        ...(!r.dataVolumeName && restore.spec.volumeOwnershipPolicy !== 'None' && vm ? { ownerReferences: [controllerReference(vm)] } : {}),
      },
      spec: {
        accessModes: source.spec?.accessModes,
        resources: { requests: Object.fromEntries(Object.entries(requests).map(([k, v]) => [k, String(v)])) },
        ...(source.spec?.storageClassName ? { storageClassName: source.spec.storageClassName } : {}),
        ...(source.spec?.volumeMode === 'Block' || source.spec?.volumeMode === 'Filesystem' ? { volumeMode: source.spec.volumeMode } : {}),
        dataSource: ref,
        dataSourceRef: ref,
      },
    };
    await this.client.create(PersistentVolumeClaims, claim);
  }

  /** The snapshot's VM spec on the target, with the restored claims; true while that is being done. */
  private async restoreTarget(restore: VirtualMachineRestore, vm: KubeVirtVirtualMachine | undefined, content: VirtualMachineSnapshotContent, now: number): Promise<boolean> {
    if (vm && restored(restore, vm)) return false;
    const snapshotVm = content.spec.source.virtualMachine;
    if (!snapshotVm?.spec) throw new RestoreError('unexpected snapshot source');
    const spec = structuredClone(snapshotVm.spec);
    const claims = new Map((restore.status?.restores ?? []).map((r) => [r.volumeName, r]));
    for (const v of spec.template.spec?.volumes ?? []) {
      const r = claims.get(v.name);
      if (!r) continue;
      if (v.persistentVolumeClaim) v.persistentVolumeClaim.claimName = r.persistentVolumeClaim;
      else if (v.dataVolume) {
        const template = spec.dataVolumeTemplates?.find((t) => t?.metadata?.name === v.dataVolume!.name);
        if (template?.metadata && r.dataVolumeName) template.metadata.name = r.dataVolumeName;
        v.dataVolume.name = r.dataVolumeName ?? r.persistentVolumeClaim;
      }
    }
    for (const t of spec.dataVolumeTemplates ?? []) {
      const dv = this.cache.get<DataVolume>(DataVolumes, restore.metadata.namespace, t?.metadata?.name ?? '');
      if (!dv) throw new RestoreError(`DataVolume ${t?.metadata?.name} of the restored VM is not simulated: only InPlace restores of a VM's own DataVolumes are`);
      if (dv.status?.phase !== 'Succeeded') {
        await this.progress(restore, 'Updating target spec', now, 'Waiting for target update');
        return true;
      }
    }
    const mark = { [restoreAnnotations.lastRestoreUID]: restoreMark(restore) };
    if (vm) {
      spec.runStrategy = vm.spec.runStrategy;
      await this.client.update(KubeVirtVirtualMachines, { ...vm, metadata: { ...vm.metadata, annotations: { ...(vm.metadata.annotations ?? {}), ...mark } }, spec });
    } else {
      await this.client.create(KubeVirtVirtualMachines, {
        apiVersion: 'kubevirt.io/v1',
        kind: 'VirtualMachine',
        metadata: { name: restore.spec.target.name, namespace: restore.metadata.namespace, labels: snapshotVm.metadata?.labels, annotations: { ...(snapshotVm.metadata?.annotations ?? {}), ...mark } },
        spec: { ...spec, runStrategy: 'Halted' },
      });
    }
    await this.progress(restore, 'Updating target spec', now, 'Waiting for target update');
    return true;
  }

  /** Done (or deleted): the target no longer restoring; a deleted restore lets go of its finalizer. */
  private async finish(restore: VirtualMachineRestore, vm: KubeVirtVirtualMachine | undefined, now: number): Promise<void> {
    if (vm && vm.status?.restoreInProgress === restore.metadata.name) {
      await this.client.patch(KubeVirtVirtualMachines, vm.metadata.namespace, vm.metadata.name!, { merge: { status: { restoreInProgress: null } } }, { subresource: 'status' }).catch(ignoreGone);
    }
    if (restore.metadata.deletionTimestamp) {
      await patchFinalizers(this.client, VirtualMachineRestores, restore, (restore.metadata.finalizers ?? []).filter((f) => f !== snapshotFinalizers.restore));
      return;
    }
    let conditions = updateCondition(restore.status?.conditions, 'Progressing', false, 'Operation complete', now);
    conditions = updateCondition(conditions, 'Ready', true, 'Operation complete', now);
    await this.writeStatus(restore, { ...restore.status, complete: true, restoreTime: rfc3339(now), conditions });
    this.events.event(restore, 'Normal', 'VirtualMachineRestoreComplete', `Successfully completed VirtualMachineRestore ${restore.metadata.name}`);
  }

  private async progress(restore: VirtualMachineRestore, reason: string, now: number, readyReason = reason): Promise<void> {
    const working = !reason.startsWith('Waiting for target VM');
    let conditions = updateCondition(restore.status?.conditions, 'Progressing', working, reason, now);
    conditions = updateCondition(conditions, 'Ready', false, readyReason, now);
    if (!working && !deepEqual(conditions, restore.status?.conditions)) this.events.event(restore, 'Warning', 'RestoreTargetNotReady', 'Restore target VMI still exists, please stop the restore target to proceed with restore');
    await this.writeStatus(restore, { ...restore.status, conditions });
  }

  private async failWith(restore: VirtualMachineRestore, message: string, fail: boolean, now: number): Promise<Result | void> {
    let conditions = updateCondition(restore.status?.conditions, 'Progressing', false, message, now);
    conditions = updateCondition(conditions, 'Ready', false, message, now);
    if (fail) conditions = updateCondition(conditions, 'Failure', true, message, now);
    if (!deepEqual(conditions, restore.status?.conditions)) {
      this.events.event(restore, 'Warning', 'VirtualMachineRestoreError', fail ? `VirtualMachineRestore failed ${message}` : `VirtualMachineRestore encountered error ${message}`);
    }
    await this.writeStatus(restore, { ...restore.status, conditions });
    return fail ? undefined : { requeueAfterMs: 5_000 };
  }

  private async writeStatus(restore: VirtualMachineRestore, status: RestoreStatus): Promise<void> {
    if (deepEqual(restore.status, status)) return;
    await this.client.patch(VirtualMachineRestores, restore.metadata.namespace, restore.metadata.name!, { merge: { status } }, { subresource: 'status' }).catch(ignoreGone);
  }
}
