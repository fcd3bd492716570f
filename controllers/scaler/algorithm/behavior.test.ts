// `behavior`: stabilization windows, scaling policies over past events, tolerances.

import { resolveBehavior, scaleDownLimitWithRules, scaleUpLimitWithRules, type ResolvedRules } from './behavior.js';
import type { ScaleEvent } from './history.js';
import { evaluateHpa } from './hpa.js';
import { NOW, SECOND, cpuUsages, hpaInput } from '../../../test/support/scaler-fixtures.js';
import type { Behavior, ScalingPolicy, SelectPolicy } from './types.js';

const NO_EVENTS = { scaleUpEvents: [], scaleDownEvents: [] };
const rules = (policies: ScalingPolicy[], selectPolicy: SelectPolicy = 'Max'): ResolvedRules => ({
  stabilizationWindowSeconds: 0,
  selectPolicy,
  policies,
});
const usage = (n: number, milli: number) => cpuUsages(...Array(n).fill(milli));
const limitedBy = (r: ReturnType<typeof evaluateHpa>) => r.conditions.find((c) => c.type === 'ScalingLimited');

describe('scale-up policies', () => {
  const policies: ScalingPolicy[] = [
    { type: 'Pods', value: 4, periodSeconds: 60 },
    { type: 'Percent', value: 100, periodSeconds: 60 },
  ];

  it.each([
    ['Max', 20, 'True', 'ScaleUpLimit'], // max(10 + 4, 10 × 2)
    ['Min', 14, 'True', 'ScaleUpLimit'],
    ['Disabled', 10, 'True', 'ScaleUpLimit'],
  ] as const)('selectPolicy %s → %i', (selectPolicy, expected, status, reason) => {
    const behavior: Behavior = { scaleUp: { selectPolicy, policies } };
    // 100% of a 10% target → wants 100
    const r = evaluateHpa(hpaInput(10, { behavior, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 10 } } }], metricValues: [usage(10, 1000)] }));
    expect(r.desiredReplicas).toBe(expected);
    expect(r.rescale).toBe(expected !== 10);
    expect(limitedBy(r)).toMatchObject({ status, reason, message: 'the desired replica count is increasing faster than the maximum scale rate' });
  });

  it('rounds Percent up so that small counts can grow', () => {
    expect(scaleUpLimitWithRules(3, NO_EVENTS, rules([{ type: 'Percent', value: 10, periodSeconds: 60 }]), NOW)).toBe(4);
  });

  it.each([
    ['within the period', [{ timestamp: NOW - 30 * SECOND, replicaChange: 3 }], 11],
    ['older than the period', [{ timestamp: NOW - 90 * SECOND, replicaChange: 3 }], 14],
    ['exactly one period old', [{ timestamp: NOW - 60 * SECOND, replicaChange: 3 }], 14],
  ])('counts past scale-ups %s from the period start', (_name, scaleUpEvents: ScaleEvent[], expected) => {
    const limit = scaleUpLimitWithRules(10, { scaleUpEvents, scaleDownEvents: [] }, rules([{ type: 'Pods', value: 4, periodSeconds: 60 }]), NOW);
    expect(limit).toBe(expected);
  });

  it('adds back recent scale-downs to the period start', () => {
    const events = { scaleUpEvents: [], scaleDownEvents: [{ timestamp: NOW - 10 * SECOND, replicaChange: 2 }] };
    expect(scaleUpLimitWithRules(10, events, rules([{ type: 'Pods', value: 4, periodSeconds: 60 }]), NOW)).toBe(16);
  });

  it('holds the count while past scale-ups used up the period', () => {
    const history = { recommendations: [{ timestamp: NOW - 3600 * SECOND, replicas: 1 }], scaleUpEvents: [{ timestamp: NOW - 5 * SECOND, replicaChange: 5 }] };
    const behavior: Behavior = { scaleUp: { policies: [{ type: 'Percent', value: 100, periodSeconds: 60 }] } };
    const r = evaluateHpa(hpaInput(10, { behavior, history, metricValues: [usage(10, 900)] })); // wants 18; period start 5 allows 10
    expect(r).toMatchObject({ desiredReplicas: 10, rescale: false });
    expect(limitedBy(r)).toMatchObject({ status: 'True', reason: 'ScaleUpLimit' });
  });
});

describe('scale-down policies', () => {
  const policies: ScalingPolicy[] = [
    { type: 'Percent', value: 10, periodSeconds: 60 },
    { type: 'Pods', value: 3, periodSeconds: 60 },
  ];

  it.each([
    ['Max', 17], // the largest change: min(20 × 0.9, 20 − 3)
    ['Min', 18],
    ['Disabled', 20],
  ] as const)('selectPolicy %s → %i', (selectPolicy, expected) => {
    const behavior: Behavior = { scaleDown: { selectPolicy, policies, stabilizationWindowSeconds: 0 } };
    const r = evaluateHpa(hpaInput(20, { behavior, metricValues: [usage(20, 120)] })); // 12% of 50% → wants 5
    expect(r.desiredReplicas).toBe(expected);
    expect(limitedBy(r)).toMatchObject({ status: 'True', reason: 'ScaleDownLimit', message: 'the desired replica count is decreasing faster than the maximum scale rate' });
  });

  it('truncates Percent towards zero', () => {
    expect(scaleDownLimitWithRules(15, NO_EVENTS, rules([{ type: 'Percent', value: 15, periodSeconds: 60 }]), NOW)).toBe(12); // 12.75
  });

  it('stops at minReplicas with TooFewReplicas', () => {
    const behavior: Behavior = { scaleDown: { stabilizationWindowSeconds: 0 } };
    const r = evaluateHpa(hpaInput(6, { minReplicas: 5, behavior, metricValues: [usage(6, 100)] })); // wants 2
    expect(r.desiredReplicas).toBe(5);
    expect(limitedBy(r)).toMatchObject({ status: 'True', reason: 'TooFewReplicas' });
  });

  it('counts recent scale-downs against the period', () => {
    const events = { scaleUpEvents: [], scaleDownEvents: [{ timestamp: NOW - 20 * SECOND, replicaChange: 2 }] };
    // period start 12: 12 − 3 = 9
    expect(scaleDownLimitWithRules(10, events, rules([{ type: 'Pods', value: 3, periodSeconds: 60 }]), NOW)).toBe(9);
  });
});

describe('default behavior', () => {
  it('fills the API defaults', () => {
    expect(resolveBehavior({}, 300)).toEqual({
      scaleUp: {
        stabilizationWindowSeconds: 0,
        selectPolicy: 'Max',
        policies: [
          { type: 'Pods', value: 4, periodSeconds: 15 },
          { type: 'Percent', value: 100, periodSeconds: 15 },
        ],
      },
      scaleDown: { stabilizationWindowSeconds: 300, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] },
    });
  });

  it.each([
    [3, 7], // 3 + 4 beats 3 × 2
    [10, 20], // 10 × 2 beats 10 + 4
  ])('scales %i replicas up to at most %i in one step', (current, expected) => {
    const r = evaluateHpa(hpaInput(current, { behavior: {}, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 10 } } }], metricValues: [usage(current, 1000)] }));
    expect(r.desiredReplicas).toBe(expected);
    expect(r.history.scaleUpEvents).toEqual([{ timestamp: NOW, replicaChange: expected - current }]);
    expect(r.historyIfRescaleFails.scaleUpEvents).toBeUndefined();
  });

  it('stabilizes scale-downs over the controller window', () => {
    const history = { recommendations: [{ timestamp: NOW - 100 * SECOND, replicas: 10 }] };
    const input = hpaInput(10, { behavior: {}, history, metricValues: [usage(10, 100)] }); // wants 2
    expect(evaluateHpa(input).desiredReplicas).toBe(10);
    expect(evaluateHpa({ ...input, config: { downscaleStabilizationWindowSeconds: 60 } }).desiredReplicas).toBe(2);
  });
});

describe('stabilization with behavior', () => {
  it('does not scale up past the lowest recent recommendation of the scale-up window', () => {
    const behavior: Behavior = { scaleUp: { stabilizationWindowSeconds: 60 } };
    const history = { recommendations: [{ timestamp: NOW - 30 * SECOND, replicas: 4 }] };
    const r = evaluateHpa(hpaInput(4, { behavior, history, metricValues: [usage(4, 900)] })); // wants 8
    expect(r).toMatchObject({ desiredReplicas: 4, rescale: false });
    expect(r.conditions[0]).toEqual({
      type: 'AbleToScale',
      status: 'True',
      reason: 'ScaleUpStabilized',
      message: 'recent recommendations were lower than current one, applying the lowest recent recommendation',
    });
  });

  it('moves part of the way when recent recommendations allow it', () => {
    const behavior: Behavior = { scaleUp: { stabilizationWindowSeconds: 60 } };
    const history = { recommendations: [{ timestamp: NOW - 30 * SECOND, replicas: 6 }, { timestamp: NOW - 90 * SECOND, replicas: 4 }] };
    const r = evaluateHpa(hpaInput(4, { behavior, history, metricValues: [usage(4, 900)] }));
    expect(r.desiredReplicas).toBe(6);
    expect(r.history.recommendations).toEqual([
      { timestamp: NOW - 30 * SECOND, replicas: 6 },
      { timestamp: NOW - 90 * SECOND, replicas: 4 }, // still inside the 300 s scale-down window
      { timestamp: NOW, replicas: 8 },
    ]);
  });
});

describe('per-direction tolerance', () => {
  const behavior: Behavior = { scaleUp: { tolerance: '0.05' }, scaleDown: { tolerance: 0.2, stabilizationWindowSeconds: 0 } };

  it.each([
    [530, 11, 10], // ratio 1.06: beyond 5% up, within the default 10%
    [420, 10, 9], // ratio 0.84: within 20% down, beyond the default 10%
    [390, 8, 8], // ratio 0.78: beyond both
  ])('usage %im → %i with behavior tolerances, %i with the default', (milli, withBehavior, withDefault) => {
    expect(evaluateHpa(hpaInput(10, { behavior, metricValues: [usage(10, milli)] })).desiredReplicas).toBe(withBehavior);
    expect(evaluateHpa(hpaInput(10, { metricValues: [usage(10, milli)] })).desiredReplicas).toBe(withDefault);
  });
});

describe('scale event history', () => {
  it('reuses the last outdated slot of a direction whose periods are shorter than the other one', () => {
    // Up periods (15 s) are shorter than down periods (600 s): up events are kept exactly as upstream keeps them.
    const behavior: Behavior = { scaleDown: { policies: [{ type: 'Pods', value: 1, periodSeconds: 600 }] } };
    const history = {
      recommendations: [{ timestamp: NOW - 3600 * SECOND, replicas: 1 }],
      scaleUpEvents: [
        { timestamp: NOW - 100 * SECOND, replicaChange: 2 },
        { timestamp: NOW - 5 * SECOND, replicaChange: 1 },
      ],
      scaleDownEvents: [
        { timestamp: NOW - 700 * SECOND, replicaChange: 1 },
        { timestamp: NOW - 300 * SECOND, replicaChange: 1 },
      ],
    };
    const r = evaluateHpa(hpaInput(4, { behavior, history, metricValues: [usage(4, 900)] }));
    expect(r.desiredReplicas).toBe(7); // period start 3: max(3 + 4, 3 × 2)
    expect(r.history.scaleUpEvents).toEqual([
      { timestamp: NOW, replicaChange: 3 },
      { timestamp: NOW - 5 * SECOND, replicaChange: 1 },
    ]);
    // Down events older than every period are dropped.
    expect(r.history.scaleDownEvents).toEqual([{ timestamp: NOW - 300 * SECOND, replicaChange: 1 }]);
  });
});
