// Per-metric replica proposals (upstream replica_calculator.go), on values
// already fetched by the controller.

import { MAX_INT32 } from './constants.js';
import {
  CalculationError,
  NO_PODS_MESSAGE,
  calculateRequests,
  countReadyPods,
  groupPods,
  removeMetricsForPods,
  type PodMetricsInfo,
  type ReadinessTiming,
} from './pod-grouping.js';
import { isWithinTolerance, type Tolerances } from './tolerances.js';
import type { PodInfo } from './types.js';
import { metricUsageRatio, resourceUtilizationRatio } from './utilization.js';

export const MAX_INT64 = 9223372036854775807n;

/** int32(math.Ceil(x)), saturating instead of overflowing. */
export function ceilToInt32(x: number): number {
  if (Number.isNaN(x)) return 0;
  return Math.min(Math.ceil(x), MAX_INT32);
}

export interface PodCalculation {
  currentReplicas: number;
  tolerances: Tolerances;
  pods: readonly PodInfo[];
  timing: ReadinessTiming;
}

// Shared tail of the resource and plain-metric calculations: with unready or
// missing pods, redo the ratio with conservative fill-ins and keep the current
// count if that lands in tolerance or flips the direction.
function rebalance(
  calc: PodCalculation,
  metrics: PodMetricsInfo,
  usageRatio: number,
  groups: ReturnType<typeof groupPods>,
  fillForScaleDown: (pod: string) => bigint,
  recompute: () => number,
): number {
  const { currentReplicas, tolerances } = calc;
  const scaleUpWithUnready = groups.unreadyPods.size > 0 && usageRatio > 1.0;
  if (!scaleUpWithUnready && groups.missingPods.size === 0) {
    if (isWithinTolerance(tolerances, usageRatio)) return currentReplicas;
    return ceilToInt32(usageRatio * groups.readyPodCount);
  }
  if (groups.missingPods.size > 0) {
    // Scale-down: assume missing pods use their full share; scale-up: assume they use nothing.
    if (usageRatio < 1.0) {
      for (const pod of groups.missingPods) metrics.set(pod, { value: fillForScaleDown(pod), timestamp: 0, windowMs: 0 });
    } else if (usageRatio > 1.0) {
      for (const pod of groups.missingPods) metrics.set(pod, { value: 0n, timestamp: 0, windowMs: 0 });
    }
  }
  if (scaleUpWithUnready) {
    for (const pod of groups.unreadyPods) metrics.set(pod, { value: 0n, timestamp: 0, windowMs: 0 });
  }
  const newUsageRatio = recompute();
  if (
    isWithinTolerance(tolerances, newUsageRatio) ||
    (usageRatio < 1.0 && newUsageRatio > 1.0) ||
    (usageRatio > 1.0 && newUsageRatio < 1.0)
  ) {
    return currentReplicas;
  }
  const newReplicas = ceilToInt32(newUsageRatio * metrics.size);
  // A different number of counted pods must not flip the direction either.
  if ((newUsageRatio < 1.0 && newReplicas > currentReplicas) || (newUsageRatio > 1.0 && newReplicas < currentReplicas)) {
    return currentReplicas;
  }
  return newReplicas;
}

function groupAndFilter(calc: PodCalculation, samples: PodMetricsInfo, resource: string) {
  if (calc.pods.length === 0) throw new CalculationError(NO_PODS_MESSAGE);
  const metrics: PodMetricsInfo = new Map(samples);
  const groups = groupPods(calc.pods, metrics, resource, calc.timing);
  removeMetricsForPods(metrics, groups.ignoredPods);
  removeMetricsForPods(metrics, groups.unreadyPods);
  if (metrics.size === 0) {
    throw new CalculationError('did not receive metrics for targeted pods (pods might be unready)');
  }
  return { metrics, groups };
}

export interface ResourceProposal {
  replicas: number;
  utilization: number;
  rawAverage: bigint;
}

/** Resource target in averageUtilization percent of the pods' requests (GetResourceReplicas). */
export function resourceReplicas(
  calc: PodCalculation,
  samples: PodMetricsInfo,
  targetUtilization: number,
  resource: string,
  container: string,
): ResourceProposal {
  const { metrics, groups } = groupAndFilter(calc, samples, resource);
  const requests = calculateRequests(calc.pods, container, resource);
  const first = resourceUtilizationRatio(metrics, requests, targetUtilization);
  // On a scale-down, missing pods count at 100% of their request, or at the target when it is above 100%.
  const fallbackPercent = BigInt(Math.max(100, targetUtilization));
  const replicas = rebalance(
    calc,
    metrics,
    first.usageRatio,
    groups,
    (pod) => ((requests.get(pod) ?? 0n) * fallbackPercent) / 100n,
    () => resourceUtilizationRatio(metrics, requests, targetUtilization).usageRatio,
  );
  return { replicas, utilization: first.utilization, rawAverage: first.rawAverage };
}

export interface PlainProposal {
  replicas: number;
  /** Average per pod, milli-units. */
  usage: bigint;
}

/** Per-pod average value target: Pods metrics and Resource AverageValue (calcPlainMetricReplicas). */
export function plainMetricReplicas(
  calc: PodCalculation,
  samples: PodMetricsInfo,
  targetUsage: bigint,
  resource: string,
): PlainProposal {
  const { metrics, groups } = groupAndFilter(calc, samples, resource);
  const first = metricUsageRatio(metrics, targetUsage);
  const replicas = rebalance(
    calc,
    metrics,
    first.usageRatio,
    groups,
    () => targetUsage,
    () => metricUsageRatio(metrics, targetUsage).usageRatio,
  );
  return { replicas, usage: first.usage };
}

// Object/External Value targets scale the ready pods by the ratio; from zero
// replicas the ratio itself is the answer (getUsageRatioReplicaCount).
function usageRatioReplicaCount(calc: PodCalculation, usageRatio: number): number {
  if (calc.currentReplicas === 0) return ceilToInt32(usageRatio);
  if (isWithinTolerance(calc.tolerances, usageRatio)) return calc.currentReplicas;
  if (calc.pods.length === 0) throw new CalculationError(`unable to calculate ready pods: ${NO_PODS_MESSAGE}`);
  return ceilToInt32(usageRatio * countReadyPods(calc.pods));
}

/** Object metric with a Value target (GetObjectMetricReplicas). */
export function objectValueReplicas(calc: PodCalculation, usage: bigint, target: bigint): number {
  return usageRatioReplicaCount(calc, Number(usage) / Number(target));
}

/** Sum of an External metric's series, capped at MaxInt64 (GetExternalMetricReplicas). */
export function externalValueReplicas(calc: PodCalculation, values: readonly bigint[], target: bigint): PlainProposal {
  let usage = 0n;
  for (const v of values) {
    if (v > 0n && usage > MAX_INT64 - v) {
      usage = MAX_INT64;
      break;
    }
    usage += v;
  }
  return { replicas: usageRatioReplicaCount(calc, Number(usage) / Number(target)), usage };
}

/** ceil(usage / replicas), 0 without replicas, saturating at MaxInt64 (getPerPodUsage). */
export function perPodUsage(usage: bigint, statusReplicas: number): bigint {
  if (Number(usage) >= Number(MAX_INT64)) return MAX_INT64;
  if (statusReplicas === 0) return 0n;
  return BigInt(Math.ceil(Number(usage) / statusReplicas));
}

/**
 * AverageValue target on a total (Object or External): the ratio is taken
 * against the scale's status.replicas, the answer is ceil(total / target).
 */
export function perPodTotalReplicas(
  statusReplicas: number,
  usage: bigint,
  targetPerPod: bigint,
  tolerances: Tolerances,
): PlainProposal {
  let replicas = statusReplicas;
  const usageRatio = Number(usage) / (Number(targetPerPod) * statusReplicas);
  if (!isWithinTolerance(tolerances, usageRatio)) replicas = ceilToInt32(Number(usage) / Number(targetPerPod));
  return { replicas, usage: perPodUsage(usage, statusReplicas) };
}

/** Sum of External series as GetExternalPerPodMetricReplicas adds them (an int64 wrap saturates). */
export function sumPerPodSeries(values: readonly bigint[]): bigint {
  let usage = 0n;
  for (const v of values) {
    usage += v;
    if (usage < 0n || usage > MAX_INT64) return MAX_INT64;
  }
  return usage;
}
