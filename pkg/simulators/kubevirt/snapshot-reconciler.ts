// virt-controller's VirtualMachineSnapshot controller: locks the VM
// (status.snapshotInProgress and a finalizer), makes the
// VirtualMachineSnapshotContent with a VolumeBackup per claim the storage can
// snapshot, and reports the content's progress with KubeVirt's phases,
// conditions and indications; fails once the failure deadline passes;
// unlocks the VM when done. Deleting it deletes the content unless its
// deletionPolicy is Retain.
import type { PersistentVolumeClaim, Pod } from '../../kube/core-types.js';
import { ControllerRevisions, PersistentVolumeClaims, Pods } from '../../kube/resources.js';
import { DataVolumes, type DataVolume } from '../../contracts/cdi/index.js';
import {
  claimNames,
  hasCondition as kubevirtHasCondition,
  KubeVirtVirtualMachineInstances,
  KubeVirtVirtualMachines,
  snapshotFailureDeadlineMs,
  snapshotFinalizers,
  snapshotIndications,
  templateSpecOf,
  VirtualMachineSnapshotContents,
  VirtualMachineSnapshots,
  type VirtualMachine as KubeVirtVirtualMachine,
  type VirtualMachineInstance,
  type VirtualMachineSnapshot,
  type VirtualMachineSnapshotContent,
  type VolumeBackup,
} from '../../contracts/kubevirt/index.js';
import { parseGoDuration } from '../../api/validation/cel/go-time.js';
import { isAlreadyExists } from '../../runtime/client/api-error.js';
import type { Cache } from '../../runtime/cache/cache.js';
import type { Client } from '../../runtime/client/client.js';
import type { Reconciler, Request, Result } from '../../runtime/controller/types.js';
import type { EventRecorder } from '../../runtime/events/recorder.js';
import type { KubeObject } from '../../meta/object.js';
import { deepEqual } from '../../util/equality.js';
import { hasCondition, updateCondition } from './snapshot-conditions.js';
import { snapshotClassFor } from './snapshot-volumes.js';
import { ignoreGone, patchFinalizers } from '../finalizers.js';

const retryMs = 5_000;

const indicationMessages: Record<string, string> = {
  [snapshotIndications.online]: 'Taken while the VM ran; how consistent it is depends on the guest agent quiescing it.',
  [snapshotIndications.guestAgent]: "The guest agent was there and tried to freeze the guest's filesystems for an application-consistent snapshot.",
  [snapshotIndications.noGuestAgent]: 'No guest agent: the snapshot is crash-consistent and may not be application-consistent.',
  [snapshotIndications.paused]: 'Taken while the VM was paused: crash-consistent, and may not be application-consistent.',
};

export function contentNameOf(snap: VirtualMachineSnapshot): string {
  return snap.status?.virtualMachineSnapshotContentName ?? `vmsnapshot-content-${snap.metadata.uid}`;
}

function failed(snap: VirtualMachineSnapshot): boolean {
  return snap.status?.phase === 'Failed';
}

function progressing(snap: VirtualMachineSnapshot): boolean {
  return snap.status?.phase !== 'Failed' && snap.status?.phase !== 'Succeeded';
}

function deadlineMs(snap: VirtualMachineSnapshot): number {
  return snap.spec.failureDeadline ? Number(parseGoDuration(snap.spec.failureDeadline) / 1_000_000n) : snapshotFailureDeadlineMs;
}

function deadlineExceeded(snap: VirtualMachineSnapshot, now: number): boolean {
  if (failed(snap)) return true;
  const deadline = deadlineMs(snap);
  return progressing(snap) && deadline > 0 && now > Date.parse(snap.metadata.creationTimestamp ?? '') + deadline;
}

/** Deleted, or given up (failed, or past its deadline). */
export function terminating(snap: VirtualMachineSnapshot, now: number): boolean {
  return !!snap.metadata.deletionTimestamp || deadlineExceeded(snap, now);
}

function locked(vm: KubeVirtVirtualMachine | undefined, snap: VirtualMachineSnapshot): boolean {
  return !!vm && vm.status?.snapshotInProgress === snap.metadata.name && !!vm.metadata.finalizers?.includes(snapshotFinalizers.source);
}

export class VmSnapshotReconciler implements Reconciler {
  constructor(
    private readonly client: Client,
    private readonly cache: Cache,
    private readonly events: EventRecorder,
  ) {}

  async reconcile(req: Request): Promise<Result | void> {
    const snap = this.cache.get<VirtualMachineSnapshot>(VirtualMachineSnapshots, req.namespace, req.name);
    if (!snap) return;
    const now = Date.now();
    const ns = snap.metadata.namespace;
    const vm = snap.spec.source.kind === 'VirtualMachine' ? this.cache.get<KubeVirtVirtualMachine>(KubeVirtVirtualMachines, ns, snap.spec.source.name) : undefined;
    const vmi = vm ? this.cache.get<VirtualMachineInstance>(KubeVirtVirtualMachineInstances, ns, vm.metadata.name!) : undefined;
    const content = this.cache.get<VirtualMachineSnapshotContent>(VirtualMachineSnapshotContents, ns, contentNameOf(snap));
    const deleting = !!snap.metadata.deletionTimestamp;
    const givenUp = terminating(snap, now);
    if (!givenUp && !snap.metadata.finalizers?.includes(snapshotFinalizers.snapshot)) {
      await patchFinalizers(this.client, VirtualMachineSnapshots, snap, [...(snap.metadata.finalizers ?? []), snapshotFinalizers.snapshot]);
      return;
    }
    let lockMessage = locked(vm, snap) ? 'Source locked and operation in progress' : 'Source not locked';
    let retry: number | undefined;
    if (snap.status && vm) {
      if (progressing(snap) && !givenUp) {
        if (!locked(vm, snap)) {
          lockMessage = await this.lock(vm, vmi, snap, lockMessage);
          retry = retryMs;
        } else if (!content) await this.createContent(snap, vm, vmi);
      } else {
        // Unlocked once done, or once a snapshot given up has lost the content it should not keep.
        const contentGoneIfNeeded = !content || !(this.deletesContent(snap) || content.status?.readyToUse !== true);
        if (!progressing(snap) || (givenUp && contentGoneIfNeeded)) await this.unlock(vm, snap);
      }
    }
    if (givenUp && content && !content.metadata.deletionTimestamp && (this.deletesContent(snap) || content.status?.readyToUse !== true)) {
      await this.client.delete(VirtualMachineSnapshotContents, ns, content.metadata.name!, { preconditions: { uid: content.metadata.uid } }).catch(ignoreGone);
    }
    await this.writeStatus(snap, vm, vmi, content, lockMessage, now);
    if (deleting && !locked(vm, snap)) {
      await patchFinalizers(this.client, VirtualMachineSnapshots, snap, (snap.metadata.finalizers ?? []).filter((f) => f !== snapshotFinalizers.snapshot));
    }
    if (retry !== undefined) return { requeueAfterMs: retry };
    const left = Date.parse(snap.metadata.creationTimestamp ?? '') + deadlineMs(snap) - now;
    return progressing(snap) && left > 0 ? { requeueAfterMs: left } : undefined;
  }

  private deletesContent(snap: VirtualMachineSnapshot): boolean {
    return snap.spec.deletionPolicy !== 'Retain';
  }

  /** Locks the VM for this snapshot, or says why it cannot yet. */
  private async lock(vm: KubeVirtVirtualMachine, vmi: VirtualMachineInstance | undefined, snap: VirtualMachineSnapshot, message: string): Promise<string> {
    const ns = vm.metadata.namespace;
    const claims = claimNames(templateSpecOf(vm));
    for (const name of claims) {
      const claim = this.cache.get<PersistentVolumeClaim>(PersistentVolumeClaims, ns, name);
      const dv = this.cache.get<DataVolume>(DataVolumes, ns, name);
      const problem = !claim
        ? 'volume doesnt exist'
        : claim.metadata.deletionTimestamp
          ? 'volume is being deleted'
          : claim.status?.phase !== 'Bound'
            ? 'volume not bound'
            : dv && dv.status?.phase !== 'Succeeded'
              ? 'volume not populated'
              : undefined;
      if (problem) return `${message} source ${ns}/${vm.metadata.name} ${problem}: ${name}`;
    }
    if (!vmi) {
      const users = this.cache
        .list<Pod>(Pods, { namespace: ns })
        .filter((p) => !p.metadata.deletionTimestamp && (p.spec.volumes ?? []).some((v) => v.persistentVolumeClaim && claims.includes(v.persistentVolumeClaim.claimName)));
      if (users.length) return `${message} source is offline but ${users.length} pods using PVCs [${claims.join(' ')}]`;
    }
    const other = vm.status?.snapshotInProgress;
    if (other && other !== snap.metadata.name) return `${message} snapshot "${other}" in progress`;
    if (!other) {
      await this.client.patch(KubeVirtVirtualMachines, ns, vm.metadata.name!, { merge: { status: { snapshotInProgress: snap.metadata.name } } }, { subresource: 'status' }).catch(ignoreGone);
    }
    if (!vm.metadata.finalizers?.includes(snapshotFinalizers.source)) {
      await patchFinalizers(this.client, KubeVirtVirtualMachines, vm, [...(vm.metadata.finalizers ?? []), snapshotFinalizers.source]);
    }
    return 'Source locked and operation in progress';
  }

  private async unlock(vm: KubeVirtVirtualMachine, snap: VirtualMachineSnapshot): Promise<void> {
    if (vm.status?.snapshotInProgress !== snap.metadata.name) return;
    await patchFinalizers(this.client, KubeVirtVirtualMachines, vm, (vm.metadata.finalizers ?? []).filter((f) => f !== snapshotFinalizers.source));
    await this.client.patch(KubeVirtVirtualMachines, vm.metadata.namespace, vm.metadata.name!, { merge: { status: { snapshotInProgress: null } } }, { subresource: 'status' }).catch(ignoreGone);
  }

  /** The spec the VM runs with: a running VM's started revision (with its current disks), a stopped VM's spec. */
  private sourceSpec(vm: KubeVirtVirtualMachine, vmi: VirtualMachineInstance | undefined): KubeVirtVirtualMachine['spec'] {
    const revision = vmi?.status?.virtualMachineRevisionName;
    const started = revision ? this.cache.get<KubeObject & { data?: { spec?: KubeVirtVirtualMachine['spec'] } }>(ControllerRevisions, vm.metadata.namespace, revision)?.data?.spec : undefined;
    if (!started) return structuredClone(vm.spec);
    const spec = structuredClone(started);
    const template = templateSpecOf(vm);
    if (spec.template.spec) {
      spec.template.spec.volumes = structuredClone(template.volumes);
      spec.template.spec.domain.devices.disks = structuredClone(template.domain.devices.disks);
    }
    spec.dataVolumeTemplates = structuredClone(vm.spec.dataVolumeTemplates);
    return spec;
  }

  private async createContent(snap: VirtualMachineSnapshot, vm: KubeVirtVirtualMachine, vmi: VirtualMachineInstance | undefined): Promise<void> {
    const ns = vm.metadata.namespace;
    const volumeBackups: VolumeBackup[] = [];
    for (const volume of templateSpecOf(vm).volumes ?? []) {
      const claimName = volume.persistentVolumeClaim?.claimName ?? volume.dataVolume?.name;
      if (!claimName) continue;
      const claim = this.cache.get<PersistentVolumeClaim>(PersistentVolumeClaims, ns, claimName);
      if (!claim || claim.status?.phase !== 'Bound' || !snapshotClassFor(this.cache, claim.spec.storageClassName)) continue;
      const { managedFields: _, ...metadata } = claim.metadata;
      volumeBackups.push({
        volumeName: volume.name,
        persistentVolumeClaim: { metadata, spec: structuredClone(claim.spec) },
        volumeSnapshotName: `vmsnapshot-${snap.metadata.uid}-volume-${volume.name}`,
      });
    }
    const { managedFields: _, ...vmMetadata } = vm.metadata;
    const content: VirtualMachineSnapshotContent = {
      apiVersion: 'snapshot.kubevirt.io/v1beta1',
      kind: 'VirtualMachineSnapshotContent',
      metadata: { name: contentNameOf(snap), namespace: ns, finalizers: [snapshotFinalizers.content] },
      spec: { virtualMachineSnapshotName: snap.metadata.name, source: { virtualMachine: { metadata: vmMetadata, spec: this.sourceSpec(vm, vmi) } }, volumeBackups },
    };
    try {
      await this.client.create(VirtualMachineSnapshotContents, content);
      this.events.event(snap, 'Normal', 'SuccessfulVirtualMachineSnapshotContentCreate', `Successfully created VirtualMachineSnapshotContent ${content.metadata.name}`);
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
    }
  }

  private async writeStatus(
    snap: VirtualMachineSnapshot,
    vm: KubeVirtVirtualMachine | undefined,
    vmi: VirtualMachineInstance | undefined,
    content: VirtualMachineSnapshotContent | undefined,
    lockMessage: string,
    now: number,
  ): Promise<void> {
    const st: NonNullable<VirtualMachineSnapshot['status']> = structuredClone(snap.status ?? { readyToUse: false });
    if (vm) st.sourceUID = vm.metadata.uid;
    if (content?.status) {
      st.virtualMachineSnapshotContentName = content.metadata.name;
      if (content.status.creationTime) st.creationTime = content.status.creationTime;
      st.readyToUse = content.status.readyToUse ?? false;
      if (content.status.error) st.error = content.status.error;
      else delete st.error;
    }
    let c = st.conditions;
    if (deadlineExceeded({ ...snap, status: st }, now)) {
      st.phase = 'Failed';
      c = updateCondition(c, 'Failure', true, 'snapshot deadline exceeded', now);
      c = updateCondition(c, 'Progressing', false, 'Operation failed', now);
    } else if (st.phase === 'Succeeded' || st.creationTime) {
      st.phase = 'Succeeded';
      c = updateCondition(c, 'Progressing', false, 'Operation complete', now);
      if (content) {
        const included = (content.spec.volumeBackups ?? []).map((b) => b.volumeName);
        const all = (content.spec.source.virtualMachine?.spec?.template.spec?.volumes ?? []).map((v) => v.name);
        st.snapshotVolumes = { includedVolumes: included, excludedVolumes: all.filter((v) => !included.includes(v)) };
      }
    } else {
      st.phase = 'InProgress';
      if (vm) {
        c = updateCondition(c, 'Progressing', locked(vm, snap) || lockMessage.startsWith('Source locked'), lockMessage, now);
        this.indications(st, vmi);
      } else c = updateCondition(c, 'Progressing', false, 'Source does not exist', now);
      if (snap.metadata.deletionTimestamp) {
        st.phase = 'Deleting';
        c = updateCondition(c, 'Progressing', false, 'VM snapshot is deleting', now);
      }
    }
    c = updateCondition(c, 'Ready', st.readyToUse === true, st.readyToUse ? 'Ready' : 'Not ready', now);
    if (st.error) c = updateCondition(c, 'Progressing', false, 'In error state', now);
    st.conditions = c;
    if (deepEqual(snap.status, st)) return;
    await this.client
      .patch(VirtualMachineSnapshots, snap.metadata.namespace, snap.metadata.name!, { merge: { status: { ...st, error: st.error ?? null } } }, { subresource: 'status' })
      .catch(ignoreGone);
    if (snap.status?.phase !== st.phase && st.phase === 'Failed' && !hasCondition(snap.status?.conditions, 'Failure')) {
      this.events.event(snap, 'Warning', 'VirtualMachineSnapshotFailed', 'snapshot deadline exceeded');
    }
  }

  private indications(st: NonNullable<VirtualMachineSnapshot['status']>, vmi: VirtualMachineInstance | undefined): void {
    if (!vmi) {
      delete st.indications;
      delete st.sourceIndications;
      return;
    }
    const set = new Set(st.indications ?? []);
    set.add(snapshotIndications.online);
    if (kubevirtHasCondition(vmi, 'Paused')) set.add(snapshotIndications.paused);
    else if (vmi.status?.conditions?.some((cond) => cond.type === 'AgentConnected')) set.add(snapshotIndications.guestAgent);
    else set.add(snapshotIndications.noGuestAgent);
    const list = [...set].sort();
    st.indications = list;
    st.sourceIndications = list.map((indication) => ({ indication, message: indicationMessages[indication] ?? 'Unknown indication' }));
  }
}
