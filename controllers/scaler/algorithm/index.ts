// Public face of the Scaler's pure autoscaling algorithm: one evaluation,
// and the condition for a rescale that failed.
export { evaluateScaler } from './scaler.js';
export type { ScalerInput, ScalerResult } from './scaler.js';
export { failedRescaleCondition } from './hpa.js';
export type { ScalerCondition } from './conditions.js';
export { statusTime } from './decision.js';
export type { Decision } from './decision.js';
export { DEFAULT_HPA_CONFIG } from './constants.js';
export type { Recommendation, ScaleEvent, ScalerHistory } from './history.js';
export type { MetricSpec, MetricStatus, MetricValue, MetricValueStatus, PodInfo, PodMetricsSample, PodMetricValue } from './types.js';
