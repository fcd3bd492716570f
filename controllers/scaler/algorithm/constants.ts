// Defaults of the Kubernetes HPA controller and of the autoscaling/v2 API.

import type { HpaConfig, ScalingPolicy, ScalingRules } from './types.js';

/** kube-controller-manager defaults (--horizontal-pod-autoscaler-*). */
export const DEFAULT_HPA_CONFIG: Readonly<HpaConfig> = Object.freeze({
  tolerance: 0.1,
  cpuInitializationPeriodSeconds: 300,
  delayOfInitialReadinessStatusSeconds: 30,
  downscaleStabilizationWindowSeconds: 300,
});

/** Without `behavior`, one step may at most reach max(2 × current, 4). */
export const SCALE_UP_LIMIT_FACTOR = 2.0;
export const SCALE_UP_LIMIT_MINIMUM = 4.0;

/** Window of custom-metric samples that carry no windowSeconds. */
export const DEFAULT_METRIC_WINDOW_SECONDS = 60;

export const MAX_INT32 = 2147483647;
export const MIN_INT32 = -2147483648;

/** API defaults filled into behavior.scaleUp (pkg/apis/autoscaling/v2/defaults.go). */
export const DEFAULT_SCALE_UP_RULES: Readonly<Required<Omit<ScalingRules, 'tolerance'>>> = Object.freeze({
  stabilizationWindowSeconds: 0,
  selectPolicy: 'Max',
  policies: <ScalingPolicy[]>[
    { type: 'Pods', value: 4, periodSeconds: 15 },
    { type: 'Percent', value: 100, periodSeconds: 15 },
  ],
});

/** API defaults for behavior.scaleDown; its window comes from the controller's downscale stabilization flag. */
export const DEFAULT_SCALE_DOWN_RULES: Readonly<Required<Omit<ScalingRules, 'tolerance' | 'stabilizationWindowSeconds'>>> =
  Object.freeze({
    selectPolicy: 'Max',
    policies: <ScalingPolicy[]>[{ type: 'Percent', value: 100, periodSeconds: 15 }],
  });

/** Condition reasons and messages set by the HPA controller. */
export const Reasons = Object.freeze({
  SucceededGetScale: 'SucceededGetScale',
  SucceededRescale: 'SucceededRescale',
  FailedUpdateScale: 'FailedUpdateScale',
  ReadyForNewScale: 'ReadyForNewScale',
  ScaleUpStabilized: 'ScaleUpStabilized',
  ScaleDownStabilized: 'ScaleDownStabilized',
  ValidMetricFound: 'ValidMetricFound',
  InvalidSelector: 'InvalidSelector',
  ScalingDisabled: 'ScalingDisabled',
  FailedGetResourceMetric: 'FailedGetResourceMetric',
  FailedGetContainerResourceMetric: 'FailedGetContainerResourceMetric',
  FailedGetPodsMetric: 'FailedGetPodsMetric',
  FailedGetObjectMetric: 'FailedGetObjectMetric',
  FailedGetExternalMetric: 'FailedGetExternalMetric',
  /** Stratus: Prometheus sources fail with their own reason. */
  FailedGetPrometheusMetric: 'FailedGetPrometheusMetric',
  InvalidMetricSourceType: 'InvalidMetricSourceType',
  DesiredWithinRange: 'DesiredWithinRange',
  TooFewReplicas: 'TooFewReplicas',
  TooManyReplicas: 'TooManyReplicas',
  ScaleUpLimit: 'ScaleUpLimit',
  ScaleDownLimit: 'ScaleDownLimit',
});

export const Messages = Object.freeze({
  SucceededGetScale: "the HPA controller was able to get the target's current scale",
  SucceededRescale: (n: number) => `the HPA controller was able to update the target scale to ${n}`,
  FailedUpdateScale: (err: string) => `the HPA controller was unable to update the target scale: ${err}`,
  ReadyForNewScale: 'recommended size matches current size',
  ScaleUpStabilized: 'recent recommendations were lower than current one, applying the lowest recent recommendation',
  ScaleDownStabilized: 'recent recommendations were higher than current one, applying the highest recent recommendation',
  ValidMetricFound: (metric: string) => `the HPA was able to successfully calculate a replica count from ${metric}`,
  MissingSelector: "the HPA target's scale is missing a selector",
  InvalidSelector: (err: string) => `couldn't convert selector into a corresponding internal selector object: ${err}`,
  ScalingDisabled: 'scaling is disabled since the replica count of the target is zero',
  UnableToCompute: (err: string) => `the HPA was unable to compute the replica count: ${err}`,
  DesiredWithinRange: 'the desired count is within the acceptable range',
  TooFewReplicas: 'the desired replica count is less than the minimum replica count',
  TooManyReplicas: 'the desired replica count is more than the maximum replica count',
  ScaleUpLimit: 'the desired replica count is increasing faster than the maximum scale rate',
  ScaleDownLimit: 'the desired replica count is decreasing faster than the maximum scale rate',
});
