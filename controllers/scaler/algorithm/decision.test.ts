// The decision a Scaler explains in status.decision, one case per thing that
// can bind the count.
import type { ScalerHistory } from './history.js';
import { evaluateScaler, type ScalerInput } from './scaler.js';
import { EXPIRED_HISTORY, MINUTE, NOW, SECOND, cpuUsages, cpuUtilization, external, externalAverage, fetchError, pods } from '../../../test/support/scaler-fixtures.js';

const queue = externalAverage('queue', 10, 5);
const base = (current: number, queueLength: number, overrides: Partial<ScalerInput> = {}): ScalerInput => ({
  now: NOW,
  currentReplicas: current,
  pods: pods(current),
  minReplicas: 1,
  maxReplicas: 10,
  metrics: [queue],
  metricValues: [external(queueLength)],
  history: EXPIRED_HISTORY,
  ...overrides,
});
const recent = (replicas: number, ago: number): ScalerHistory => ({ recommendations: [{ timestamp: NOW - ago, replicas }] });

describe('status.decision', () => {
  it.each<[string, ScalerInput, Record<string, unknown>]>([
    ['None: the recommendation as it is', base(3, 50), { limitedBy: 'None', recommendation: 5, message: '5 replicas, as the metrics recommend' }],
    [
      'ScaleDownStabilization, with when the window lets go',
      base(6, 20, { history: recent(6, 2 * MINUTE) }),
      {
        limitedBy: 'ScaleDownStabilization',
        recommendation: 2,
        nextScaleDownTime: NOW + 3 * MINUTE,
        message: 'the metrics recommend 2; the highest recommendation of the last 300s (scale-down stabilization window) is 6, until 2024-01-15T12:03:00Z',
      },
    ],
    [
      'ScaleUpStabilization',
      base(2, 80, { behavior: { scaleUp: { stabilizationWindowSeconds: 60 } }, history: recent(3, 30 * SECOND) }),
      { limitedBy: 'ScaleUpStabilization', recommendation: 8, message: 'the metrics recommend 8; the lowest recommendation of the last 60s (scale-up stabilization window) is 3' },
    ],
    [
      'ScaleUpPolicy',
      base(2, 90, { behavior: { scaleUp: { policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] } } }),
      { limitedBy: 'ScaleUpPolicy', recommendation: 9, message: 'the metrics recommend 9; the scale-up policies allow 3 now' },
    ],
    [
      'ScaleDownPolicy, with when the period lets go',
      base(8, 10, {
        behavior: { scaleDown: { stabilizationWindowSeconds: 0, policies: [{ type: 'Pods', value: 2, periodSeconds: 60 }] } },
        history: { ...EXPIRED_HISTORY, scaleDownEvents: [{ timestamp: NOW - 20 * SECOND, replicaChange: 1 }] },
      }),
      { limitedBy: 'ScaleDownPolicy', recommendation: 1, nextScaleDownTime: NOW + 40 * SECOND, message: 'the metrics recommend 1; the scale-down policies allow 7 now, and more from 2024-01-15T12:00:40Z' },
    ],
    ['ScaleUpLimit: max(2×, 4) without behavior', base(1, 100), { limitedBy: 'ScaleUpLimit', recommendation: 10, message: 'the metrics recommend 10; one step may reach at most max(2 × 1, 4) = 4' }],
    ['MinReplicas', base(3, 5, { minReplicas: 2 }), { limitedBy: 'MinReplicas', recommendation: 1, message: 'the metrics recommend 1; raised to minReplicas 2' }],
    ['MaxReplicas', base(8, 200), { limitedBy: 'MaxReplicas', recommendation: 20, message: 'the metrics recommend 20; capped at maxReplicas 10' }],
    [
      "Schedule: a schedule's minimum",
      base(4, 5, { schedules: [{ name: 'office-hours', cron: '0 8 * * *', timezone: 'UTC', durationSeconds: 8 * 3600, minReplicas: 4 }] }),
      { limitedBy: 'Schedule', schedule: 0, recommendation: 1, message: 'the metrics recommend 1; raised to the minimum 4 of schedule office-hours' },
    ],
    [
      'MetricsFailed: no scale-down while a metric fails',
      base(4, 10, { metrics: [queue, cpuUtilization(50)], metricValues: [external(10), fetchError('metrics-server unavailable')] }),
      { limitedBy: 'MetricsFailed', message: '1 of 2 metrics failed and the others propose no more than 4: keeping 4 replicas (no scale-down while a metric fails)' },
    ],
    ['TargetScaledToZero: scaled to 0 by hand', base(0, 50), { limitedBy: 'TargetScaledToZero' }],
    [
      'Schedule: below the minimum of a schedule that just began',
      base(3, 5, { schedules: [{ name: 'office-hours', cron: '0 8 * * *', timezone: 'UTC', durationSeconds: 8 * 3600, minReplicas: 4 }] }),
      { limitedBy: 'Schedule', message: 'the target has 3 replicas, fewer than the minimum 4 of schedule office-hours: scaling to 4' },
    ],
    ['Activation: woken from zero', base(0, 50, { minReplicas: 0 }), { limitedBy: 'Activation', message: 'a metric is above its activation threshold; scaling from zero to 1' }],
    ['ScaledToZero: nothing to wake for', base(0, 2, { minReplicas: 0 }), { limitedBy: 'ScaledToZero' }],
    [
      'Cooldown: 1 replica until the cooldown ends',
      base(1, 2, { minReplicas: 0, cooldownPeriodSeconds: 300, history: { ...EXPIRED_HISTORY, lastActiveTime: NOW - MINUTE } }),
      { limitedBy: 'Cooldown', nextScaleDownTime: NOW + 4 * MINUTE, message: 'no metric above its activation threshold; 1 replica until the cooldown of 300s ends at 2024-01-15T12:04:00Z' },
    ],
    [
      'ScaledToZero once the cooldown has passed',
      base(1, 2, { minReplicas: 0, cooldownPeriodSeconds: 300, history: { ...EXPIRED_HISTORY, lastActiveTime: NOW - 6 * MINUTE } }),
      { limitedBy: 'ScaledToZero', message: 'no metric above its activation threshold for 300s; scaling to zero' },
    ],
    [
      'Fallback',
      base(2, 0, { metricValues: [fetchError('queue unreachable')], fallback: { failureThreshold: 1, replicas: 5 } }),
      { limitedBy: 'Fallback', message: 'every metric failed in 1 or more evaluations in a row; using 5 fallback replicas' },
    ],
    ['Paused', base(2, 90, { paused: { replicas: 7 } }), { limitedBy: 'Paused', message: 'autoscaling is paused; replicas are pinned to 7' }],
    [
      'InvalidSchedule',
      base(2, 90, { schedules: [{ cron: 'every day', durationSeconds: 60, minReplicas: 3 }] }),
      { limitedBy: 'InvalidSchedule' },
    ],
  ])('%s', (_, input, expected) => {
    expect(evaluateScaler(input).decision).toMatchObject(expected);
  });

  it("lists each metric's own proposal, and why a metric has none", () => {
    const d = evaluateScaler(
      base(2, 30, {
        metrics: [queue, cpuUtilization(50), externalAverage('jobs', 5)],
        metricValues: [external(30), cpuUsages(900, 900), fetchError('jobs API down')],
      }),
    ).decision;
    expect(d.metrics).toEqual([
      { name: 'external metric queue(nil)', replicas: 3 },
      { name: 'cpu resource utilization (percentage of request)', replicas: 4 },
      { name: 'external metric jobs(nil)', error: expect.stringContaining('jobs API down') },
    ]);
    expect(d).toMatchObject({ recommendation: 4, message: '4 replicas, as the metrics recommend (the largest proposal: cpu resource utilization (percentage of request))' });
  });

  it('reads the same on every evaluation of an unchanged situation (no clock in the message)', () => {
    const held = (now: number) => evaluateScaler({ ...base(6, 20, { history: recent(6, 2 * MINUTE) }), now }).decision;
    expect(held(NOW + 10 * SECOND)).toEqual(held(NOW));
  });
});
