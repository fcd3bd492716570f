// virt-controller's VirtualMachineSnapshotContent controller: freezes the
// guest's filesystems when its agent is connected (VMI
// status.fsFreezeStatus), makes a CSI VolumeSnapshot per VolumeBackup, thaws
// the guest once every snapshot is cut, and reports their progress and
// errors. A content whose snapshot is gone or given up lets go of its
// finalizer.
import { VolumeSnapshots, type VolumeSnapshot } from '../../contracts/csi-snapshot/index.js';
import {
  KubeVirtVirtualMachineInstances,
  snapshotFinalizers,
  snapshotLabels,
  VirtualMachineSnapshotContents,
  VirtualMachineSnapshots,
  type VirtualMachineInstance,
  type VirtualMachineSnapshot,
  type VirtualMachineSnapshotContent,
  type VolumeBackup,
  type VolumeSnapshotStatus,
} from '../../contracts/kubevirt/index.js';
import { isAlreadyExists } from '../../runtime/client/api-error.js';
import type { Cache } from '../../runtime/cache/cache.js';
import type { Client } from '../../runtime/client/client.js';
import type { Reconciler, Request, Result } from '../../runtime/controller/types.js';
import type { EventRecorder } from '../../runtime/events/recorder.js';
import { controllerReference } from '../../meta/object.js';
import { deepEqual } from '../../util/equality.js';
import { rfc3339 } from '../clock.js';
import { terminating } from './snapshot-reconciler.js';
import { snapshotClassFor } from './snapshot-volumes.js';
import { ignoreGone, patchFinalizers } from '../finalizers.js';

export class VmSnapshotContentReconciler implements Reconciler {
  constructor(
    private readonly client: Client,
    private readonly cache: Cache,
    private readonly events: EventRecorder,
  ) {}

  async reconcile(req: Request): Promise<Result | void> {
    const content = this.cache.get<VirtualMachineSnapshotContent>(VirtualMachineSnapshotContents, req.namespace, req.name);
    if (!content) return;
    const ns = content.metadata.namespace;
    const snap = content.spec.virtualMachineSnapshotName ? this.cache.get<VirtualMachineSnapshot>(VirtualMachineSnapshots, ns, content.spec.virtualMachineSnapshotName) : undefined;
    const vmName = content.spec.source.virtualMachine?.metadata?.name;
    const vmi = vmName ? this.cache.get<VirtualMachineInstance>(KubeVirtVirtualMachineInstances, ns, vmName) : undefined;
    if (!snap || terminating(snap, Date.now())) {
      await this.freeze(vmi, false);
      await patchFinalizers(this.client, VirtualMachineSnapshotContents, content, (content.metadata.finalizers ?? []).filter((f) => f !== snapshotFinalizers.content));
      if (snap && (snap.spec.deletionPolicy !== 'Retain' || content.status?.readyToUse !== true)) return;
    }
    if (content.metadata.deletionTimestamp) return { requeueAfterMs: 5_000 };
    const statuses: VolumeSnapshotStatus[] = [];
    const missing: string[] = [];
    const skipped: string[] = [];
    const created = !!content.status?.creationTime;
    let froze = false;
    for (const backup of content.spec.volumeBackups ?? []) {
      const name = backup.volumeSnapshotName;
      if (!name) continue;
      let vs = this.cache.get<VolumeSnapshot>(VolumeSnapshots, ns, name);
      if (!vs) {
        if (created) {
          this.events.event(content, 'Warning', 'VolumeSnapshotMissing', `VolumeSnapshot ${name} no longer exists`);
          missing.push(name);
          continue;
        }
        if (!snap || snap.metadata.deletionTimestamp) {
          skipped.push(name);
          continue;
        }
        if (!froze) {
          await this.freeze(vmi, true);
          froze = true;
        }
        vs = await this.createVolumeSnapshot(content, backup);
        if (!vs) continue;
      }
      const s: VolumeSnapshotStatus = { volumeSnapshotName: vs.metadata.name! };
      if (vs.status?.readyToUse !== undefined) s.readyToUse = vs.status.readyToUse;
      if (vs.status?.creationTime) s.creationTime = vs.status.creationTime;
      if (vs.status?.error) s.error = vs.status.error;
      statuses.push(s);
    }
    let isCreated = true;
    let ready = true;
    let error = '';
    if (missing.length) {
      isCreated = ready = false;
      error = `VolumeSnapshots (${missing.join(',')}) missing`;
    } else if (skipped.length) {
      isCreated = ready = false;
      error = `VolumeSnapshots (${skipped.join(',')}) skipped because vm snapshot is deleted`;
    } else {
      for (const s of statuses) {
        if (!s.creationTime) isCreated = false;
        if (!s.readyToUse) ready = false;
        if (s.error?.message) {
          error = `VolumeSnapshot ${s.volumeSnapshotName} error: ${s.error.message}`;
          break;
        }
      }
    }
    const status: NonNullable<VirtualMachineSnapshotContent['status']> = { ...(content.status ?? {}), readyToUse: ready, volumeSnapshotStatus: statuses };
    if (isCreated && !status.creationTime) {
      status.creationTime = rfc3339(Date.now());
      await this.freeze(vmi, false);
    }
    if (error && !ready) {
      if (status.error?.message !== error) status.error = { message: error, time: rfc3339(Date.now()) };
    } else if (!error) delete status.error;
    if (deepEqual(content.status, status)) return;
    await this.client
      .patch(VirtualMachineSnapshotContents, ns, content.metadata.name!, { merge: { status: { ...status, error: status.error ?? null } } }, { subresource: 'status' })
      .catch(ignoreGone);
  }

  /** virt-handler freezes and thaws the guest's filesystems through its agent; a guest without one is not frozen. */
  private async freeze(vmi: VirtualMachineInstance | undefined, frozen: boolean): Promise<void> {
    if (!vmi || !vmi.status?.conditions?.some((c) => c.type === 'AgentConnected' && c.status === 'True')) return;
    if ((vmi.status.fsFreezeStatus === 'frozen') === frozen) return;
    await this.client
      .patch(KubeVirtVirtualMachineInstances, vmi.metadata.namespace, vmi.metadata.name!, { merge: { status: { fsFreezeStatus: frozen ? 'frozen' : null } } })
      .catch(ignoreGone);
  }

  private async createVolumeSnapshot(content: VirtualMachineSnapshotContent, backup: VolumeBackup): Promise<VolumeSnapshot | undefined> {
    const cls = snapshotClassFor(this.cache, backup.persistentVolumeClaim.spec?.storageClassName);
    if (!cls) return undefined;
    const vm = content.spec.source.virtualMachine?.metadata;
    const vs: VolumeSnapshot = {
      apiVersion: 'snapshot.storage.k8s.io/v1',
      kind: 'VolumeSnapshot',
      metadata: {
        name: backup.volumeSnapshotName,
        namespace: content.metadata.namespace,
        labels: { [snapshotLabels.sourceVmName]: vm?.name ?? '', [snapshotLabels.sourceVmNamespace]: vm?.namespace ?? content.metadata.namespace! },
        ownerReferences: [controllerReference(content)],
      },
      spec: { source: { persistentVolumeClaimName: backup.persistentVolumeClaim.metadata?.name }, volumeSnapshotClassName: cls.metadata.name },
    };
    try {
      const made = await this.client.create<VolumeSnapshot>(VolumeSnapshots, vs);
      this.events.event(content, 'Normal', 'SuccessfulVolumeSnapshotCreate', `Successfully created VolumeSnapshot ${vs.metadata.name}`);
      return made;
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
      return undefined;
    }
  }
}
