// The CSI snapshot controller (external-snapshotter's common controller): a
// VolumeSnapshot of a claim gets a VolumeSnapshotContent for the driver of
// the claim's volume, its finalizers, and the content's status mirrored back;
// deleting it deletes the content under deletionPolicy Delete.
import type { PersistentVolume, PersistentVolumeClaim } from '../../kube/core-types.js';
import { PersistentVolumeClaims, PersistentVolumes } from '../../kube/resources.js';
import { formatBytes } from '../../kube/quantity.js';
import {
  defaultSnapshotClass,
  snapshotGroup,
  snapshotterFinalizers,
  VolumeSnapshotClasses,
  VolumeSnapshotContents,
  VolumeSnapshots,
  type VolumeSnapshot,
  type VolumeSnapshotClass,
  type VolumeSnapshotContent,
} from '../../contracts/csi-snapshot/index.js';
import { isAlreadyExists } from '../../runtime/client/api-error.js';
import type { Cache } from '../../runtime/cache/cache.js';
import type { Client } from '../../runtime/client/client.js';
import type { Reconciler, Request, Result } from '../../runtime/controller/types.js';
import type { EventRecorder } from '../../runtime/events/recorder.js';
import { deepEqual } from '../../util/equality.js';
import { rfc3339 } from '../clock.js';
import { ignoreGone, patchFinalizers } from '../finalizers.js';

export function contentName(vs: VolumeSnapshot): string {
  return `snapcontent-${vs.metadata.uid}`;
}

const retryMs = 2_000;

export class SnapshotControllerReconciler implements Reconciler {
  constructor(
    private readonly client: Client,
    private readonly cache: Cache,
    private readonly events: EventRecorder,
  ) {}

  async reconcile(req: Request): Promise<Result | void> {
    const vs = this.cache.get<VolumeSnapshot>(VolumeSnapshots, req.namespace, req.name);
    if (!vs) return;
    const content = this.cache.get<VolumeSnapshotContent>(VolumeSnapshotContents, undefined, vs.status?.boundVolumeSnapshotContentName ?? contentName(vs));
    if (vs.metadata.deletionTimestamp) return this.delete(vs, content);
    const claimName = vs.spec.source.persistentVolumeClaimName;
    if (!claimName) return; // pre-provisioned snapshots are not simulated
    const claim = this.cache.get<PersistentVolumeClaim>(PersistentVolumeClaims, vs.metadata.namespace, claimName);
    const pv = claim?.spec.volumeName ? this.cache.get<PersistentVolume>(PersistentVolumes, undefined, claim.spec.volumeName) : undefined;
    if (!content) {
      if (!claim || claim.status?.phase !== 'Bound' || !pv?.spec.csi) {
        this.events.event(vs, 'Normal', 'SnapshotPending', `Waiting for the claim ${claimName} to be bound before taking the snapshot`);
        return { requeueAfterMs: retryMs };
      }
      const cls = this.snapshotClass(vs, pv.spec.csi.driver);
      if (!cls) {
        await this.writeStatus(vs, { readyToUse: false, error: { message: `Failed to set default snapshot class with error cannot find default snapshot class for driver ${pv.spec.csi.driver}`, time: rfc3339(Date.now()) } });
        return { requeueAfterMs: retryMs };
      }
      await patchFinalizers(this.client, VolumeSnapshots, vs, [...new Set([...(vs.metadata.finalizers ?? []), snapshotterFinalizers.asSource, snapshotterFinalizers.bound])]);
      await patchFinalizers(this.client, PersistentVolumeClaims, claim, [...new Set([...(claim.metadata.finalizers ?? []), snapshotterFinalizers.claimAsSource])]);
      await this.createContent(vs, cls, pv);
      return;
    }
    const ready = content.status?.readyToUse === true;
    const status: NonNullable<VolumeSnapshot['status']> = { boundVolumeSnapshotContentName: content.metadata.name, readyToUse: ready };
    if (content.status?.creationTime !== undefined) status.creationTime = rfc3339(content.status.creationTime / 1e6);
    if (content.status?.restoreSize !== undefined) status.restoreSize = formatBytes(content.status.restoreSize);
    if (content.status?.error) status.error = content.status.error;
    await this.writeStatus(vs, status);
    // The claim is protected only while the snapshot is being cut.
    if (claim && (content.status?.creationTime !== undefined || content.status?.error)) {
      await patchFinalizers(this.client, PersistentVolumeClaims, claim, (claim.metadata.finalizers ?? []).filter((f) => f !== snapshotterFinalizers.claimAsSource));
    }
  }

  private snapshotClass(vs: VolumeSnapshot, driver: string): VolumeSnapshotClass | undefined {
    const named = vs.spec.volumeSnapshotClassName;
    if (named) return this.cache.get<VolumeSnapshotClass>(VolumeSnapshotClasses, undefined, named);
    return defaultSnapshotClass(this.cache.list<VolumeSnapshotClass>(VolumeSnapshotClasses), driver);
  }

  private async createContent(vs: VolumeSnapshot, cls: VolumeSnapshotClass, pv: PersistentVolume): Promise<void> {
    const content: VolumeSnapshotContent = {
      apiVersion: `${snapshotGroup}/v1`,
      kind: 'VolumeSnapshotContent',
      metadata: { name: contentName(vs) },
      spec: {
        deletionPolicy: cls.deletionPolicy,
        driver: cls.driver,
        source: { volumeHandle: pv.spec.csi!.volumeHandle },
        sourceVolumeMode: pv.spec.volumeMode ?? 'Filesystem',
        volumeSnapshotClassName: cls.metadata.name,
        volumeSnapshotRef: { apiVersion: `${snapshotGroup}/v1`, kind: 'VolumeSnapshot', name: vs.metadata.name, namespace: vs.metadata.namespace, uid: vs.metadata.uid },
      },
    };
    try {
      await this.client.create(VolumeSnapshotContents, content);
      this.events.event(vs, 'Normal', 'CreatingSnapshot', `Waiting for a snapshot ${vs.metadata.namespace}/${vs.metadata.name} to be created by the CSI driver.`);
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
    }
  }

  private async writeStatus(vs: VolumeSnapshot, status: NonNullable<VolumeSnapshot['status']>): Promise<void> {
    if (deepEqual(vs.status, status)) return;
    const before = vs.status?.readyToUse;
    await this.client.patch(VolumeSnapshots, vs.metadata.namespace, vs.metadata.name!, { merge: { status: { ...status, error: status.error ?? null } } }, { subresource: 'status' }).catch(ignoreGone);
    if (!before && status.readyToUse) this.events.event(vs, 'Normal', 'SnapshotReady', `Snapshot ${vs.metadata.namespace}/${vs.metadata.name} is ready to use.`);
  }

  private async delete(vs: VolumeSnapshot, content: VolumeSnapshotContent | undefined): Promise<void> {
    if (content && content.spec.deletionPolicy === 'Delete') {
      if (!content.metadata.deletionTimestamp) {
        await this.client.delete(VolumeSnapshotContents, undefined, content.metadata.name!, { preconditions: { uid: content.metadata.uid } }).catch(ignoreGone);
      }
      return; // the content's deletion wakes this snapshot again
    }
    const mine: string[] = [snapshotterFinalizers.asSource, snapshotterFinalizers.bound];
    await patchFinalizers(this.client, VolumeSnapshots, vs, (vs.metadata.finalizers ?? []).filter((f) => !mine.includes(f)));
  }
}
