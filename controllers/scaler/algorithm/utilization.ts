// Usage ratios exactly as the HPA metrics package computes them: integer
// (truncating) division on milli-values, then a float ratio.

import { MAX_INT32, MIN_INT32 } from './constants.js';
import { CalculationError, type PodMetricsInfo } from './pod-grouping.js';

export interface ResourceUtilization {
  /** current / target utilization. */
  usageRatio: number;
  /** Integer percent of the summed requests, truncated. */
  utilization: number;
  /** Average usage per counted pod, milli-units, truncated. */
  rawAverage: bigint;
}

/**
 * utilization = trunc(100 × Σusage / Σrequests) over pods that have both a
 * sample and a request (samples of unknown pods are ignored).
 */
export function resourceUtilizationRatio(
  metrics: PodMetricsInfo,
  requests: ReadonlyMap<string, bigint>,
  targetUtilization: number,
): ResourceUtilization {
  let metricsTotal = 0n;
  let requestsTotal = 0n;
  let entries = 0n;
  for (const [pod, metric] of metrics) {
    const request = requests.get(pod);
    if (request === undefined) continue;
    metricsTotal += metric.value;
    requestsTotal += request;
    entries++;
  }
  if (requestsTotal === 0n) throw new CalculationError('no metrics returned matched known pods');
  let percent = (metricsTotal * 100n) / requestsTotal;
  // The percentage is an int32 upstream; clamp rather than wrap.
  if (percent > BigInt(MAX_INT32)) percent = BigInt(MAX_INT32);
  if (percent < BigInt(MIN_INT32)) percent = BigInt(MIN_INT32);
  const utilization = Number(percent);
  return { usageRatio: utilization / targetUtilization, utilization, rawAverage: metricsTotal / entries };
}

export interface MetricUsage {
  usageRatio: number;
  /** Average per sample, milli-units, truncated. */
  usage: bigint;
}

/** Average over all samples (truncated) divided by the per-pod target. */
export function metricUsageRatio(metrics: PodMetricsInfo, targetUsage: bigint): MetricUsage {
  let total = 0n;
  for (const m of metrics.values()) total += m.value;
  const usage = total / BigInt(metrics.size);
  return { usageRatio: Number(usage) / Number(targetUsage), usage };
}
