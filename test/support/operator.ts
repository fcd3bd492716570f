// The Stratus controllers for one test file: in-process, scoped to the test's
// namespace so test files never see each other's objects.
import { parseAllDocuments } from 'yaml';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '../../controllers/shared/clock.js';
import { startOperator, type RunningOperator } from '../../pkg/cli/operator.js';
import { createLogger } from '../../pkg/runtime/log/logger.js';
import type { KubeObject } from '../../pkg/meta/object.js';
import { packageRoot } from '../../pkg/util/package-root.js';
import { sleep } from '../../pkg/util/sleep.js';
import { eventually, testKubeConfig } from './kube.js';

/**
 * `settingsNamespace`: where this operator reads the settings ConfigMap
 * (default stratus-system, which tests leave absent); `clock`: the time
 * schedules run by (a faster one lets minutes pass in seconds).
 */
export async function startTestOperator(namespace: string, workers?: number, settingsNamespace?: string, clock?: Clock): Promise<RunningOperator> {
  const operator = await startOperator({
    kubeConfig: testKubeConfig(),
    namespace,
    workers,
    settingsNamespace,
    clock,
    logger: createLogger({ level: process.env.STRATUS_TEST_LOG ?? 'warn', format: 'text' }),
  });
  await operator.manager.cache.waitForSync();
  return operator;
}

/** An example's objects moved into `namespace` (its Namespace objects dropped). */
export function exampleIn(file: string, namespace: string): KubeObject[] {
  const text = readFileSync(join(packageRoot(), 'examples', file), 'utf8');
  return parseAllDocuments(text)
    .map((d) => d.toJS() as KubeObject)
    .filter((o) => o && o.kind !== 'Namespace')
    .map((o) => ({ ...o, metadata: { ...o.metadata, namespace } }));
}

/** Writes of the operator so far (API requests that change something), by "verb resource". */
export async function writesBy(operator: RunningOperator): Promise<Record<string, number>> {
  const metric = await operator.manager.metrics.requests.get();
  const by: Record<string, number> = {};
  for (const v of metric.values) {
    if (!['create', 'update', 'patch', 'delete'].includes(String(v.labels.verb))) continue;
    const key = `${v.labels.verb} ${v.labels.resource}`;
    by[key] = (by[key] ?? 0) + v.value;
  }
  return by;
}

/** Writes of the operator so far. */
export async function writeCount(operator: RunningOperator): Promise<number> {
  return Object.values(await writesBy(operator)).reduce((a, b) => a + b, 0);
}

/**
 * Waits until the operators have settled: every controller idle (nothing
 * queued or in progress, timers aside) and no write, in three samples in a
 * row a quarter second apart. Returns their write count then.
 */
export async function settled(operators: RunningOperator[], timeoutMs = 60_000): Promise<number> {
  const writes = async () => (await Promise.all(operators.map(writeCount))).reduce((a, b) => a + b, 0);
  let last = -1;
  let quiet = 0;
  return eventually(
    async () => {
      const now = await writes();
      quiet = operators.every((o) => o.manager.idle) && now === last ? quiet + 1 : 0;
      last = now;
      if (quiet < 3) await sleep(250);
      return quiet >= 3 && now;
    },
    timeoutMs,
    'the operators idle',
  );
}
