// SnapshotSchedule reconcile: fetch → a run due? (CronJob semantics: the
// latest missed time once, within the starting deadline) → its Snapshots,
// made once per source and time → retention → status, and a requeue at the
// next run or expiry.
import { Snapshots, SnapshotSchedules } from '../../pkg/api/resources.js';
import type { Snapshot, SnapshotSchedule } from '../../pkg/api/types.generated.js';
import { parseGoDuration } from '../../pkg/api/validation/cel/go-time.js';
import { isAlreadyExists } from '../../pkg/runtime/client/api-error.js';
import type { Cache } from '../../pkg/runtime/cache/cache.js';
import type { Client } from '../../pkg/runtime/client/client.js';
import { writeStatus } from '../../pkg/runtime/client/status-writer.js';
import { conditionTime } from '../../pkg/runtime/conditions/conditions.js';
import type { ReconcileContext, Reconciler, Request, Result } from '../../pkg/runtime/controller/types.js';
import type { EventRecorder } from '../../pkg/runtime/events/recorder.js';
import type { Clock } from '../shared/clock.js';
import { decideRun } from '../shared/cron-runs.js';
import { labelKeys } from '../shared/labels.js';
import { stuck, Stuck, type Problem } from '../shared/problems.js';
import { snapshotUsers } from '../shared/snapshot-users.js';
import { desiredSnapshot, scheduledAtAnnotation, scheduleLabel } from './desired.js';
import { expired, nextExpiry, type Taken } from './retention.js';
import { resolveSources } from './sources.js';
import { scheduleStatus } from './status.js';

export class SnapshotScheduleReconciler implements Reconciler {
  constructor(
    private readonly client: Client,
    private readonly cache: Cache,
    private readonly events: EventRecorder,
    private readonly clock: Clock,
  ) {}

  async reconcile(req: Request, ctx: ReconcileContext): Promise<Result | void> {
    const schedule = this.cache.get<SnapshotSchedule>(SnapshotSchedules, req.namespace, req.name);
    if (!schedule || schedule.metadata.deletionTimestamp) return;
    const now = this.clock.now();
    const problems: Problem[] = [];
    const { sources, missing } = resolveSources(this.cache, schedule);
    let lastScheduleTime = schedule.status?.lastScheduleTime;
    let next: number | undefined;
    try {
      const run = decideRun(schedule.spec, Date.parse(lastScheduleTime ?? schedule.metadata.creationTimestamp ?? conditionTime(now)), now);
      next = run.next;
      if (run.due !== undefined && !schedule.spec.suspend) {
        const at = conditionTime(run.due);
        for (const source of sources) await this.take(desiredSnapshot(schedule, source, run.due, at));
        if (run.missed > 0) this.events.event(schedule, 'Warning', 'MissedSchedule', `${run.missed} scheduled times were missed (the controller was not running); made up once, for ${at}`);
        ctx.log.info('snapshots taken', { scheduledAt: at, sources: sources.length, missed: run.missed });
        lastScheduleTime = at;
      }
    } catch (err) {
      problems.push(stuck(Stuck.InvalidSchedule, `spec.cron: ${err instanceof Error ? err.message : String(err)}`));
    }
    const { taken, byName } = this.taken(schedule);
    const maxAgeMs = schedule.spec.retention.maxAge ? Number(parseGoDuration(schedule.spec.retention.maxAge) / 1_000_000n) : undefined;
    const retention = { keep: schedule.spec.retention.keep, maxAgeMs };
    const gone = new Set(expired(taken, retention, now));
    for (const name of gone) await this.client.deleteExact(Snapshots, byName.get(name)!);
    if (gone.size) this.events.event(schedule, 'Normal', 'SnapshotsDeleted', `retention: deleted ${[...gone].join(', ')}`);
    const kept = taken.filter((t) => !gone.has(t.name)).map((t) => ({ snapshot: byName.get(t.name)!, scheduledAt: conditionTime(t.scheduledAt) }));
    const status = scheduleStatus(schedule, {
      problems,
      sources,
      missing,
      kept,
      lastScheduleTime,
      nextScheduleTime: next !== undefined ? conditionTime(next) : undefined,
      now,
    });
    await writeStatus(this.client, SnapshotSchedules, schedule, status);
    const wake = [next, nextExpiry(taken.filter((t) => !gone.has(t.name)), retention, now)].filter((t): t is number => t !== undefined);
    return wake.length ? { requeueAfterMs: Math.max(1, this.clock.realDelay(Math.min(...wake) - now)) } : undefined;
  }

  private async take(snapshot: Snapshot): Promise<void> {
    if (this.cache.get(Snapshots, snapshot.metadata.namespace, snapshot.metadata.name!)) return;
    try {
      await this.client.create(Snapshots, snapshot);
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
    }
  }

  /** Its Snapshots, as retention sees them. */
  private taken(schedule: SnapshotSchedule): { taken: Taken[]; byName: Map<string, Snapshot> } {
    const ns = schedule.metadata.namespace;
    const snapshots = this.cache
      .list<Snapshot>(Snapshots, { namespace: ns, labelSelector: { matchLabels: { [labelKeys.snapshotSchedule]: scheduleLabel(schedule) } } })
      .filter((s) => !s.metadata.deletionTimestamp && s.metadata.annotations?.[scheduledAtAnnotation]);
    const taken = snapshots.map((s) => ({
      name: s.metadata.name!,
      source: s.spec.source.virtualMachine ? `VirtualMachine/${s.spec.source.virtualMachine}` : `Volume/${s.spec.source.volume}`,
      scheduledAt: Date.parse(s.metadata.annotations![scheduledAtAnnotation]!),
      ready: s.status?.readyToUse === true,
      failed: s.status?.phase === 'Failed',
      inUse: snapshotUsers(this.cache, ns, s.metadata.name!).length > 0,
    }));
    return { taken, byName: new Map(snapshots.map((s) => [s.metadata.name!, s])) };
  }
}
