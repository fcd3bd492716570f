// Inputs and per-metric outputs of the autoscaling algorithm, in the shape of
// autoscaling/v2 (plus the Stratus `Prometheus` source). All times are
// milliseconds since the epoch; the algorithm never reads the clock.

import type { Quantity } from '../../../pkg/kube/quantity.js';
import type {
  CrossVersionObjectReference,
  LabelSelector,
  MetricIdentifier,
  MetricTarget,
  ScalingBehavior as Behavior,
  ScalingPolicy,
  ScalingRules,
} from '../../../pkg/api/types.generated.js';

// The shapes the Scaler's API already defines, under the names the HPA uses.
export type { Behavior, CrossVersionObjectReference, LabelSelector, MetricIdentifier, MetricTarget, ScalingPolicy, ScalingRules };
export type SelectPolicy = NonNullable<ScalingRules['selectPolicy']>;

export type PodPhase = 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';
export type ConditionStatus = 'True' | 'False' | 'Unknown';

export interface ContainerInfo {
  name: string;
  /** Resource requests by resource name ("cpu", "memory", …). */
  requests?: Readonly<Record<string, Quantity>>;
}

/** A pod selected by the target's label selector. */
export interface PodInfo {
  name: string;
  phase: PodPhase;
  /** The PodReady condition; absent when the pod has none. */
  ready?: { status: ConditionStatus; lastTransitionTime: number };
  /** status.startTime; absent when not started. */
  startTime?: number;
  /** True when metadata.deletionTimestamp is set. */
  deleting?: boolean;
  containers: ContainerInfo[];
  /** Init containers with restartPolicy Always (sidecars); their requests count like the HPA counts them. */
  sidecarContainers?: ContainerInfo[];
  /** Pod-level requests (spec.resources.requests); used instead of container sums when the resource is set here. */
  podRequests?: Readonly<Record<string, Quantity>>;
}

/** Stratus extension: a metric's value above this activates a scaler at zero replicas (KEDA-style). */
interface Activation {
  activationThreshold?: Quantity;
}

export interface ResourceMetricSpec {
  type: 'Resource';
  resource: { name: string; target: MetricTarget };
}

export interface ContainerResourceMetricSpec {
  type: 'ContainerResource';
  containerResource: { name: string; container: string; target: MetricTarget };
}

export interface PodsMetricSpec extends Activation {
  type: 'Pods';
  pods: { metric: MetricIdentifier; target: MetricTarget };
}

export interface ObjectMetricSpec extends Activation {
  type: 'Object';
  object: { describedObject: CrossVersionObjectReference; metric: MetricIdentifier; target: MetricTarget };
}

export interface ExternalMetricSpec extends Activation {
  type: 'External';
  external: { metric: MetricIdentifier; target: MetricTarget };
}

/**
 * Stratus Prometheus source: an External metric whose target is `threshold`,
 * per pod (AverageValue) unless `metricType` is 'Value'.
 */
export interface PrometheusMetricSpec extends Activation {
  type: 'Prometheus';
  prometheus: { name: string; query?: string; threshold: Quantity; metricType?: 'AverageValue' | 'Value' };
}

export type MetricSpec =
  | ResourceMetricSpec
  | ContainerResourceMetricSpec
  | PodsMetricSpec
  | ObjectMetricSpec
  | ExternalMetricSpec
  | PrometheusMetricSpec;

/** One PodMetrics item of metrics.k8s.io. */
export interface PodMetricsSample {
  pod: string;
  timestamp: number;
  windowSeconds: number;
  containers: { name: string; usage: Readonly<Record<string, Quantity>> }[];
}

/** One pod's value of a custom (Pods) metric. */
export interface PodMetricValue {
  pod: string;
  value: Quantity;
  timestamp: number;
  /** Defaults to 60 s, like the HPA's custom metrics client. */
  windowSeconds?: number;
}

/**
 * What the controller fetched for one metric spec (same index). The `kind`
 * must fit the spec: 'resource' for Resource/ContainerResource, 'pods' for
 * Pods, 'object' for Object, 'external' for External and Prometheus.
 * An empty list behaves like the metrics API returning no items.
 */
export type MetricValue =
  | { kind: 'error'; message: string }
  | { kind: 'resource'; podMetrics: PodMetricsSample[] }
  | { kind: 'pods'; values: PodMetricValue[] }
  | { kind: 'object'; value: Quantity; timestamp?: number }
  | { kind: 'external'; values: Quantity[]; timestamp?: number };

/** kube-controller-manager flags of the HPA controller. */
export interface HpaConfig {
  tolerance: number;
  cpuInitializationPeriodSeconds: number;
  delayOfInitialReadinessStatusSeconds: number;
  downscaleStabilizationWindowSeconds: number;
}

export interface MetricValueStatus {
  value?: string;
  averageValue?: string;
  averageUtilization?: number;
}

/** An entry of status.currentMetrics; `type: ''` marks a metric that could not be computed (as in the HPA). */
export type MetricStatus =
  | { type: '' }
  | { type: 'Resource'; resource: { name: string; current: MetricValueStatus } }
  | { type: 'ContainerResource'; containerResource: { name: string; container: string; current: MetricValueStatus } }
  | { type: 'Pods'; pods: { metric: MetricIdentifier; current: MetricValueStatus } }
  | {
      type: 'Object';
      object: { describedObject: CrossVersionObjectReference; metric: MetricIdentifier; current: MetricValueStatus };
    }
  | { type: 'External'; external: { metric: MetricIdentifier; current: MetricValueStatus } }
  | { type: 'Prometheus'; prometheus: { name: string; current: MetricValueStatus } };
