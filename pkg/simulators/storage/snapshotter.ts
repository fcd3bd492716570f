// external-snapshotter's sidecar with the simulated driver behind it: a
// VolumeSnapshotContent of the driver is cut (the volume's data and lineage
// copied onto it, creationTime, snapshotHandle, restoreSize), then becomes
// readyToUse once the driver has uploaded it; deleting it deletes the
// snapshot. A claim annotated SnapshotFailed makes the driver fail, with the
// error external-snapshotter reports.
import type { PersistentVolume, PersistentVolumeClaim } from '../../kube/core-types.js';
import { PersistentVolumeClaims, PersistentVolumes } from '../../kube/resources.js';
import { parseQuantity } from '../../kube/quantity.js';
import { snapshotterFinalizers, VolumeSnapshotContents, type VolumeSnapshotContent } from '../../contracts/csi-snapshot/index.js';
import type { Cache } from '../../runtime/cache/cache.js';
import type { Client } from '../../runtime/client/client.js';
import type { Reconciler, Request, Result } from '../../runtime/controller/types.js';
import type { EventRecorder } from '../../runtime/events/recorder.js';
import { rfc3339, type StageClock } from '../clock.js';
import { contentMetadata, contentOf, withStep } from './content.js';
import { injectFailureAnnotation, type StorageSimOptions } from './options.js';
import { ignoreGone, patchFinalizers } from '../finalizers.js';

export class SnapshotterReconciler implements Reconciler {
  constructor(
    private readonly client: Client,
    private readonly cache: Cache,
    private readonly o: StorageSimOptions,
    private readonly clock: StageClock,
    private readonly events: EventRecorder,
  ) {}

  private volumeOf(content: VolumeSnapshotContent): PersistentVolume | undefined {
    const handle = content.spec.source.volumeHandle;
    return this.cache.list<PersistentVolume>(PersistentVolumes).find((pv) => pv.spec.csi?.volumeHandle === handle);
  }

  async reconcile(req: Request): Promise<Result | void> {
    const content = this.cache.get<VolumeSnapshotContent>(VolumeSnapshotContents, undefined, req.name);
    if (!content || content.spec.driver !== this.o.driver) return;
    const uid = content.metadata.uid!;
    if (content.metadata.deletionTimestamp) {
      // DeleteSnapshot on the driver, then the content may go.
      await patchFinalizers(this.client, VolumeSnapshotContents, content, (content.metadata.finalizers ?? []).filter((f) => f !== snapshotterFinalizers.contentBound));
      this.clock.forget(uid);
      return;
    }
    if (!content.metadata.finalizers?.includes(snapshotterFinalizers.contentBound)) {
      await patchFinalizers(this.client, VolumeSnapshotContents, content, [...(content.metadata.finalizers ?? []), snapshotterFinalizers.contentBound]);
      return;
    }
    if (content.status?.snapshotHandle === undefined) return this.cut(content);
    if (content.status.readyToUse) return;
    const wait = this.clock.remaining(`${uid}:upload`, this.o.snapshotReadyDelayMs);
    if (wait > 0) return { requeueAfterMs: wait };
    await this.writeStatus(content, { ...content.status, readyToUse: true });
    this.clock.forget(uid);
  }

  private async cut(content: VolumeSnapshotContent): Promise<Result | void> {
    const uid = content.metadata.uid!;
    const pv = this.volumeOf(content);
    const claimRef = pv?.spec.claimRef;
    const claim = claimRef?.name ? this.cache.get<PersistentVolumeClaim>(PersistentVolumeClaims, claimRef.namespace, claimRef.name) : undefined;
    if (!pv) {
      await this.writeStatus(content, { readyToUse: false, error: { message: `Failed to check and update snapshot content: failed to take snapshot of the volume ${content.spec.source.volumeHandle}: "rpc error: code = NotFound desc = volume not found"`, time: rfc3339(Date.now()) } });
      return { requeueAfterMs: this.o.snapshotRetryMs };
    }
    if (claim?.metadata.annotations?.[injectFailureAnnotation] === 'SnapshotFailed') {
      const message = `Failed to check and update snapshot content: failed to take snapshot of the volume ${content.spec.source.volumeHandle}: "rpc error: code = Internal desc = simulated: the storage backend refused the snapshot"`;
      if (content.status?.error?.message !== message) {
        await this.writeStatus(content, { readyToUse: false, error: { message, time: rfc3339(Date.now()) } });
        this.events.event(content, 'Warning', 'SnapshotCreationFailed', message);
      }
      return { requeueAfterMs: this.o.snapshotRetryMs };
    }
    const wait = this.clock.remaining(`${uid}:cut`, this.o.snapshotCutDelayMs);
    if (wait > 0) return { requeueAfterMs: wait };
    // The data at the moment of the cut goes with the snapshot; writes after it do not.
    const at = Date.now();
    const data = withStep(contentOf(pv), `snapshot ${content.metadata.name} of ${claimRef?.namespace}/${claimRef?.name} at ${rfc3339(at)}`);
    await this.client.patch(VolumeSnapshotContents, undefined, content.metadata.name!, { merge: { metadata: { annotations: contentMetadata(data) } } }).catch(ignoreGone);
    this.clock.since(`${uid}:upload`);
    await this.writeStatus(content, {
      snapshotHandle: `snap-${uid}`,
      creationTime: at * 1e6,
      restoreSize: parseQuantity(pv.spec.capacity?.storage ?? '0'),
      readyToUse: false,
    });
    this.events.event(content, 'Normal', 'SnapshotCreated', `Snapshot ${content.metadata.name} created by the CSI driver`);
    return { requeueAfterMs: this.o.snapshotReadyDelayMs };
  }

  private async writeStatus(content: VolumeSnapshotContent, status: NonNullable<VolumeSnapshotContent['status']>): Promise<void> {
    await this.client
      .patch(VolumeSnapshotContents, undefined, content.metadata.name!, { merge: { status: { ...status, error: status.error ?? null } } }, { subresource: 'status' })
      .catch(ignoreGone);
  }
}
