// One metric spec + its fetched value → a replica proposal and a
// status.currentMetrics entry, or the HPA's failure condition
// (computeReplicasForMetric and computeStatusFor*Metric upstream).

import { DEFAULT_METRIC_WINDOW_SECONDS, Messages, Reasons } from './constants.js';
import { podResourceMetrics, type PodMetricsInfo, type ReadinessTiming } from './pod-grouping.js';
import { formatMilliQuantity, milliValue, type Quantity } from '../../../pkg/kube/quantity.js';
import {
  externalValueReplicas,
  objectValueReplicas,
  perPodTotalReplicas,
  plainMetricReplicas,
  resourceReplicas,
  sumPerPodSeries,
  type PodCalculation,
} from './replica-calculator.js';
import { formatLabelSelector } from './selector-format.js';
import type { Tolerances } from './tolerances.js';
import type { MetricSpec, MetricStatus, MetricTarget, MetricValue, MetricValueStatus, PodInfo } from './types.js';

export interface MetricContext {
  /** The scale's spec.replicas. */
  specReplicas: number;
  /** The scale's status.replicas (AverageValue targets on Object/External divide by it). */
  statusReplicas: number;
  pods: readonly PodInfo[];
  tolerances: Tolerances;
  timing: ReadinessTiming;
  namespace: string;
}

export type MetricProposal =
  | { ok: true; replicas: number; metricName: string; status: MetricStatus }
  | {
      ok: false;
      /** Reason of the ScalingActive=False condition this failure would set. */
      reason: string;
      /** Message of that condition. */
      message: string;
      /** The error as the HPA wraps it for events and logs. */
      error: string;
      status: { type: '' };
    };

type Kind = MetricValue['kind'];
type Fetched<K extends Kind> = Extract<MetricValue, { kind: K }>;

const errorMessage = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** The value if it has the expected kind, else the fetch error message. */
function fetched<K extends Kind>(value: MetricValue | undefined, kind: K, emptyMessage?: string): Fetched<K> | string {
  if (!value) return 'no metric value was provided';
  if (value.kind === 'error') return value.message;
  if (value.kind !== kind) return `got a metric value of kind ${value.kind} where ${kind} was expected`;
  const v = value as Fetched<K>;
  if (emptyMessage !== undefined) {
    const list = 'podMetrics' in v ? v.podMetrics : 'values' in v ? v.values : undefined;
    if (list && list.length === 0) return emptyMessage;
  }
  return v;
}

// Memory averages are shown in binary units, like metrics-server does.
const fmt = (milli: bigint, resource?: string) =>
  formatMilliQuantity(milli, resource === 'memory' ? 'BinarySI' : 'DecimalSI');

function calcFor(ctx: MetricContext, currentReplicas: number): PodCalculation {
  return { currentReplicas, tolerances: ctx.tolerances, pods: ctx.pods, timing: ctx.timing };
}

interface Success {
  replicas: number;
  metricName: string;
  current: MetricValueStatus;
}

/** Resource and ContainerResource (computeStatusForResourceMetricGeneric); throws the condition's error text. */
function resourceGeneric(
  name: string,
  container: string,
  target: MetricTarget,
  value: MetricValue | undefined,
  ctx: MetricContext,
  containerSource: boolean,
): Success {
  const samplesOf = (what: string): PodMetricsInfo => {
    const v = fetched(value, 'resource', 'no metrics returned from resource metrics API');
    const fail = (msg: string) =>
      new Error(`failed to get ${name} ${what}: unable to get metrics for resource ${name}: ${msg}`);
    if (typeof v === 'string') throw fail(v);
    try {
      return podResourceMetrics(v.podMetrics, name, container);
    } catch (e) {
      throw fail(errorMessage(e));
    }
  };
  if (target.averageValue !== undefined) {
    const samples = samplesOf('usage');
    try {
      const p = plainMetricReplicas(calcFor(ctx, ctx.specReplicas), samples, milliValue(target.averageValue), name);
      return { replicas: p.replicas, metricName: `${name} resource`, current: { averageValue: fmt(p.usage, name) } };
    } catch (e) {
      throw new Error(`failed to get ${name} usage: ${errorMessage(e)}`);
    }
  }
  if (target.averageUtilization === undefined) {
    throw new Error(
      'invalid resource metric source: neither an average utilization target nor an average value (usage) target was set',
    );
  }
  const samples = samplesOf('utilization');
  try {
    const p = resourceReplicas(calcFor(ctx, ctx.specReplicas), samples, target.averageUtilization, name, container);
    const kind = containerSource ? 'container resource' : 'resource';
    return {
      replicas: p.replicas,
      metricName: `${name} ${kind} utilization (percentage of request)`,
      current: { averageUtilization: p.utilization, averageValue: fmt(p.rawAverage, name) },
    };
  } catch (e) {
    throw new Error(`failed to get ${name} utilization: ${errorMessage(e)}`);
  }
}

type SpecOf<T extends MetricSpec['type']> = Extract<MetricSpec, { type: T }>;

function podsMetric(spec: SpecOf<'Pods'>, value: MetricValue | undefined, ctx: MetricContext): Success {
  const { metric, target } = spec.pods;
  if (target.averageValue === undefined) throw new Error('invalid pods metric source: no average value target was set');
  const v = fetched(value, 'pods', 'no metrics returned from custom metrics API');
  if (typeof v === 'string') throw new Error(`unable to get metric ${metric.name}: ${v}`);
  const samples: PodMetricsInfo = new Map();
  for (const s of v.values) {
    const windowMs = (s.windowSeconds ?? DEFAULT_METRIC_WINDOW_SECONDS) * 1000;
    samples.set(s.pod, { value: milliValue(s.value), timestamp: s.timestamp, windowMs });
  }
  const p = plainMetricReplicas(calcFor(ctx, ctx.specReplicas), samples, milliValue(target.averageValue), '');
  return { replicas: p.replicas, metricName: `pods metric ${metric.name}`, current: { averageValue: fmt(p.usage) } };
}

function objectMetric(spec: SpecOf<'Object'>, value: MetricValue | undefined, ctx: MetricContext): Success {
  const { describedObject: obj, metric, target } = spec.object;
  const usageOf = () => {
    const v = fetched(value, 'object');
    if (typeof v === 'string') {
      throw new Error(`unable to get metric ${metric.name} on ${obj.kind} ${ctx.namespace}/${obj.name}: ${v}`);
    }
    return milliValue(v.value);
  };
  if (target.type === 'Value' && target.value !== undefined) {
    const usage = usageOf();
    const replicas = objectValueReplicas(calcFor(ctx, ctx.specReplicas), usage, milliValue(target.value));
    return { replicas, metricName: `${obj.kind} metric ${metric.name}`, current: { value: fmt(usage) } };
  }
  if (target.type === 'AverageValue' && target.averageValue !== undefined) {
    const p = perPodTotalReplicas(ctx.statusReplicas, usageOf(), milliValue(target.averageValue), ctx.tolerances);
    // Upstream names Object average-value metrics "external metric …" too.
    const metricName = `external metric ${metric.name}(${formatLabelSelector(metric.selector)})`;
    return { replicas: p.replicas, metricName, current: { averageValue: fmt(p.usage) } };
  }
  throw new Error('invalid object metric source: neither a value target nor an average value target was set');
}

/** External, and Prometheus with its own wording. */
function externalLike(
  ctx: MetricContext,
  value: MetricValue | undefined,
  target: { value?: Quantity; averageValue?: Quantity },
  fetchError: (msg: string) => string,
  emptyMessage: string,
  metricName: string,
): Success {
  const seriesOf = () => {
    const v = fetched(value, 'external', emptyMessage);
    if (typeof v === 'string') throw new Error(fetchError(v));
    return v.values.map((q) => milliValue(q));
  };
  if (target.averageValue !== undefined) {
    const usage = sumPerPodSeries(seriesOf());
    const p = perPodTotalReplicas(ctx.statusReplicas, usage, milliValue(target.averageValue), ctx.tolerances);
    return { replicas: p.replicas, metricName, current: { averageValue: fmt(p.usage) } };
  }
  if (target.value !== undefined) {
    const p = externalValueReplicas(calcFor(ctx, ctx.specReplicas), seriesOf(), milliValue(target.value));
    return { replicas: p.replicas, metricName, current: { value: fmt(p.usage) } };
  }
  throw new Error('invalid external metric source: neither a value target nor an average value target was set');
}

/** The metric as the HPA names it in conditions and events. */
export function describeMetric(spec: MetricSpec): string {
  switch (spec.type) {
    case 'Resource':
    case 'ContainerResource': {
      const r = spec.type === 'Resource' ? spec.resource : spec.containerResource;
      const kind = spec.type === 'Resource' ? 'resource' : 'container resource';
      return r.target.averageValue !== undefined ? `${r.name} ${kind}` : `${r.name} ${kind} utilization (percentage of request)`;
    }
    case 'Pods':
      return `pods metric ${spec.pods.metric.name}`;
    case 'Object': {
      const { describedObject, metric, target } = spec.object;
      return target.type === 'AverageValue' ? `external metric ${metric.name}(${formatLabelSelector(metric.selector)})` : `${describedObject.kind} metric ${metric.name}`;
    }
    case 'External':
      return `external metric ${spec.external.metric.name}(${formatLabelSelector(spec.external.metric.selector)})`;
    case 'Prometheus':
      return `prometheus metric ${spec.prometheus.name}`;
  }
}

function failure(reason: string, inner: string, wrapped: string): MetricProposal {
  return { ok: false, reason, message: Messages.UnableToCompute(inner), error: wrapped, status: { type: '' } };
}

/** Proposal for one metric; `value` is what the controller fetched for it. */
export function computeReplicasForMetric(
  spec: MetricSpec,
  value: MetricValue | undefined,
  ctx: MetricContext,
): MetricProposal {
  const attempt = (
    reason: string,
    wrap: (inner: string) => string,
    run: () => Success,
    status: (current: MetricValueStatus) => MetricStatus,
  ): MetricProposal => {
    try {
      const s = run();
      return { ok: true, replicas: s.replicas, metricName: s.metricName, status: status(s.current) };
    } catch (e) {
      const inner = errorMessage(e);
      return failure(reason, inner, wrap(inner));
    }
  };

  switch (spec.type) {
    case 'Resource': {
      const { name, target } = spec.resource;
      return attempt(
        Reasons.FailedGetResourceMetric,
        (inner) => `failed to get ${name} resource metric value: ${inner}`,
        () => resourceGeneric(name, '', target, value, ctx, false),
        (current) => ({ type: 'Resource', resource: { name, current } }),
      );
    }
    case 'ContainerResource': {
      const { name, container, target } = spec.containerResource;
      return attempt(
        Reasons.FailedGetContainerResourceMetric,
        (inner) => `failed to get ${container} container metric value: ${inner}`,
        () => resourceGeneric(name, container, target, value, ctx, true),
        (current) => ({ type: 'ContainerResource', containerResource: { name, container, current } }),
      );
    }
    case 'Pods': {
      const metric = { ...spec.pods.metric };
      return attempt(
        Reasons.FailedGetPodsMetric,
        (inner) => `failed to get pods metric value: ${inner}`,
        () => podsMetric(spec, value, ctx),
        (current) => ({ type: 'Pods', pods: { metric, current } }),
      );
    }
    case 'Object': {
      const { describedObject, metric, target } = spec.object;
      const perPod = target.type === 'AverageValue' && target.averageValue !== undefined;
      const perPodPrefix = perPod ? `failed to get ${metric.name} object metric: ` : '';
      return attempt(
        Reasons.FailedGetObjectMetric,
        (inner) => `failed to get object metric value: ${perPodPrefix}${inner}`,
        () => objectMetric(spec, value, ctx),
        (current) => ({
          type: 'Object',
          object: { describedObject: { ...describedObject }, metric: { ...metric }, current },
        }),
      );
    }
    case 'External': {
      const { metric, target } = spec.external;
      const selector = formatLabelSelector(metric.selector);
      const prefix =
        target.averageValue !== undefined
          ? `failed to get ${metric.name} external metric: `
          : target.value !== undefined
            ? `failed to get external metric ${metric.name}: `
            : '';
      return attempt(
        Reasons.FailedGetExternalMetric,
        (inner) => `failed to get ${metric.name} external metric value: ${prefix}${inner}`,
        () =>
          externalLike(
            ctx,
            value,
            target,
            (msg) => `unable to get external metric ${ctx.namespace}/${metric.name}/${selector}: ${msg}`,
            'no metrics returned from external metrics API',
            `external metric ${metric.name}(${selector})`,
          ),
        (current) => ({ type: 'External', external: { metric: { ...metric }, current } }),
      );
    }
    case 'Prometheus': {
      const { name, threshold, metricType } = spec.prometheus;
      const target = metricType === 'Value' ? { value: threshold } : { averageValue: threshold };
      return attempt(
        Reasons.FailedGetPrometheusMetric,
        (inner) => `failed to get ${name} prometheus metric value: ${inner}`,
        () =>
          externalLike(
            ctx,
            value,
            target,
            (msg) => `unable to get prometheus metric ${name}: ${msg}`,
            'the query returned no data',
            `prometheus metric ${name}`,
          ),
        (current) => ({ type: 'Prometheus', prometheus: { name, current } }),
      );
    }
    default: {
      const type = (spec as { type: string }).type;
      const inner = `unknown metric source type "${type}"`;
      return failure(Reasons.InvalidMetricSourceType, inner, inner);
    }
  }
}
