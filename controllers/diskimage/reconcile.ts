// DiskImage reconcile: fetch → deletion (held while a clone of it is in
// progress) or finalizer → refresh due? → revisions (a new import, the
// DataSource on the current one, obsolete ones deleted once no clone runs)
// → status, and a requeue at the next refresh.
import { DiskImages } from '../../pkg/api/resources.js';
import type { DiskImage } from '../../pkg/api/types.generated.js';
import type { PersistentVolumeClaim } from '../../pkg/kube/core-types.js';
import { PersistentVolumeClaims } from '../../pkg/kube/resources.js';
import { DataSources, DataVolumes, type DataVolume } from '../../pkg/contracts/cdi/index.js';
import type { Cache } from '../../pkg/runtime/cache/cache.js';
import type { Client } from '../../pkg/runtime/client/client.js';
import { diskImageFinalizer } from '../../pkg/api/finalizers.js';
import { addFinalizer, hasFinalizer, removeFinalizer } from '../../pkg/runtime/client/finalizers.js';
import { writeStatus } from '../../pkg/runtime/client/status-writer.js';
import { conditionTime } from '../../pkg/runtime/conditions/conditions.js';
import type { Reconciler, Request, Result } from '../../pkg/runtime/controller/types.js';
import type { EventRecorder } from '../../pkg/runtime/events/recorder.js';
import { applyChild } from '../shared/children.js';
import type { Clock } from '../shared/clock.js';
import { decideRun } from '../shared/cron-runs.js';
import { stuck, Stuck, type Problem } from '../shared/problems.js';
import { clonesOf } from './clones.js';
import { desiredDataSource, desiredImport, revisionName } from './desired.js';
import { planRevisions, revisionsOf, type Revision } from './revisions.js';
import { diskImageStatus } from './status.js';

export class DiskImageReconciler implements Reconciler {
  constructor(
    private readonly client: Client,
    private readonly cache: Cache,
    private readonly events: EventRecorder,
    private readonly clock: Clock,
  ) {}

  /** Clones of the image in progress: DataVolumes cloning its DataSource or one of its revisions' claims. */
  private clones(image: DiskImage, revisions: Revision[]): number {
    const ns = image.metadata.namespace;
    const keys = [`${ns}/DataSource/${image.metadata.name}`, ...revisions.map((r) => `${ns}/PersistentVolumeClaim/${r.dataVolume.status?.claimName ?? r.dataVolume.metadata.name}`)];
    return clonesOf(this.cache, keys).length;
  }

  async reconcile(req: Request): Promise<Result | void> {
    const image = this.cache.get<DiskImage>(DiskImages, req.namespace, req.name);
    if (!image) return;
    const now = this.clock.now();
    const revisions = revisionsOf(this.cache.ownedBy<DataVolume>(DataVolumes, image.metadata.uid!));
    const clones = this.clones(image, revisions);
    if (image.metadata.deletionTimestamp) {
      if (!hasFinalizer(image, diskImageFinalizer)) return;
      if (clones === 0) return void (await removeFinalizer(this.client, DiskImages, image, diskImageFinalizer));
      await writeStatus(this.client, DiskImages, image, diskImageStatus(image, { plan: planRevisions(image, revisions, false), clones, deleting: true, problems: [], now, ...this.refreshTimes(image) }));
      return;
    }
    if (await addFinalizer(this.client, DiskImages, image, diskImageFinalizer)) return;
    const problems: Problem[] = [];
    let due: number | undefined;
    let next: number | undefined;
    if (image.spec.refresh) {
      try {
        const since = image.status?.lastRefreshTime ?? image.metadata.creationTimestamp ?? conditionTime(now);
        const run = decideRun(image.spec.refresh, Date.parse(since), now);
        due = run.due;
        next = run.next;
      } catch (err) {
        problems.push(stuck(Stuck.InvalidSchedule, `spec.refresh.cron: ${err instanceof Error ? err.message : String(err)}`));
      }
    }
    const plan = planRevisions(image, revisions, due !== undefined);
    if (plan.start !== undefined) {
      await applyChild(this.client, this.cache, DataVolumes, image, desiredImport(image, plan.start));
      this.events.event(image, 'Normal', 'Importing', `importing revision ${plan.start} (DataVolume ${revisionName(image, plan.start)})`);
    }
    let size: string | undefined;
    if (plan.current) {
      const claim = plan.current.dataVolume.status?.claimName ?? plan.current.dataVolume.metadata.name!;
      await applyChild(this.client, this.cache, DataSources, image, desiredDataSource(image, claim));
      size = this.cache.get<PersistentVolumeClaim>(PersistentVolumeClaims, image.metadata.namespace, claim)?.status?.capacity?.storage;
    }
    // A revision goes only once nothing can be cloning it.
    if (clones === 0) for (const r of plan.obsolete) await this.client.deleteExact(DataVolumes, r.dataVolume);
    const times = this.refreshTimes(image, due, next);
    const before = image.status?.revision;
    const status = diskImageStatus(image, { plan, size, clones, deleting: false, problems, now, ...times });
    if ((await writeStatus(this.client, DiskImages, image, status)) && status.revision !== undefined && before !== status.revision) {
      this.events.event(image, 'Normal', 'Ready', `revision ${status.revision} is ready to clone`);
    }
    return next !== undefined ? { requeueAfterMs: Math.max(1, this.clock.realDelay(next - now)) } : undefined;
  }

  private refreshTimes(image: DiskImage, due?: number, next?: number): { lastRefreshTime?: string; nextRefreshTime?: string } {
    if (!image.spec.refresh) return {};
    const last = due !== undefined ? conditionTime(due) : image.status?.lastRefreshTime;
    return { ...(last ? { lastRefreshTime: last } : {}), ...(next !== undefined ? { nextRefreshTime: conditionTime(next) } : image.status?.nextRefreshTime ? { nextRefreshTime: image.status.nextRefreshTime } : {}) };
  }
}
