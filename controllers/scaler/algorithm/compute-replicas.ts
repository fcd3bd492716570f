// All metrics → one proposal (computeReplicasForMetrics upstream): the
// largest proposal wins; failed metrics may only let the others scale up.

import type { ScalerCondition } from './conditions.js';
import { Messages, Reasons } from './constants.js';
import { computeReplicasForMetric, describeMetric, type MetricContext } from './metric-replicas.js';
import type { MetricSpec, MetricStatus, MetricValue } from './types.js';

/** What the API server fills in when an HPA lists no metrics. */
export const DEFAULT_METRICS: readonly MetricSpec[] = Object.freeze([
  { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } },
]);

export interface SelectorState {
  /** status.selector of the target's scale; '' means missing. Undefined: the controller resolved pods itself. */
  selector?: string;
  /** Set when the controller could not parse the selector. */
  selectorError?: string;
}

/** One metric's own answer: the replicas it proposes, or why it has none. */
export interface MetricAnswer {
  /** The metric as the HPA names it, e.g. "cpu resource utilization (percentage of request)". */
  name: string;
  replicas?: number;
  error?: string;
}

export type MetricsProposal =
  | {
      ok: true;
      replicas: number;
      /** Description of the metric that gave the proposal. */
      metricName: string;
      statuses: MetricStatus[];
      /** ScalingActive=True ValidMetricFound. */
      condition: ScalerCondition;
      /** Set when some metrics failed but the others allowed scaling (upstream still reports the error). */
      error?: string;
      invalidCount: number;
      answers: MetricAnswer[];
    }
  | {
      ok: false;
      /** Undefined when the selector was rejected before any metric was looked at. */
      statuses?: MetricStatus[];
      condition: ScalerCondition;
      error: string;
      invalidCount: number;
      /** True when no metric gave a proposal (all failed, or the selector was rejected). */
      allFailed: boolean;
      answers: MetricAnswer[];
    };

function selectorFailure(state: SelectorState): MetricsProposal | undefined {
  if (state.selectorError !== undefined) {
    const message = Messages.InvalidSelector(state.selectorError);
    const condition = { type: 'ScalingActive', status: 'False', reason: Reasons.InvalidSelector, message } as const;
    return { ok: false, condition, error: message, invalidCount: 0, allFailed: true, answers: [] };
  }
  if (state.selector === '') {
    const condition = {
      type: 'ScalingActive',
      status: 'False',
      reason: Reasons.InvalidSelector,
      message: Messages.MissingSelector,
    } as const;
    return { ok: false, condition, error: 'selector is required', invalidCount: 0, allFailed: true, answers: [] };
  }
  return undefined;
}

export function computeReplicasForMetrics(
  specs: readonly MetricSpec[],
  values: readonly (MetricValue | undefined)[],
  ctx: MetricContext,
  selector: SelectorState = {},
): MetricsProposal {
  const rejected = selectorFailure(selector);
  if (rejected) return rejected;

  const statuses: MetricStatus[] = [];
  const answers: MetricAnswer[] = [];
  let replicas = 0;
  let metricName = '';
  let invalidCount = 0;
  let firstInvalid: { condition: ScalerCondition; error: string } | undefined;

  specs.forEach((spec, i) => {
    const p = computeReplicasForMetric(spec, values[i], ctx);
    statuses.push(p.status);
    answers.push(p.ok ? { name: p.metricName, replicas: p.replicas } : { name: describeMetric(spec), error: p.error });
    if (!p.ok) {
      if (invalidCount <= 0) {
        firstInvalid = {
          condition: { type: 'ScalingActive', status: 'False', reason: p.reason, message: p.message },
          error: p.error,
        };
      }
      invalidCount++;
      return;
    }
    if (replicas === 0 || p.replicas > replicas) {
      replicas = p.replicas;
      metricName = p.metricName;
    }
  });

  const error = firstInvalid
    ? `invalid metrics (${invalidCount} invalid out of ${specs.length}), first error is: ${firstInvalid.error}`
    : undefined;
  // All failed, or some failed and the rest would scale down: do nothing.
  if (firstInvalid && (invalidCount >= specs.length || replicas < ctx.specReplicas)) {
    const allFailed = invalidCount >= specs.length;
    return { ok: false, statuses, condition: firstInvalid.condition, error: error!, invalidCount, allFailed, answers };
  }
  const condition: ScalerCondition = {
    type: 'ScalingActive',
    status: 'True',
    reason: Reasons.ValidMetricFound,
    message: Messages.ValidMetricFound(metricName),
  };
  return error === undefined
    ? { ok: true, replicas, metricName, statuses, condition, invalidCount, answers }
    : { ok: true, replicas, metricName, statuses, condition, error, invalidCount, answers };
}
