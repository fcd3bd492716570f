// When status.currentMetrics is worth a write of its own. The HPA rewrites
// its status whenever a value moves, so every wobble of a metric wakes every
// watcher; here values that stay within the tolerance of what status says
// are refreshed at most every few minutes, while a move past the tolerance
// (which may change the decision) is written at once. Any other change of the
// status carries fresh values along anyway.
import { parseQuantity } from '../../pkg/kube/quantity.js';
import type { MetricStatus, MetricValueStatus } from './algorithm/index.js';

export const metricsRefreshMs = 5 * 60_000;

function values(c: MetricValueStatus | undefined): number[] {
  if (!c) return [];
  return [c.value, c.averageValue].map((q) => (q === undefined ? NaN : parseQuantity(q))).concat(c.averageUtilization ?? NaN);
}

function current(m: MetricStatus): MetricValueStatus | undefined {
  switch (m.type) {
    case '':
      return undefined;
    case 'Resource':
      return m.resource.current;
    case 'ContainerResource':
      return m.containerResource.current;
    case 'Pods':
      return m.pods.current;
    case 'Object':
      return m.object.current;
    case 'External':
      return m.external.current;
    case 'Prometheus':
      return m.prometheus.current;
  }
}

function moved(previous: MetricStatus, next: MetricStatus, tolerance: number): boolean {
  if (previous.type !== next.type) return true;
  const [p, n] = [values(current(previous)), values(current(next))];
  return p.some((a, i) => {
    const b = n[i]!;
    if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) !== Number.isNaN(b);
    return Math.abs(b - a) > tolerance * Math.abs(a);
  });
}

export function metricsDue(previous: readonly MetricStatus[] | undefined, next: readonly MetricStatus[], tolerance: number, writtenAt: number, now: number): boolean {
  if (!previous || previous.length !== next.length) return true;
  if (now - writtenAt >= metricsRefreshMs) return true;
  return next.some((m, i) => moved(previous[i]!, m, tolerance));
}
