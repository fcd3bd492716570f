import { ConditionSet } from './conditions.js';
import { evaluateActivation } from './activation.js';
import { failedRescaleCondition } from './hpa.js';
import { formatLabelSelector } from './selector-format.js';
import { external, externalAverage, fetchError, podValues, podsMetric } from '../../../test/support/scaler-fixtures.js';

describe('conditions', () => {
  it('lets a later set of the same type win within one evaluation', () => {
    const set = new ConditionSet().set('AbleToScale', 'True', 'SucceededGetScale', 'x').set('ScalingActive', 'True', 'ValidMetricFound', 'y');
    set.set('AbleToScale', 'True', 'SucceededRescale', 'z');
    expect(set.toArray().map((c) => c.reason)).toEqual(['SucceededRescale', 'ValidMetricFound']);
  });

  it('builds the failed-update condition', () => {
    expect(failedRescaleCondition('conflict')).toEqual({
      type: 'AbleToScale',
      status: 'False',
      reason: 'FailedUpdateScale',
      message: 'the HPA controller was unable to update the target scale: conflict',
    });
  });
});

describe('formatLabelSelector', () => {
  it('prints match expressions like the generated Go String()', () => {
    expect(formatLabelSelector({ matchExpressions: [{ key: 'tier', operator: 'In', values: ['a', 'b'] }, { key: 'x', operator: 'Exists' }] })).toBe(
      '&LabelSelector{MatchLabels:map[string]string{},MatchExpressions:[]LabelSelectorRequirement{' +
        'LabelSelectorRequirement{Key:tier,Operator:In,Values:[a b],},LabelSelectorRequirement{Key:x,Operator:Exists,Values:[],},},}',
    );
  });
});

describe('evaluateActivation', () => {
  it('compares the pods average, and ignores Resource metrics', () => {
    const specs = [{ ...podsMetric('rps', 10), activationThreshold: 20 }];
    expect(evaluateActivation(specs, [podValues({ a: 10, b: 40 })]).state).toBe('active'); // average 25
    expect(evaluateActivation(specs, [podValues({ a: 10, b: 20 })]).state).toBe('inactive'); // average 15
  });

  it('is active when any metric is, and unknown only when every capable metric failed', () => {
    const specs = [externalAverage('a', 1, 5), externalAverage('b', 1, 5)];
    expect(evaluateActivation(specs, [fetchError('x'), external(6)])).toEqual({
      state: 'active',
      activeMetrics: ['external metric b(nil)'],
      capable: 2,
    });
    expect(evaluateActivation(specs, [fetchError('x'), external(5)]).state).toBe('inactive'); // not above 5
    expect(evaluateActivation(specs, [fetchError('x'), external()]).state).toBe('unknown');
  });
});
