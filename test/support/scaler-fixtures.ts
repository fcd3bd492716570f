// Builders shared by the unit tests of the Scaler's algorithm (controllers/scaler/algorithm).

import type { HpaInput } from '../../controllers/scaler/algorithm/hpa.js';
import type { Quantity } from '../../pkg/kube/quantity.js';
import type { MetricSpec, MetricValue, PodInfo, PodMetricsSample } from '../../controllers/scaler/algorithm/types.js';

export const NOW = Date.UTC(2024, 0, 15, 12, 0, 0);
export const SECOND = 1000;
export const MINUTE = 60 * SECOND;

export interface PodOptions {
  cpu?: Quantity;
  memory?: Quantity;
  phase?: PodInfo['phase'];
  /** Ready condition status; 'none' leaves the condition out. */
  ready?: 'True' | 'False' | 'none';
  startedAgo?: number;
  readySinceAgo?: number;
  deleting?: boolean;
}

/** A pod started and ready 10 minutes ago (past the CPU initialization period), requesting 1 CPU and 1Gi. */
export function pod(name: string, o: PodOptions = {}): PodInfo {
  const p: PodInfo = {
    name,
    phase: o.phase ?? 'Running',
    startTime: NOW - (o.startedAgo ?? 10 * MINUTE),
    containers: [{ name: 'app', requests: { cpu: o.cpu ?? '1', memory: o.memory ?? '1Gi' } }],
  };
  if (o.ready !== 'none') p.ready = { status: o.ready ?? 'True', lastTransitionTime: NOW - (o.readySinceAgo ?? 10 * MINUTE) };
  if (o.deleting) p.deleting = true;
  return p;
}

export function pods(count: number, o: PodOptions = {}): PodInfo[] {
  return Array.from({ length: count }, (_, i) => pod(`pod-${i}`, o));
}

/** PodMetrics samples, one container "app" per pod, taken 10 s ago over a 60 s window. */
export function resourceSamples(usage: Record<string, Quantity>, resource = 'cpu', timestamp = NOW - 10 * SECOND): MetricValue {
  const podMetrics: PodMetricsSample[] = Object.entries(usage).map(([p, value]) => ({
    pod: p,
    timestamp,
    windowSeconds: 60,
    containers: [{ name: 'app', usage: { [resource]: value } }],
  }));
  return { kind: 'resource', podMetrics };
}

/** Samples for pod-0 … pod-n in order. */
export function cpuUsages(...milli: number[]): MetricValue {
  return resourceSamples(Object.fromEntries(milli.map((m, i) => [`pod-${i}`, `${m}m`])));
}

export function podValues(values: Record<string, Quantity>): MetricValue {
  return { kind: 'pods', values: Object.entries(values).map(([p, value]) => ({ pod: p, value, timestamp: NOW - 10 * SECOND })) };
}

export const cpuUtilization = (percent: number): MetricSpec => ({
  type: 'Resource',
  resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: percent } },
});

export const podsMetric = (name: string, averageValue: Quantity): MetricSpec => ({
  type: 'Pods',
  pods: { metric: { name }, target: { type: 'AverageValue', averageValue } },
});

export const externalAverage = (name: string, averageValue: Quantity, activationThreshold?: Quantity): MetricSpec => ({
  type: 'External',
  external: { metric: { name }, target: { type: 'AverageValue', averageValue } },
  ...(activationThreshold !== undefined ? { activationThreshold } : {}),
});

export const external = (...values: Quantity[]): MetricValue => ({ kind: 'external', values });
export const fetchError = (message: string): MetricValue => ({ kind: 'error', message });

/** History whose only recommendation is long expired, so tests start without seeding or stabilization. */
export const EXPIRED_HISTORY = { recommendations: [{ timestamp: NOW - 60 * MINUTE, replicas: 1 }] };

/** A bare HPA input around `current` ready pods; override what the test needs. */
export function hpaInput(current: number, overrides: Partial<HpaInput> = {}): HpaInput {
  return {
    now: NOW,
    namespace: 'default',
    currentReplicas: current,
    pods: pods(current),
    minReplicas: 1,
    maxReplicas: 100,
    metrics: [cpuUtilization(50)],
    metricValues: [],
    history: EXPIRED_HISTORY,
    ...overrides,
  };
}
