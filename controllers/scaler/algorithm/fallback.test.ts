// Fallback replicas after consecutive evaluations in which every metric failed.

import type { ScalerHistory } from './history.js';
import { evaluateScaler, type ScalerInput, type ScalerResult } from './scaler.js';
import { EXPIRED_HISTORY, NOW, SECOND, cpuUsages, cpuUtilization, fetchError, externalAverage, podValues, pods, podsMetric } from '../../../test/support/scaler-fixtures.js';
import type { MetricValue } from './types.js';

const fallback = { failureThreshold: 3, replicas: 6 };
const failing: MetricValue[] = [fetchError('metrics-server unavailable'), fetchError('adapter down')];

function input(current: number, metricValues: MetricValue[], history: ScalerHistory | undefined, step: number): ScalerInput {
  return {
    now: NOW + step * 15 * SECOND,
    currentReplicas: current,
    pods: pods(current),
    minReplicas: 1,
    maxReplicas: 10,
    metrics: [cpuUtilization(50), podsMetric('rps', 100)],
    metricValues,
    history,
    fallback,
  };
}

/** Runs evaluations, applying each desired count and persisting the history. */
function run(current: number, steps: MetricValue[][]): ScalerResult[] {
  let history: ScalerHistory | undefined = EXPIRED_HISTORY;
  return steps.map((values, i) => {
    const r = evaluateScaler(input(current, values, history, i));
    current = r.desiredReplicas;
    history = r.history;
    return r;
  });
}
const fallbackCondition = (r: ScalerResult) => r.conditions.find((c) => c.type === 'Fallback');

describe('fallback', () => {
  it('takes over after failureThreshold consecutive total failures and stops when a metric works', () => {
    const ok = [cpuUsages(500, 500), podValues({ 'pod-0': 100, 'pod-1': 100 })];
    const results = run(2, [failing, failing, failing, failing, ok]);
    expect(results.map((r) => r.desiredReplicas)).toEqual([2, 2, 6, 6, 6]);
    expect(results.map((r) => r.history.consecutiveFailures)).toEqual([1, 2, 3, 4, undefined]);
    expect(results.map((r) => r.fallbackActive)).toEqual([false, false, true, true, false]);
    expect(fallbackCondition(results[1]!)).toEqual({
      type: 'Fallback',
      status: 'False',
      reason: 'FallbackNotActive',
      message: 'all metrics failed in 2 of 3 consecutive evaluations needed for fallback',
    });
    expect(fallbackCondition(results[2]!)).toEqual({
      type: 'Fallback',
      status: 'True',
      reason: 'FallbackActive',
      message: 'every metric failed in 3 or more evaluations in a row; using 6 fallback replicas',
    });
    // Reads the same while it lasts: the running count is not in it.
    expect(fallbackCondition(results[3]!)).toEqual(fallbackCondition(results[2]!));
    expect(results[3]!.decision).toMatchObject({ limitedBy: 'Fallback', message: 'every metric failed in 3 or more evaluations in a row; using 6 fallback replicas' });
    expect(fallbackCondition(results[4]!)).toMatchObject({ status: 'False', message: 'metrics are available; fallback is not active' });
  });

  it('does not count evaluations in which some metric worked', () => {
    const oneFails = [fetchError('metrics-server unavailable'), podValues({ 'pod-0': 50, 'pod-1': 50 })];
    const results = run(2, [failing, failing, oneFails, failing, failing]);
    expect(results.map((r) => r.history.consecutiveFailures)).toEqual([1, 2, undefined, 1, 2]);
    expect(results.every((r) => !r.fallbackActive)).toBe(true);
  });

  it('applies at zero replicas too, when the metrics that could wake the target fail', () => {
    const atZero = { ...input(0, [fetchError('queue unreachable')], {}, 0), minReplicas: 0, metrics: [externalAverage('queue', 10, 5)], fallback: { failureThreshold: 2, replicas: 3 } };
    const first = evaluateScaler(atZero);
    expect(first).toMatchObject({ desiredReplicas: 0, fallbackActive: false });
    const second = evaluateScaler({ ...atZero, history: first.history });
    expect(second).toMatchObject({ desiredReplicas: 3, rescale: true, fallbackActive: true });
    expect(second.decision.limitedBy).toBe('Fallback');
  });

  it('keeps the fallback count within maxReplicas', () => {
    const r = evaluateScaler({ ...input(2, failing, { consecutiveFailures: 5 }, 0), fallback: { failureThreshold: 1, replicas: 50 } });
    expect(r.desiredReplicas).toBe(10);
  });

  it('does not record the fallback step as an HPA scale event', () => {
    const r = evaluateScaler({ ...input(2, failing, { consecutiveFailures: 2 }, 0), behavior: {} });
    expect(r.desiredReplicas).toBe(6);
    expect(r.history.scaleUpEvents).toBeUndefined();
  });
});
