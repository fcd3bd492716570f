// Which pods count, and with what requests/samples, in the HPA's per-pod
// calculations (groupPods, calculateRequests and the metrics client's
// per-pod sums in upstream).

import { milliValue } from '../../../pkg/kube/quantity.js';
import type { PodInfo, PodMetricsSample } from './types.js';

export interface PodMetric {
  /** Milli-value. */
  value: bigint;
  timestamp: number;
  windowMs: number;
}

/** Samples by pod name. Samples of pods absent from the pod list stay in (upstream counts them). */
export type PodMetricsInfo = Map<string, PodMetric>;

export interface PodGroups {
  readyPodCount: number;
  unreadyPods: Set<string>;
  missingPods: Set<string>;
  ignoredPods: Set<string>;
}

export interface ReadinessTiming {
  now: number;
  cpuInitializationPeriodMs: number;
  delayOfInitialReadinessStatusMs: number;
}

/** An error of the replica calculation; its message is what the HPA reports. */
export class CalculationError extends Error {
  override readonly name = 'CalculationError';
}

export const NO_PODS_MESSAGE = 'no pods returned by selector while calculating replica count';

/**
 * Sorts pods into ready (counted), unready (Pending, or CPU samples taken
 * while the pod was starting), missing (no sample) and ignored (deleted or
 * terminated). `resource` is '' for non-resource metrics.
 */
export function groupPods(
  pods: readonly PodInfo[],
  metrics: PodMetricsInfo,
  resource: string,
  timing: ReadinessTiming,
): PodGroups {
  const groups: PodGroups = { readyPodCount: 0, unreadyPods: new Set(), missingPods: new Set(), ignoredPods: new Set() };
  for (const pod of pods) {
    if (pod.deleting || pod.phase === 'Failed' || pod.phase === 'Succeeded') {
      groups.ignoredPods.add(pod.name);
      continue;
    }
    if (pod.phase === 'Pending') {
      groups.unreadyPods.add(pod.name);
      continue;
    }
    const metric = metrics.get(pod.name);
    if (!metric) {
      groups.missingPods.add(pod.name);
      continue;
    }
    if (resource === 'cpu' && isCpuSampleUnready(pod, metric, timing)) {
      groups.unreadyPods.add(pod.name);
      continue;
    }
    groups.readyPodCount++;
  }
  return groups;
}

// A CPU sample is not trusted while the pod may still be initialising: during
// the initialisation period, unless the pod is ready and a full metric window
// passed since it became ready; afterwards only if it never became ready.
function isCpuSampleUnready(pod: PodInfo, metric: PodMetric, t: ReadinessTiming): boolean {
  const condition = pod.ready;
  if (!condition || pod.startTime === undefined) return true;
  if (pod.startTime + t.cpuInitializationPeriodMs > t.now) {
    return condition.status === 'False' || metric.timestamp < condition.lastTransitionTime + metric.windowMs;
  }
  return condition.status === 'False' && pod.startTime + t.delayOfInitialReadinessStatusMs > condition.lastTransitionTime;
}

export function removeMetricsForPods(metrics: PodMetricsInfo, pods: ReadonlySet<string>): void {
  for (const name of pods) metrics.delete(name);
}

/** Running and Ready, as getReadyPodsCount counts them for Object/External Value targets. */
export function countReadyPods(pods: readonly PodInfo[]): number {
  return pods.filter((p) => p.phase === 'Running' && p.ready?.status === 'True').length;
}

/**
 * Per-pod requests of `resource` in milli-units: the pod-level request when
 * set (and no container is named), else the sum over containers and sidecars.
 */
export function calculateRequests(pods: readonly PodInfo[], container: string, resource: string): Map<string, bigint> {
  const requests = new Map<string, bigint>();
  for (const pod of pods) {
    const podLevel = pod.podRequests?.[resource];
    if (container === '' && podLevel !== undefined) {
      requests.set(pod.name, milliValue(podLevel));
      continue;
    }
    requests.set(pod.name, containerRequests(pod, container, resource));
  }
  return requests;
}

function containerRequests(pod: PodInfo, container: string, resource: string): bigint {
  let total = 0n;
  for (const c of [...pod.containers, ...(pod.sidecarContainers ?? [])]) {
    if (container === '' || container === c.name) {
      const request = c.requests?.[resource];
      if (request === undefined) {
        throw new CalculationError(`missing request for ${resource} in container ${c.name} of Pod ${pod.name}`);
      }
      total += milliValue(request);
    }
    if (container === c.name) return total;
  }
  if (container !== '') throw new CalculationError(`container ${container} not found in Pod ${pod.name}`);
  return total;
}

/** Per-pod usage from PodMetrics: the sum over containers, or one container; pods lacking it are left out. */
export function podResourceMetrics(
  samples: readonly PodMetricsSample[],
  resource: string,
  container: string,
): PodMetricsInfo {
  const result: PodMetricsInfo = new Map();
  for (const s of samples) {
    const containers = container === '' ? s.containers : s.containers.filter((c) => c.name === container).slice(0, 1);
    if (containers.length === 0) continue;
    let sum = 0n;
    let complete = true;
    for (const c of containers) {
      const usage = c.usage[resource];
      if (usage === undefined) {
        complete = false;
        break;
      }
      sum += milliValue(usage);
    }
    if (complete) result.set(s.pod, { value: sum, timestamp: s.timestamp, windowMs: s.windowSeconds * 1000 });
  }
  return result;
}
