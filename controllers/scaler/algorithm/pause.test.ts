// Pausing: hold the current count or pin one, without evaluating anything.

import { evaluateScaler, type ScalerInput } from './scaler.js';
import { NOW, cpuUtilization, fetchError, pods } from '../../../test/support/scaler-fixtures.js';

const history = { recommendations: [{ timestamp: NOW - 1000, replicas: 3 }], consecutiveFailures: 2 };
const base: ScalerInput = {
  now: NOW,
  currentReplicas: 3,
  pods: pods(3),
  maxReplicas: 5,
  metrics: [cpuUtilization(50)],
  metricValues: [fetchError('not read while paused')],
  history,
  fallback: { failureThreshold: 3, replicas: 5 },
};

describe('pause', () => {
  it('holds the current count and leaves the history alone', () => {
    const r = evaluateScaler({ ...base, paused: { mode: 'HoldCurrent' } });
    expect(r).toMatchObject({ desiredReplicas: 3, rescale: false, paused: true, history, fallbackActive: false });
    expect(r.conditions).toEqual([
      { type: 'AbleToScale', status: 'False', reason: 'ScalingPaused', message: 'autoscaling is paused; holding the current 3 replicas' },
    ]);
    expect(r.currentMetrics).toBeUndefined();
  });

  it('pins a count, even outside min/max', () => {
    const r = evaluateScaler({ ...base, paused: { replicas: 7 } });
    expect(r).toMatchObject({ desiredReplicas: 7, rescale: true, paused: true, history });
    expect(r.conditions[0]).toMatchObject({ reason: 'ScalingPaused', message: 'autoscaling is paused; replicas are pinned to 7' });
  });

  it('resumes with the persisted history', () => {
    const r = evaluateScaler(base); // third failure in a row → fallback
    expect(r).toMatchObject({ paused: false, fallbackActive: true, desiredReplicas: 5 });
  });
});
