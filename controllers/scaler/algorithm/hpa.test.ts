// evaluateHpa: the reconcile flow, conditions and normalization without `behavior`.

import { evaluateHpa } from './hpa.js';
import {
  EXPIRED_HISTORY,
  NOW,
  SECOND,
  cpuUsages,
  cpuUtilization,
  external,
  fetchError,
  hpaInput,
  podValues,
  pods,
  podsMetric,
} from '../../../test/support/scaler-fixtures.js';
import type { ScalerHistory } from './history.js';
import type { MetricSpec } from './types.js';

const rps = (v: number) => podValues({ 'pod-0': v, 'pod-1': v, 'pod-2': v, 'pod-3': v });
const CPU_DOWN_ERROR = 'failed to get cpu utilization: unable to get metrics for resource cpu: metrics-server unavailable';

describe('several metrics', () => {
  it('takes the largest proposal and names its metric', () => {
    // cpu: 60% of 50% → 5; rps: 175 of 100 → 7
    const r = evaluateHpa(hpaInput(4, { metrics: [cpuUtilization(50), podsMetric('rps', 100)], metricValues: [cpuUsages(600, 600, 600, 600), rps(175)] }));
    expect(r.desiredReplicas).toBe(7);
    expect(r.rescale).toBe(true);
    expect(r.rescaleReason).toBe('pods metric rps above target');
    expect(r.conditions).toEqual([
      { type: 'AbleToScale', status: 'True', reason: 'SucceededRescale', message: 'the HPA controller was able to update the target scale to 7' },
      { type: 'ScalingActive', status: 'True', reason: 'ValidMetricFound', message: 'the HPA was able to successfully calculate a replica count from pods metric rps' },
      { type: 'ScalingLimited', status: 'False', reason: 'DesiredWithinRange', message: 'the desired count is within the acceptable range' },
    ]);
    expect(r.currentMetrics).toHaveLength(2);
    expect(r.error).toBeUndefined();
  });

  it('scales up on the valid metrics when another one failed', () => {
    const r = evaluateHpa(hpaInput(4, { metrics: [cpuUtilization(50), podsMetric('rps', 100)], metricValues: [fetchError('metrics-server unavailable'), rps(175)] }));
    expect(r.desiredReplicas).toBe(7);
    expect(r.conditions.find((c) => c.type === 'ScalingActive')).toMatchObject({ status: 'True', reason: 'ValidMetricFound' });
    expect(r.error).toBe(`invalid metrics (1 invalid out of 2), first error is: failed to get cpu resource metric value: ${CPU_DOWN_ERROR}`);
    expect(r.currentMetrics?.[0]).toEqual({ type: '' });
    expect(r.allMetricsFailed).toBe(false);
  });

  it('never scales down while a metric failed', () => {
    const input = hpaInput(4, { metrics: [cpuUtilization(50), podsMetric('rps', 100)], metricValues: [fetchError('metrics-server unavailable'), rps(50)] });
    const r = evaluateHpa(input);
    expect(r.desiredReplicas).toBe(4);
    expect(r.rescale).toBe(false);
    expect(r.conditions).toEqual([
      { type: 'AbleToScale', status: 'True', reason: 'SucceededGetScale', message: "the HPA controller was able to get the target's current scale" },
      { type: 'ScalingActive', status: 'False', reason: 'FailedGetResourceMetric', message: `the HPA was unable to compute the replica count: ${CPU_DOWN_ERROR}` },
    ]);
    expect(r.currentMetrics?.[1]).toMatchObject({ type: 'Pods' });
    expect(r.allMetricsFailed).toBe(false);
    // No normalization ran, so no recommendation was recorded.
    expect(r.history).toEqual(EXPIRED_HISTORY);
  });

  it('goes on when the valid metrics propose exactly the current count', () => {
    const r = evaluateHpa(hpaInput(4, { metrics: [cpuUtilization(50), podsMetric('rps', 100)], metricValues: [fetchError('metrics-server unavailable'), rps(100)] }));
    expect(r.conditions.find((c) => c.type === 'ScalingActive')).toMatchObject({ reason: 'ValidMetricFound' });
    expect(r.error).toMatch(/^invalid metrics \(1 invalid out of 2\)/);
    expect(r.history.recommendations).toContainEqual({ timestamp: NOW, replicas: 4 });
  });

  it('reports the first failure when every metric failed', () => {
    const r = evaluateHpa(hpaInput(4, { metrics: [cpuUtilization(50), podsMetric('rps', 100)], metricValues: [fetchError('metrics-server unavailable'), fetchError('adapter down')] }));
    expect(r).toMatchObject({ desiredReplicas: 4, rescale: false, allMetricsFailed: true, currentMetrics: [{ type: '' }, { type: '' }] });
    expect(r.conditions[1]).toMatchObject({ type: 'ScalingActive', status: 'False', reason: 'FailedGetResourceMetric' });
    expect(r.error).toBe(`invalid metrics (2 invalid out of 2), first error is: failed to get cpu resource metric value: ${CPU_DOWN_ERROR}`);
  });

  it('evaluates the API default (cpu at 80%) when no metric is listed', () => {
    // 100% of 80% → ceil(1.25 × 4) = 5
    const r = evaluateHpa(hpaInput(4, { metrics: [], metricValues: [cpuUsages(1000, 1000, 1000, 1000)] }));
    expect(r.desiredReplicas).toBe(5);
  });
});

describe('selector', () => {
  it.each([
    [{ selector: '' }, "the HPA target's scale is missing a selector"],
    [{ selectorError: 'unexpected token' }, "couldn't convert selector into a corresponding internal selector object: unexpected token"],
  ])('%p stops before any metric', (selectorState, message) => {
    const r = evaluateHpa(hpaInput(4, { ...selectorState, metricValues: [cpuUsages(900, 900, 900, 900)] }));
    expect(r.conditions[1]).toEqual({ type: 'ScalingActive', status: 'False', reason: 'InvalidSelector', message });
    expect(r.currentMetrics).toBeUndefined();
    expect(r).toMatchObject({ desiredReplicas: 4, rescale: false, allMetricsFailed: true });
  });
});

describe('limits without behavior', () => {
  it.each([
    // current, max, min, cpu usage per pod (milli), expected, ScalingLimited status, reason
    [3, 100, 1, 1000, 6, 'True', 'ScaleUpLimit'], // wants 30, at most max(2 × 3, 4)
    [1, 100, 1, 1000, 4, 'True', 'ScaleUpLimit'], // wants 10, at most max(2 × 1, 4)
    [3, 5, 1, 1000, 5, 'True', 'TooManyReplicas'], // maxReplicas below the rate limit
    [4, 100, 3, 100, 3, 'True', 'TooFewReplicas'], // wants 1
    [4, 100, 1, 900, 8, 'False', 'DesiredWithinRange'], // wants 8 = 2 × 4
  ])('current %i, max %i, min %i, usage %im → %i (%s %s)', (current, max, min, usage, expected, status, reason) => {
    const r = evaluateHpa(hpaInput(current, { maxReplicas: max, minReplicas: min, metrics: [cpuUtilization(usage === 1000 ? 10 : 50)], metricValues: [cpuUsages(...Array(current).fill(usage))] }));
    expect(r.desiredReplicas).toBe(expected);
    expect(r.conditions.find((c) => c.type === 'ScalingLimited')).toMatchObject({ status, reason });
  });

  it.each([
    [12, 'Current number of replicas above Spec.MaxReplicas', 10],
    [1, 'Current number of replicas below Spec.MinReplicas', 2],
  ])('brings %i replicas into range without looking at metrics (%s)', (current, reason, expected) => {
    const r = evaluateHpa(hpaInput(current, { minReplicas: 2, maxReplicas: 10, metricValues: [fetchError('never read')] }));
    expect(r).toMatchObject({ desiredReplicas: expected, rescale: true, rescaleReason: reason });
    expect(r.currentMetrics).toBeUndefined();
    expect(r.conditions.map((c) => c.reason)).toEqual(['SucceededRescale']);
  });

  it('leaves a target scaled to zero alone', () => {
    const r = evaluateHpa(hpaInput(0, { pods: [], metricValues: [cpuUsages()] }));
    expect(r).toMatchObject({ desiredReplicas: 0, rescale: false });
    expect(r.conditions[1]).toEqual({
      type: 'ScalingActive',
      status: 'False',
      reason: 'ScalingDisabled',
      message: 'scaling is disabled since the replica count of the target is zero',
    });
  });

  it('computes from zero with minReplicas 0 on a Value target (no pods needed)', () => {
    const spec: MetricSpec = { type: 'External', external: { metric: { name: 'q' }, target: { type: 'Value', value: 10 } } };
    const r = evaluateHpa(hpaInput(0, { pods: [], minReplicas: 0, metrics: [spec], metricValues: [external(25)] }));
    expect(r.desiredReplicas).toBe(3); // ceil(25 / 10), within max(2 × 0, 4)
  });

  it('applies the global tolerance from the config', () => {
    const input = hpaInput(10, { metricValues: [cpuUsages(...Array(10).fill(575))] }); // 57% → ratio 1.14
    expect(evaluateHpa(input).desiredReplicas).toBe(12);
    expect(evaluateHpa({ ...input, config: { tolerance: 0.2 } }).desiredReplicas).toBe(10);
  });
});

describe('stabilization without behavior', () => {
  const down = (current: number, history: ScalerHistory | undefined) =>
    evaluateHpa(hpaInput(current, { history, metricValues: [cpuUsages(...Array(current).fill(100))] })); // wants ceil(0.2 × n)

  it('seeds a new autoscaler with the current count, which holds the first scale-down', () => {
    const r = down(8, undefined);
    expect(r).toMatchObject({ desiredReplicas: 8, rescale: false });
    expect(r.conditions[0]).toEqual({
      type: 'AbleToScale',
      status: 'True',
      reason: 'ScaleDownStabilized',
      message: 'recent recommendations were higher than current one, applying the highest recent recommendation',
    });
    expect(r.history.recommendations).toEqual([
      { timestamp: NOW, replicas: 8 },
      { timestamp: NOW, replicas: 2 },
    ]);
  });

  it('applies the highest recommendation of the last 5 minutes and forgets older ones', () => {
    const r = down(8, { recommendations: [{ timestamp: NOW - 60 * SECOND, replicas: 6 }, { timestamp: NOW - 400 * SECOND, replicas: 10 }] });
    expect(r.desiredReplicas).toBe(6);
    expect(r.history.recommendations).toEqual([
      { timestamp: NOW - 60 * SECOND, replicas: 6 },
      { timestamp: NOW, replicas: 2 },
    ]);
  });

  it.each([
    [300 * SECOND, 10], // exactly at the window's edge still counts — even above the current count
    [300 * SECOND + 1, 2],
  ])('a recommendation %i ms old → %i', (age, expected) => {
    expect(down(8, { recommendations: [{ timestamp: NOW - age, replicas: 10 }] }).desiredReplicas).toBe(expected);
  });

  it('uses the configured downscale stabilization window', () => {
    const history = { recommendations: [{ timestamp: NOW - 90 * SECOND, replicas: 8 }] };
    expect(down(8, history).desiredReplicas).toBe(8);
    expect(evaluateHpa({ ...hpaInput(8, { history, metricValues: [cpuUsages(...Array(8).fill(100))] }), config: { downscaleStabilizationWindowSeconds: 60 } }).desiredReplicas).toBe(2);
  });

  it('records no scale events without behavior', () => {
    const r = evaluateHpa(hpaInput(4, { metricValues: [cpuUsages(900, 900, 900, 900)] }));
    expect(r.desiredReplicas).toBe(8);
    expect(r.history.scaleUpEvents).toBeUndefined();
  });

  it('ignores samples of pods outside the selection', () => {
    const r = evaluateHpa(hpaInput(2, { pods: pods(2), metricValues: [cpuUsages(900, 900, 900)] }));
    expect(r.desiredReplicas).toBe(4); // pod-2's sample has no pod and no request
  });
});
