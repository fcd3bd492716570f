// Resource and ContainerResource proposals (GetResourceReplicas,
// GetRawResourceReplicas and groupPods upstream).

import { computeReplicasForMetric, type MetricContext } from './metric-replicas.js';
import { MINUTE, NOW, SECOND, cpuUsages, cpuUtilization, pod, pods, resourceSamples } from '../../../test/support/scaler-fixtures.js';
import type { MetricSpec, MetricValue, PodInfo } from './types.js';

function context(podList: PodInfo[], current = podList.length): MetricContext {
  return {
    specReplicas: current,
    statusReplicas: current,
    pods: podList,
    tolerances: { scaleUp: 0.1, scaleDown: 0.1 },
    timing: { now: NOW, cpuInitializationPeriodMs: 5 * MINUTE, delayOfInitialReadinessStatusMs: 30 * SECOND },
    namespace: 'default',
  };
}

function propose(spec: MetricSpec, value: MetricValue, podList: PodInfo[], current?: number) {
  return computeReplicasForMetric(spec, value, context(podList, current));
}

function replicasOf(p: ReturnType<typeof propose>): number {
  if (!p.ok) throw new Error(`unexpected failure: ${p.message}`);
  return p.replicas;
}

describe('Resource utilization', () => {
  it.each([
    // name, pod count, usage per pod (milli), target %, expected, reported utilization
    ['truncates the utilization before the ratio (100.9% → 100%)', 1, [1009], 50, 2, 100],
    ['scales by ceil(ratio × ready pods)', 3, [900, 900, 900], 50, 6, 90],
    ['keeps the count at exactly +tolerance (ratio 1.1)', 10, Array(10).fill(550), 50, 10, 55],
    ['scales up just beyond +tolerance (ratio 1.12)', 10, Array(10).fill(560), 50, 12, 56],
    ['keeps the count at exactly −tolerance (ratio 0.9)', 10, Array(10).fill(450), 50, 10, 45],
    ['scales down just beyond −tolerance (ratio 0.88)', 10, Array(10).fill(440), 50, 9, 44],
  ])('%s', (_name, count, usage, target, expected, utilization) => {
    const p = propose(cpuUtilization(target), cpuUsages(...usage), pods(count));
    expect(p).toMatchObject({
      ok: true,
      replicas: expected,
      metricName: 'cpu resource utilization (percentage of request)',
      status: { type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: utilization } } },
    });
  });

  it('reports the raw average usage of the counted pods', () => {
    const p = propose(cpuUtilization(50), cpuUsages(1009), pods(1));
    expect(p.status).toEqual({
      type: 'Resource',
      resource: { name: 'cpu', current: { averageUtilization: 100, averageValue: '1009m' } },
    });
  });

  it('treats unready pods as idle on a scale-up, which can land within tolerance', () => {
    // 3 ready pods at 70% → ratio 1.4 (naively 5 replicas); with the unready pod at 0: 52% → ratio 1.04.
    const list = [...pods(3), pod('pod-3', { ready: 'False', startedAgo: MINUTE, readySinceAgo: MINUTE })];
    expect(replicasOf(propose(cpuUtilization(50), cpuUsages(700, 700, 700, 0), list))).toBe(4);
  });

  it('keeps the count when idle unready pods would flip a scale-up into a scale-down', () => {
    const list = [...pods(2), pod('pod-2', { phase: 'Pending', ready: 'none' })];
    expect(replicasOf(propose(cpuUtilization(50), cpuUsages(600, 600), list))).toBe(3);
  });

  it('does not let unready pods hold a scale-down', () => {
    const list = [...pods(3), pod('pod-3', { phase: 'Pending', ready: 'none' })];
    expect(replicasOf(propose(cpuUtilization(50), cpuUsages(100, 100, 100), list))).toBe(1);
  });

  it('assumes missing pods use 100% of their request on a scale-down', () => {
    // naive: ceil(0.2 × 3) = 1; with pod-3 at 100%: 1300m / 4000m = 32% → ceil(0.64 × 4) = 3
    const p = propose(cpuUtilization(50), cpuUsages(100, 100, 100), pods(4));
    expect(p).toMatchObject({ ok: true, replicas: 3, status: { resource: { current: { averageUtilization: 10 } } } });
  });

  it('assumes missing pods use the target when it is above 100% on a scale-down', () => {
    // 1500m for pod-3: 1800m / 4000m = 45% → ceil(0.3 × 4) = 2 (at 100% it would be 1)
    expect(replicasOf(propose(cpuUtilization(150), cpuUsages(100, 100, 100), pods(4)))).toBe(2);
  });

  it('assumes missing pods use nothing on a scale-up', () => {
    // 3000m / 4000m = 75% of a 60% target → ceil(1.25 × 4) = 5
    expect(replicasOf(propose(cpuUtilization(60), cpuUsages(1000, 1000, 1000), pods(4)))).toBe(5);
  });

  it('ignores deleted and failed pods and their samples', () => {
    const list = [...pods(2), pod('pod-2', { deleting: true }), pod('pod-3', { phase: 'Failed' })];
    expect(replicasOf(propose(cpuUtilization(50), cpuUsages(200, 200, 5000, 5000), list))).toBe(1);
  });

  it.each([
    ['was sampled less than one window after becoming ready (unready, scale-up becomes a flip)', 50 * SECOND, 2],
    ['was sampled a full window after becoming ready (counted)', 90 * SECOND, 4],
  ])('during CPU initialization, a pod that %s', (_name, readySinceAgo, expected) => {
    const list = [pod('pod-0'), pod('pod-1', { startedAgo: 2 * MINUTE, readySinceAgo })];
    expect(replicasOf(propose(cpuUtilization(50), cpuUsages(900, 900), list))).toBe(expected);
  });

  it.each([
    ['never became ready (unready)', 10 * MINUTE - 10 * SECOND, 2],
    ['became unready after having been ready (counted)', 5 * MINUTE, 4],
  ])('after CPU initialization, an unready pod that %s', (_name, readySinceAgo, expected) => {
    const list = [pod('pod-0'), pod('pod-1', { ready: 'False', readySinceAgo })];
    expect(replicasOf(propose(cpuUtilization(50), cpuUsages(900, 900), list))).toBe(expected);
  });

  it('applies the readiness rules to CPU only', () => {
    const list = [pod('pod-0'), pod('pod-1', { ready: 'False', startedAgo: MINUTE, readySinceAgo: MINUTE })];
    const memory: MetricSpec = { type: 'Resource', resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: 50 } } };
    const p = propose(memory, resourceSamples({ 'pod-0': '900Mi', 'pod-1': '900Mi' }, 'memory'), list);
    // 87% of 1Gi → ceil(1.74 × 2) = 4; averages of memory are reported in binary units
    expect(p).toMatchObject({ ok: true, replicas: 4, status: { resource: { current: { averageUtilization: 87, averageValue: '900Mi' } } } });
  });

  it.each([
    ['no pods', [], cpuUsages(100), 'failed to get cpu utilization: no pods returned by selector while calculating replica count'],
    [
      'no samples from the metrics API',
      pods(2),
      { kind: 'resource', podMetrics: [] } as MetricValue,
      'failed to get cpu utilization: unable to get metrics for resource cpu: no metrics returned from resource metrics API',
    ],
    [
      'a fetch error',
      pods(2),
      { kind: 'error', message: 'connection refused' } as MetricValue,
      'failed to get cpu utilization: unable to get metrics for resource cpu: connection refused',
    ],
    [
      'samples only for unready pods',
      [pod('pod-0', { phase: 'Pending' })],
      cpuUsages(100),
      'failed to get cpu utilization: did not receive metrics for targeted pods (pods might be unready)',
    ],
    [
      'a container without a request',
      [pod('pod-0'), { ...pod('pod-1'), containers: [{ name: 'app' }] }],
      cpuUsages(100, 100),
      'failed to get cpu utilization: missing request for cpu in container app of Pod pod-1',
    ],
    ['requests summing to zero', pods(1, { cpu: '0' }), cpuUsages(100), 'failed to get cpu utilization: no metrics returned matched known pods'],
  ])('fails on %s', (_name, list, value, inner) => {
    const p = propose(cpuUtilization(50), value, list as PodInfo[], 2);
    expect(p).toEqual({
      ok: false,
      reason: 'FailedGetResourceMetric',
      message: `the HPA was unable to compute the replica count: ${inner}`,
      error: `failed to get cpu resource metric value: ${inner}`,
      status: { type: '' },
    });
  });

  it('fails without a utilization or average value target', () => {
    const spec: MetricSpec = { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization' } } };
    expect(propose(spec, cpuUsages(100), pods(1))).toMatchObject({
      ok: false,
      message:
        'the HPA was unable to compute the replica count: invalid resource metric source: neither an average utilization target nor an average value (usage) target was set',
    });
  });
});

describe('Resource average value', () => {
  const cpuAverage = (averageValue: string): MetricSpec => ({
    type: 'Resource',
    resource: { name: 'cpu', target: { type: 'AverageValue', averageValue } },
  });

  it('divides the average usage by the per-pod target', () => {
    const p = propose(cpuAverage('500m'), cpuUsages(750, 750), pods(2));
    expect(p).toEqual({
      ok: true,
      replicas: 3,
      metricName: 'cpu resource',
      status: { type: 'Resource', resource: { name: 'cpu', current: { averageValue: '750m' } } },
    });
  });

  it('applies the CPU readiness rules too', () => {
    const list = [pod('pod-0'), pod('pod-1', { ready: 'False', startedAgo: MINUTE, readySinceAgo: MINUTE })];
    // pod-1 is unready: 750m alone is a scale-up; with pod-1 idle the average is 375m → flip → keep 2
    expect(replicasOf(propose(cpuAverage('500m'), cpuUsages(750, 750), list))).toBe(2);
  });
});

describe('ContainerResource', () => {
  const twoContainers = (name: string): PodInfo => ({
    ...pod(name),
    containers: [
      { name: 'app', requests: { cpu: '1' } },
      { name: 'proxy', requests: { cpu: '1' } },
    ],
  });
  const usage = (app: string, proxy: string): MetricValue => ({
    kind: 'resource',
    podMetrics: ['pod-0', 'pod-1'].map((p) => ({
      pod: p,
      timestamp: NOW - 10 * SECOND,
      windowSeconds: 60,
      containers: [
        { name: 'app', usage: { cpu: app } },
        { name: 'proxy', usage: { cpu: proxy } },
      ],
    })),
  });
  const containerCpu = (container: string): MetricSpec => ({
    type: 'ContainerResource',
    containerResource: { name: 'cpu', container, target: { type: 'Utilization', averageUtilization: 50 } },
  });

  it('looks at one container only', () => {
    const list = [twoContainers('pod-0'), twoContainers('pod-1')];
    // app alone: 90% → ceil(1.8 × 2) = 4; the whole pod would be 50% → no change
    expect(propose(containerCpu('app'), usage('900m', '100m'), list)).toMatchObject({
      ok: true,
      replicas: 4,
      metricName: 'cpu container resource utilization (percentage of request)',
      status: { type: 'ContainerResource', containerResource: { name: 'cpu', container: 'app', current: { averageUtilization: 90 } } },
    });
    expect(replicasOf(propose(cpuUtilization(50), usage('900m', '100m'), list))).toBe(2);
  });

  it('fails with its own reason when the container has no samples', () => {
    const p = propose(containerCpu('web'), usage('900m', '100m'), [twoContainers('pod-0'), twoContainers('pod-1')]);
    expect(p).toMatchObject({
      ok: false,
      reason: 'FailedGetContainerResourceMetric',
      error: 'failed to get web container metric value: failed to get cpu utilization: did not receive metrics for targeted pods (pods might be unready)',
    });
  });

  it('counts sidecar containers in the pod request', () => {
    const withSidecar: PodInfo = { ...pod('pod-0'), sidecarContainers: [{ name: 'proxy', requests: { cpu: '1' } }] };
    // (500m + 500m) / (1 + 1 CPU) = 50% → within tolerance; without the sidecar request it would be 100%
    expect(replicasOf(propose(cpuUtilization(50), usage('500m', '500m'), [withSidecar], 1))).toBe(1);
  });

  it('uses pod-level requests when set', () => {
    const podLevel: PodInfo = { ...pod('pod-0'), podRequests: { cpu: '4' } };
    // 1000m of a 4 CPU pod-level request = 25% → ceil(0.5 × 1) = 1 … from 2 replicas
    expect(replicasOf(propose(cpuUtilization(50), cpuUsages(1000), [podLevel], 2))).toBe(1);
  });
});
