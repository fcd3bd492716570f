// KEDA-style activation: is any metric above its activationThreshold?
// Resource and ContainerResource metrics cannot activate (like KEDA's cpu and
// memory triggers): they need running pods to have a value at all.

import { milliValue } from '../../../pkg/kube/quantity.js';
import { describeMetric } from './metric-replicas.js';
import type { MetricSpec, MetricValue } from './types.js';

export type ActivationState =
  /** At least one metric is above its activation threshold. */
  | 'active'
  /** Some metrics could be read and none is above its threshold. */
  | 'inactive'
  /** Every metric that could activate failed: activity is unknown. */
  | 'unknown'
  /** No metric can activate (only Resource/ContainerResource metrics): scaling to zero is not possible. */
  | 'unsupported';

export interface Activation {
  state: ActivationState;
  /** Descriptions of the metrics above their threshold. */
  activeMetrics: string[];
  /** How many metrics can activate. */
  capable: number;
}


/** The value compared with the threshold: the object's value, the sum of the series, or the pods' average. */
function activationValue(spec: MetricSpec, value: MetricValue | undefined): bigint | undefined {
  if (!value) return undefined;
  switch (spec.type) {
    case 'Object':
      return value.kind === 'object' ? milliValue(value.value) : undefined;
    case 'External':
    case 'Prometheus':
      if (value.kind !== 'external' || value.values.length === 0) return undefined;
      return value.values.reduce((sum, q) => sum + milliValue(q), 0n);
    case 'Pods':
      if (value.kind !== 'pods' || value.values.length === 0) return undefined;
      return value.values.reduce((sum, v) => sum + milliValue(v.value), 0n) / BigInt(value.values.length);
    default:
      return undefined;
  }
}

export function evaluateActivation(specs: readonly MetricSpec[], values: readonly (MetricValue | undefined)[]): Activation {
  const result: Activation = { state: 'unsupported', activeMetrics: [], capable: 0 };
  let readable = 0;
  specs.forEach((spec, i) => {
    if (spec.type === 'Resource' || spec.type === 'ContainerResource') return;
    result.capable++;
    let current: bigint | undefined;
    let threshold: bigint;
    try {
      current = activationValue(spec, values[i]);
      threshold = milliValue(spec.activationThreshold ?? 0);
    } catch {
      return; // an unparsable value counts as a failed metric
    }
    if (current === undefined) return;
    readable++;
    if (current > threshold) result.activeMetrics.push(describeMetric(spec));
  });
  if (result.activeMetrics.length > 0) result.state = 'active';
  else if (readable > 0) result.state = 'inactive';
  else if (result.capable > 0) result.state = 'unknown';
  return result;
}
