// Snapshot schedules with retention, on a clock 30 times faster than the
// wall clock (a cron minute in 2 s): keep 3 over 5 runs leaves the 3 newest;
// a controller outage across two run times makes up one run, the latest,
// not a burst.
import { Snapshots, SnapshotSchedules, Volumes } from '../../pkg/api/resources.js';
import type { Snapshot, SnapshotSchedule, Volume } from '../../pkg/api/types.generated.js';
import type { RunningOperator } from '../../pkg/cli/operator.js';
import type { Client } from '../../pkg/runtime/client/client.js';
import { findCondition } from '../../pkg/runtime/conditions/conditions.js';
import { sleep } from '../../pkg/util/sleep.js';
import { acceleratedClock } from '../support/clock.js';
import { createNamespace, deleteNamespace, eventually, testClient } from '../support/kube.js';
import { startTestOperator } from '../support/operator.js';

const minute = 60_000;
const clock = acceleratedClock(30);
let client: Client;
let ns: string;
let operator: RunningOperator;

beforeAll(async () => {
  client = testClient();
  ns = await createNamespace(client, 'schedules');
  operator = await startTestOperator(ns, undefined, undefined, clock);
  for (const name of ['data', 'logs']) {
    await client.create(Volumes, { apiVersion: 'stratus.dev/v1alpha1', kind: 'Volume', metadata: { name, namespace: ns, labels: { backup: 'yes' } }, spec: { size: '1Gi' } });
  }
  await eventually(async () => (await client.list<Volume>(Volumes, { namespace: ns })).items.every((v) => findCondition(v.status?.conditions, 'Ready')?.status === 'True'), 30_000, 'Volumes ready');
});
afterAll(async () => {
  await operator?.stop();
  await deleteNamespace(client, ns);
  client.rest.close();
});

const schedule = (name: string, cron: string, keep: number, sources: SnapshotSchedule['spec']['sources']): SnapshotSchedule => ({
  apiVersion: 'stratus.dev/v1alpha1',
  kind: 'SnapshotSchedule',
  metadata: { name, namespace: ns },
  spec: { cron, timezone: 'UTC', sources, retention: { keep }, deletionPolicy: 'Delete', suspend: false },
});
const taken = async (name: string) =>
  (await client.list<Snapshot>(Snapshots, { namespace: ns, labelSelector: `stratus.dev/snapshotschedule=${name}` })).items.filter((s) => !s.metadata.deletionTimestamp);
const times = (snapshots: Snapshot[]) => [...new Set(snapshots.map((s) => s.metadata.annotations!['stratus.dev/scheduled-at']!))].sort();
const lastRun = async (name: string) => (await client.get<SnapshotSchedule>(SnapshotSchedules, ns, name)).status?.lastScheduleTime;

it('keeps the 3 newest of 5 runs, for each source a selector matches', async () => {
  await client.create(SnapshotSchedules, schedule('every-minute', '* * * * *', 3, [{ volumeSelector: { matchLabels: { backup: 'yes' } } }]));
  const first = await eventually(() => lastRun('every-minute'), 30_000, 'the first run');
  const fifth = new Date(Date.parse(first) + 4 * minute).toISOString().replace('.000Z', 'Z');
  await eventually(async () => (await lastRun('every-minute')) === fifth, 60_000, 'five runs');
  await client.patch(SnapshotSchedules, ns, 'every-minute', { merge: { spec: { suspend: true } } });
  const kept = await eventually(async () => {
    const s = await taken('every-minute');
    return s.length === 6 && s.every((x) => x.status?.readyToUse) ? s : undefined;
  }, 30_000, '3 ready snapshots per Volume');
  const newest = [2, 3, 4].map((i) => new Date(Date.parse(first) + i * minute).toISOString().replace('.000Z', 'Z'));
  expect(times(kept)).toEqual(newest);
  expect(kept.map((s) => s.spec.source.volume).sort()).toEqual(['data', 'data', 'data', 'logs', 'logs', 'logs']);
  // The status follows the snapshots: the reconcile that sees the last deletion writes the count.
  const status = await eventually(async () => {
    const st = (await client.get<SnapshotSchedule>(SnapshotSchedules, ns, 'every-minute')).status;
    return st?.snapshots === 6 ? st : undefined;
  }, 10_000, 'the status counting 6 snapshots');
  expect(status).toMatchObject({ snapshots: 6, lastSuccessfulTime: fifth, sources: ['Volume/data', 'Volume/logs'] });
  expect(findCondition(status.conditions, 'Ready')).toMatchObject({ status: 'True', reason: 'Suspended' });
});

it('makes up one run after a controller outage across two run times, the latest', async () => {
  await client.create(SnapshotSchedules, schedule('every-other-minute', '*/2 * * * *', 100, [{ volume: 'data' }]));
  await eventually(() => lastRun('every-other-minute'), 30_000, 'the first run');
  await eventually(async () => (await taken('every-other-minute')).every((s) => s.status?.readyToUse), 30_000, 'its snapshot ready');
  await operator.stop();
  const last = (await lastRun('every-other-minute'))!;
  const before = times(await taken('every-other-minute'));
  const at = (n: number) => new Date(Date.parse(last) + n * 2 * minute).toISOString().replace('.000Z', 'Z');
  // Down across the next two run times (and well before the third).
  await sleep(Math.max(0, clock.realDelay(Date.parse(at(2)) + 20_000 - clock.now())));
  expect(clock.now()).toBeLessThan(Date.parse(at(3)) - 30_000);
  operator = await startTestOperator(ns, undefined, undefined, clock);
  await eventually(async () => (await lastRun('every-other-minute')) === at(2), 10_000, 'the catch-up run');
  await eventually(async () => (await taken('every-other-minute')).every((s) => s.status?.readyToUse), 30_000, 'its snapshot ready');
  const after = times(await taken('every-other-minute'));
  // One catch-up, for the latest missed time; the earlier one was let go.
  expect(after.filter((t) => t > last)).toEqual([at(2)]);
  expect(after.filter((t) => t <= last)).toEqual(before);
});
