// Scaling to and from zero (KEDA-style activation and cooldown).

import { evaluateScaler, type ScalerInput } from './scaler.js';
import { EXPIRED_HISTORY, NOW, SECOND, cpuUsages, cpuUtilization, external, externalAverage, fetchError, pods } from '../../../test/support/scaler-fixtures.js';
import type { ScalerHistory } from './history.js';
import type { MetricValue } from './types.js';

function input(current: number, value: MetricValue, history: ScalerHistory = EXPIRED_HISTORY, extra: Partial<ScalerInput> = {}): ScalerInput {
  return {
    now: NOW,
    currentReplicas: current,
    pods: pods(current),
    minReplicas: 0,
    maxReplicas: 10,
    metrics: [externalAverage('queue', 10, 5)],
    metricValues: [value],
    history,
    ...extra,
  };
}
const condition = (r: ReturnType<typeof evaluateScaler>, type: string) => r.conditions.find((c) => c.type === type);

describe('at zero replicas', () => {
  it('stays at zero while no metric exceeds its activation threshold', () => {
    const r = evaluateScaler(input(0, external(3)));
    expect(r).toMatchObject({ desiredReplicas: 0, rescale: false });
    expect(condition(r, 'ScalingActive')).toMatchObject({ status: 'False', reason: 'ScaledToZero' });
    expect(condition(r, 'Active')).toMatchObject({ status: 'False', reason: 'ScalerNotActive' });
    expect(r.history.lastActiveTime).toBeUndefined();
  });

  it('activates to one replica and lets the HPA take over from there', () => {
    const r = evaluateScaler(input(0, external(6)));
    expect(r).toMatchObject({ desiredReplicas: 1, rescale: true });
    expect(condition(r, 'AbleToScale')).toMatchObject({ status: 'True', reason: 'ScaleFromZero' });
    expect(condition(r, 'Active')).toEqual({ type: 'Active', status: 'True', reason: 'ScalerActive', message: 'above activation threshold: external metric queue(nil)' });
    expect(r.history).toEqual({ ...EXPIRED_HISTORY, lastActiveTime: NOW });
  });

  it.each([
    [0, false],
    ['1m', true],
  ])('with the default threshold of 0, a value of %p is active: %p', (value, active) => {
    const r = evaluateScaler({ ...input(0, external(value)), metrics: [externalAverage('queue', 10)] });
    expect(r.desiredReplicas).toBe(active ? 1 : 0);
  });

  it('treats a failed metric as unknown activity and holds zero', () => {
    const r = evaluateScaler(input(0, fetchError('broker down')));
    expect(r.desiredReplicas).toBe(0);
    expect(condition(r, 'Active')).toMatchObject({ status: 'Unknown', reason: 'ActivityUnknown' });
    expect(r.history.consecutiveFailures).toBe(1);
  });
});

describe('towards zero', () => {
  it('keeps one replica during the cooldown', () => {
    const r = evaluateScaler(input(1, external(0), { ...EXPIRED_HISTORY, lastActiveTime: NOW - 100 * SECOND }));
    expect(r).toMatchObject({ desiredReplicas: 1, rescale: false });
    expect(condition(r, 'ScalingLimited')).toMatchObject({ reason: 'TooFewReplicas' }); // the HPA core's floor of 1
  });

  it.each([
    [300 * SECOND, 0],
    [300 * SECOND - 1, 1],
  ])('scales 1 → 0 once the cooldown has passed (inactive for %i ms → %i)', (inactiveFor, expected) => {
    const r = evaluateScaler(input(1, external(0), { ...EXPIRED_HISTORY, lastActiveTime: NOW - inactiveFor }));
    expect(r.desiredReplicas).toBe(expected);
    if (expected === 0) {
      expect(condition(r, 'AbleToScale')).toEqual({
        type: 'AbleToScale',
        status: 'True',
        reason: 'ScaleToZero',
        message: 'no metric above its activation threshold for 300s; scaling to zero',
      });
    }
  });

  it('uses the configured cooldown', () => {
    const r = evaluateScaler(input(1, external(0), { ...EXPIRED_HISTORY, lastActiveTime: NOW - 60 * SECOND }, { cooldownPeriodSeconds: 30 }));
    expect(r.desiredReplicas).toBe(0);
  });

  it('scales N → 1 through the HPA core first, even after the cooldown', () => {
    const history = { ...EXPIRED_HISTORY, lastActiveTime: NOW - 3600 * SECOND };
    const r = evaluateScaler(input(4, external(0), history, { behavior: { scaleDown: { stabilizationWindowSeconds: 0 } } }));
    expect(r.desiredReplicas).toBe(1);
    expect(r.history.scaleDownEvents).toEqual([{ timestamp: NOW, replicaChange: 3 }]);
  });

  it('does not record the 1 → 0 step as an HPA scale event', () => {
    const history = { ...EXPIRED_HISTORY, lastActiveTime: NOW - 3600 * SECOND };
    const r = evaluateScaler(input(1, external(0), history, { behavior: {} }));
    expect(r.desiredReplicas).toBe(0);
    expect(r.history.scaleDownEvents).toBeUndefined();
  });

  it('starts the cooldown clock when it has never seen activity', () => {
    const r = evaluateScaler(input(1, external(0)));
    expect(r.desiredReplicas).toBe(1);
    expect(r.history.lastActiveTime).toBe(NOW);
  });

  it('keeps scaling with the HPA while active, and remembers the activity', () => {
    const r = evaluateScaler(input(2, external(45), { ...EXPIRED_HISTORY, lastActiveTime: NOW - 3600 * SECOND }));
    expect(r.desiredReplicas).toBe(4); // wants ceil(45 / 10) = 5, at most max(2 × 2, 4)
    expect(r.history.lastActiveTime).toBe(NOW);
  });

  it('never goes to zero while activity is unknown', () => {
    const r = evaluateScaler(input(1, fetchError('broker down'), { ...EXPIRED_HISTORY, lastActiveTime: NOW - 3600 * SECOND }));
    expect(r.desiredReplicas).toBe(1);
  });

  it('cannot scale to zero on Resource metrics alone', () => {
    const r = evaluateScaler({
      ...input(1, cpuUsages(10), { ...EXPIRED_HISTORY, lastActiveTime: NOW - 3600 * SECOND }),
      metrics: [cpuUtilization(50)],
    });
    expect(r.desiredReplicas).toBe(1);
    expect(condition(r, 'Active')).toMatchObject({ status: 'Unknown', message: 'no metric can activate (only Resource metrics); scaling to zero is off' });
  });
});
