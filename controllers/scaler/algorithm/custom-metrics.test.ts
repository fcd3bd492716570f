// Pods, Object, External and Prometheus proposals.

import { computeReplicasForMetric, type MetricContext } from './metric-replicas.js';
import { MINUTE, NOW, SECOND, external, externalAverage, fetchError, pod, podValues, pods, podsMetric } from '../../../test/support/scaler-fixtures.js';
import type { MetricSpec, MetricTarget, MetricValue, PodInfo } from './types.js';

function context(podList: PodInfo[], current = podList.length, statusReplicas = current): MetricContext {
  return {
    specReplicas: current,
    statusReplicas,
    pods: podList,
    tolerances: { scaleUp: 0.1, scaleDown: 0.1 },
    timing: { now: NOW, cpuInitializationPeriodMs: 5 * MINUTE, delayOfInitialReadinessStatusMs: 30 * SECOND },
    namespace: 'shop',
  };
}

describe('Pods metrics', () => {
  it.each([
    ['scales by the average over the per-pod target', pods(3), { 'pod-0': 150, 'pod-1': 150, 'pod-2': 150 }, 5, '150'],
    // pod-3 missing on a scale-down counts at the target: (3 × 50 + 100) / 4 = 62.5 → ceil(0.625 × 4) = 3
    ['assumes missing pods are at the target on a scale-down', pods(4), { 'pod-0': 50, 'pod-1': 50, 'pod-2': 50 }, 3, '50'],
    // The readiness rules are for CPU only: a not-ready running pod's sample counts.
    [
      'counts samples of running pods that are not ready',
      [pod('pod-0'), pod('pod-1', { ready: 'False', startedAgo: MINUTE, readySinceAgo: MINUTE })],
      { 'pod-0': 150, 'pod-1': 150 },
      3,
      '150',
    ],
    // 0.7 average; filling pod-1 at the target gives 0.8 over 3 samples (one of an unknown pod)
    // → ceil(2.4) = 3, which is up while the metric says down: keep 2.
    ['keeps the count when the number of samples would flip the direction', pods(2), { 'pod-0': 70, ghost: 70 }, 2, '70'],
    ['truncates the average to a milli-value', pods(3), { 'pod-0': '1m', 'pod-1': '1m', 'pod-2': '2m' }, 1, '1m'],
  ])('%s', (_name, list, values, expected, average) => {
    const p = computeReplicasForMetric(podsMetric('rps', 100), podValues(values), context(list));
    expect(p).toEqual({
      ok: true,
      replicas: expected,
      metricName: 'pods metric rps',
      status: { type: 'Pods', pods: { metric: { name: 'rps' }, current: { averageValue: average } } },
    });
  });

  it.each([
    ['a fetch error', fetchError('adapter down'), 'unable to get metric rps: adapter down'],
    ['no samples', podValues({}), 'unable to get metric rps: no metrics returned from custom metrics API'],
    ['a value of the wrong kind', external(1), 'unable to get metric rps: got a metric value of kind external where pods was expected'],
  ])('fails on %s', (_name, value, inner) => {
    expect(computeReplicasForMetric(podsMetric('rps', 100), value, context(pods(2)))).toEqual({
      ok: false,
      reason: 'FailedGetPodsMetric',
      message: `the HPA was unable to compute the replica count: ${inner}`,
      error: `failed to get pods metric value: ${inner}`,
      status: { type: '' },
    });
  });
});

describe('Object metrics', () => {
  const objectMetric = (target: MetricTarget): MetricSpec => ({
    type: 'Object',
    object: { describedObject: { apiVersion: 'v1', kind: 'Service', name: 'frontend' }, metric: { name: 'requests' }, target },
  });
  const value = (v: number | string): MetricValue => ({ kind: 'object', value: v });
  const notReady = pod('pod-2', { ready: 'False' });

  it('Value target: scales the ready pods by value / target', () => {
    const p = computeReplicasForMetric(objectMetric({ type: 'Value', value: 10 }), value(25), context(pods(3)));
    expect(p).toEqual({
      ok: true,
      replicas: 8, // ceil(2.5 × 3)
      metricName: 'Service metric requests',
      status: {
        type: 'Object',
        object: { describedObject: { apiVersion: 'v1', kind: 'Service', name: 'frontend' }, metric: { name: 'requests' }, current: { value: '25' } },
      },
    });
  });

  it('Value target: counts only running and ready pods', () => {
    const p = computeReplicasForMetric(objectMetric({ type: 'Value', value: 10 }), value(25), context([...pods(2), notReady]));
    expect(p).toMatchObject({ ok: true, replicas: 5 }); // ceil(2.5 × 2)
  });

  it('Value target: keeps the count within tolerance', () => {
    expect(computeReplicasForMetric(objectMetric({ type: 'Value', value: 10 }), value(11), context(pods(3)))).toMatchObject({ replicas: 3 });
  });

  it('Value target: from zero replicas the ratio itself is the answer', () => {
    expect(computeReplicasForMetric(objectMetric({ type: 'Value', value: 10 }), value(25), context([], 0))).toMatchObject({ replicas: 3 });
  });

  it('AverageValue target: ceil(value / target), whatever the pods', () => {
    // ratio 45 / (10 × 3) = 1.5 → ceil(45 / 10) = 5; the current average is ceil(45 / 3) = 15
    const p = computeReplicasForMetric(objectMetric({ type: 'AverageValue', averageValue: 10 }), value(45), context([...pods(2), notReady]));
    expect(p).toMatchObject({
      ok: true,
      replicas: 5,
      metricName: 'external metric requests(nil)', // sic: upstream's wording for Object average values
      status: { object: { current: { averageValue: '15' } } },
    });
  });

  it('AverageValue target: divides by the scale status replicas', () => {
    const p = computeReplicasForMetric(objectMetric({ type: 'AverageValue', averageValue: 10 }), value(45), context(pods(3), 3, 2));
    expect(p).toMatchObject({ replicas: 5, status: { object: { current: { averageValue: '22500m' } } } }); // ceil on milli-values
  });

  it('fails with the object in the message', () => {
    const p = computeReplicasForMetric(objectMetric({ type: 'Value', value: 10 }), fetchError('not found'), context(pods(3)));
    expect(p).toMatchObject({
      ok: false,
      reason: 'FailedGetObjectMetric',
      message: 'the HPA was unable to compute the replica count: unable to get metric requests on Service shop/frontend: not found',
      error: 'failed to get object metric value: unable to get metric requests on Service shop/frontend: not found',
    });
  });

  it('fails when the target type and field do not match', () => {
    const p = computeReplicasForMetric(objectMetric({ type: 'Value', averageValue: 10 }), value(1), context(pods(3)));
    expect(p).toMatchObject({
      ok: false,
      message: 'the HPA was unable to compute the replica count: invalid object metric source: neither a value target nor an average value target was set',
    });
  });
});

describe('External metrics', () => {
  const selector = { matchLabels: { queue: 'jobs', env: 'prod' } };
  const withSelector: MetricSpec = {
    type: 'External',
    external: { metric: { name: 'queue_depth', selector }, target: { type: 'AverageValue', averageValue: 10 } },
  };

  it('AverageValue: sums the series and divides by the target', () => {
    const p = computeReplicasForMetric(externalAverage('queue_depth', 10), external(30, 20), context(pods(2)));
    expect(p).toEqual({
      ok: true,
      replicas: 5, // ceil(50 / 10)
      metricName: 'external metric queue_depth(nil)',
      status: { type: 'External', external: { metric: { name: 'queue_depth' }, current: { averageValue: '25' } } },
    });
  });

  it('AverageValue: keeps the status replicas within tolerance', () => {
    // 21 / (10 × 2) = 1.05
    expect(computeReplicasForMetric(externalAverage('q', 10), external(21), context(pods(2)))).toMatchObject({ replicas: 2 });
  });

  it('Value: scales the ready pods by total / target', () => {
    const spec: MetricSpec = { type: 'External', external: { metric: { name: 'q' }, target: { type: 'Value', value: 40 } } };
    // 50 / 40 = 1.25 → ceil(1.25 × 5) = 7
    expect(computeReplicasForMetric(spec, external(30, 20), context(pods(5)))).toMatchObject({
      ok: true,
      replicas: 7,
      status: { external: { current: { value: '50' } } },
    });
  });

  it('prints the metric selector the way the HPA does', () => {
    const p = computeReplicasForMetric(withSelector, external(30), context(pods(2)));
    expect(p).toMatchObject({
      metricName:
        'external metric queue_depth(&LabelSelector{MatchLabels:map[string]string{env: prod,queue: jobs,},MatchExpressions:[]LabelSelectorRequirement{},})',
    });
  });

  it.each([
    ['a fetch error', fetchError('timeout'), 'timeout'],
    ['an empty answer', external(), 'no metrics returned from external metrics API'],
  ])('fails on %s', (_name, value, cause) => {
    const inner = `unable to get external metric shop/queue_depth/nil: ${cause}`;
    expect(computeReplicasForMetric(externalAverage('queue_depth', 10), value, context(pods(2)))).toEqual({
      ok: false,
      reason: 'FailedGetExternalMetric',
      message: `the HPA was unable to compute the replica count: ${inner}`,
      error: `failed to get queue_depth external metric value: failed to get queue_depth external metric: ${inner}`,
      status: { type: '' },
    });
  });
});

describe('Prometheus metrics', () => {
  const prometheus = (metricType?: 'Value' | 'AverageValue'): MetricSpec => ({
    type: 'Prometheus',
    prometheus: { name: 'http_rps', query: 'sum(rate(http_requests_total[1m]))', threshold: 100, ...(metricType ? { metricType } : {}) },
  });

  it('uses the threshold per pod by default', () => {
    // 450 / 100 → 5 replicas, whatever the pods
    expect(computeReplicasForMetric(prometheus(), external(450), context(pods(2)))).toEqual({
      ok: true,
      replicas: 5,
      metricName: 'prometheus metric http_rps',
      status: { type: 'Prometheus', prometheus: { name: 'http_rps', current: { averageValue: '225' } } },
    });
  });

  it('uses the threshold as a total with metricType Value', () => {
    // 450 / 100 = 4.5 → ceil(4.5 × 2 ready pods) = 9
    expect(computeReplicasForMetric(prometheus('Value'), external(450), context(pods(2)))).toMatchObject({ replicas: 9 });
  });

  it('fails with its own reason', () => {
    expect(computeReplicasForMetric(prometheus(), external(), context(pods(2)))).toMatchObject({
      ok: false,
      reason: 'FailedGetPrometheusMetric',
      message: 'the HPA was unable to compute the replica count: unable to get prometheus metric http_rps: the query returned no data',
    });
  });
});
