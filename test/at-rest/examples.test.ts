// Every example applied together, once converged, writes nothing: not a
// status, not a child, not an event — Scalers included, though they keep
// evaluating their metrics on every polling interval, and schedules, which
// sleep until their next run — and neither does a restarted controller.
import { stringify } from 'yaml';
import { Scalers, Snapshots } from '../../pkg/api/resources.js';
import type { Scaler, Snapshot } from '../../pkg/api/types.generated.js';
import type { RunningOperator } from '../../pkg/cli/operator.js';
import type { Client } from '../../pkg/runtime/client/client.js';
import { findCondition } from '../../pkg/runtime/conditions/conditions.js';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../pkg/util/package-root.js';
import { sleep } from '../../pkg/util/sleep.js';
import { createNamespace, deleteNamespace, eventually, kubectl, testClient } from '../support/kube.js';
import { exampleIn, settled, startTestOperator, writeCount, writesBy } from '../support/operator.js';

let client: Client;
let ns: string;
let operator: RunningOperator;

beforeAll(async () => {
  client = testClient();
  ns = await createNamespace(client, 'at-rest');
  operator = await startTestOperator(ns);
});
afterAll(async () => {
  await operator?.stop();
  await deleteNamespace(client, ns);
  client.rest.close();
});

it('writes nothing for 60 s once the examples have converged', async () => {
  const files = readdirSync(join(packageRoot(), 'examples')).filter((f) => f.endsWith('.yaml'));
  // The VM group's Scaler waits 180 s before it counts a new VM's CPU; a shorter warm-up keeps this test short.
  const objects = files.flatMap((f) => exampleIn(f, ns)).map((o) => (o.kind === 'Scaler' && o.metadata.name === 'workers' ? { ...o, spec: { ...(o.spec as object), warmupSeconds: 10 } } : o));
  const applied = await kubectl(['apply', '--server-side', '-f', '-'], objects.map((o) => stringify(o)).join('---\n'));
  expect(applied.stderr).toBe('');
  const wait = await kubectl(['-n', ns, 'wait', '--for=condition=Ready', 'svm,svol,snet,sapp,ssc,simg,ssnap,ssched', '--all', '--timeout=180s']);
  expect(wait.stderr).toBe('');
  // The examples show snapshots working: at least one made by Stratus is ready to restore from.
  const snapshots = (await client.list<Snapshot>(Snapshots, { namespace: ns })).items;
  expect(snapshots.filter((s) => s.status?.readyToUse).map((s) => s.metadata.name)).toContain('app-1-initial');
  // Every Scaler has evaluated its metrics, explains its decision, and has read its target's scale (at zero too).
  const scalers = await eventually(async () => {
    const list = (await client.list<Scaler>(Scalers, { namespace: ns })).items;
    return list.every((s) => s.status?.decision && findCondition(s.status.conditions, 'AbleToScale')?.status === 'True') && list;
  }, 60_000, 'every Scaler evaluated');
  expect(scalers.map((s) => s.metadata.name).sort()).toEqual(['uploads', 'web', 'worker', 'workers']);

  const before = await settled([operator], 120_000);
  const evaluations = async () => (await operator.manager.metrics.reconcileTotal.get()).values.filter((v) => v.labels.controller === 'scaler').reduce((n, v) => n + v.value, 0);
  const evaluatedBefore = await evaluations();
  await sleep(60_000); // the claim is about a span of time: nothing may happen in it
  expect(await writeCount(operator)).toBe(before);
  // The Scalers did evaluate meanwhile (every 15 s): quiet is not idle.
  expect((await evaluations()) - evaluatedBefore).toBeGreaterThanOrEqual(4 * 3);

  // A restarted controller reconciles everything again from its fresh caches, and writes nothing.
  await operator.stop();
  operator = await startTestOperator(ns);
  const reconciled = async () => (await operator.manager.metrics.reconcileTotal.get()).values.reduce((n, v) => n + v.value, 0);
  await eventually(async () => (await reconciled()) >= objects.filter((o) => o.apiVersion === 'stratus.dev/v1alpha1').length, 60_000, 'every object reconciled after the restart');
  await settled([operator]);
  expect(await writesBy(operator)).toEqual({});
}, 420_000);
