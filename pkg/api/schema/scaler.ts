// Scaler: an autoscaler with the HPA's algorithm (autoscaling/v2 metrics and
// behavior), plus scale to zero, fallback, pause and schedules.
import { array, boolean, enumOf, freeform, integer, object, quantity, rule, string, type Schema } from './builder.js';
import { cronField, timezoneField } from './schedule-fields.js';
import { conditions, labelSelector, localObjectReference, objectName, observedGeneration } from './common.js';
import { ageColumn, readyColumn, type KindDefinition } from './kind.js';
import { secrets } from './reference-targets.js';

const positive = (what: string) => [rule("quantity(string(self)).isGreaterThan(quantity('0'))", `${what} must be positive`)];

const target = object(
  {
    type: enumOf(['Utilization', 'Value', 'AverageValue'], { description: 'What the target is.' }),
    value: quantity({ description: 'For Value: the target value of the metric.', maxLength: 64, rules: positive('value') }),
    averageValue: quantity({ description: 'For AverageValue: the target value per instance.', maxLength: 64, rules: positive('averageValue') }),
    averageUtilization: integer({ description: 'For Utilization: the target percentage of the requests, averaged over instances.', minimum: 1, maximum: 10000 }),
  },
  {
    name: 'MetricTarget',
    required: ['type'],
    rules: [
      rule("self.type != 'Utilization' || has(self.averageUtilization)", 'type Utilization needs averageUtilization'),
      rule("self.type != 'Value' || has(self.value)", 'type Value needs value'),
      rule("self.type != 'AverageValue' || has(self.averageValue)", 'type AverageValue needs averageValue'),
    ],
  },
);

const metricIdentifier = object(
  { name: string({ description: 'The metric name.', maxLength: 253 }), selector: labelSelector },
  { name: 'MetricIdentifier', required: ['name'] },
);

const objectRef = object(
  {
    apiVersion: string({ description: 'e.g. v1 or example.com/v1.', maxLength: 253 }),
    kind: string({ description: 'e.g. ConfigMap.', maxLength: 63 }),
    name: objectName('The object, in the same namespace.'),
  },
  {
    name: 'CrossVersionObjectReference',
    required: ['kind', 'name'],
    rules: [rule("!(self.kind == 'Secret' && (!has(self.apiVersion) || self.apiVersion == 'v1'))", 'Secrets hold credentials, not metrics: Stratus does not read them for a metric')],
  },
);

const fieldPath = (): Schema =>
  string({ description: 'The field holding the number, e.g. .status.queueLength or .data.depth.', maxLength: 256, pattern: '^\\.[A-Za-z0-9_.\\[\\]-]+$' });

const activationThreshold = (): Schema =>
  quantity({ description: 'Scale from zero only when the value is above this (KEDA semantics); default 0.' });

const metric = object(
  {
    type: enumOf(['Resource', 'ContainerResource', 'Pods', 'Object', 'External', 'Prometheus'], { description: 'The kind of metric source.' }),
    resource: object(
      { name: enumOf(['cpu', 'memory'], { description: 'The resource.' }), target },
      { name: 'ResourceMetricSource', description: 'CPU or memory of the instances, from metrics.k8s.io, relative to their requests.', required: ['name', 'target'] },
    ),
    containerResource: object(
      { name: enumOf(['cpu', 'memory'], { description: 'The resource.' }), container: string({ description: 'The container.', maxLength: 253 }), target },
      { name: 'ContainerResourceMetricSource', description: 'Like resource, for one container.', required: ['name', 'container', 'target'] },
    ),
    pods: object(
      { metric: metricIdentifier, target, activationThreshold: activationThreshold() },
      { name: 'PodsMetricSource', description: 'A per-instance metric, averaged (target type AverageValue).', required: ['metric', 'target'] },
    ),
    object: object(
      { describedObject: objectRef, metric: metricIdentifier, fieldPath: fieldPath(), target, activationThreshold: activationThreshold() },
      {
        name: 'ObjectMetricSource',
        description: 'A number read from a field of a Kubernetes object (e.g. a queue length another system writes).',
        required: ['describedObject', 'metric', 'fieldPath', 'target'],
      },
    ),
    external: object(
      {
        metric: metricIdentifier,
        source: object({ objectRef, fieldPath: fieldPath() }, { name: 'ExternalMetricObjectSource', description: 'The object and field holding the value.', required: ['objectRef', 'fieldPath'] }),
        target,
        activationThreshold: activationThreshold(),
      },
      { name: 'ExternalMetricSource', description: 'A metric about something outside the cluster, read from an object field.', required: ['metric', 'source', 'target'] },
    ),
    prometheus: object(
      {
        serverAddress: string({
          description: 'The Prometheus server, e.g. http://prometheus.monitoring:9090.',
          maxLength: 2048,
          rules: [rule("isURL(self) && (url(self).getScheme() == 'http' || url(self).getScheme() == 'https')", 'must be an http or https URL')],
        }),
        query: string({ description: 'A PromQL query returning one series (instant query).', maxLength: 8192, minLength: 1 }),
        threshold: quantity({ description: 'The target: per instance (metricType AverageValue) or in total (Value).', maxLength: 64, rules: positive('threshold') }),
        activationThreshold: activationThreshold(),
        metricType: enumOf(['AverageValue', 'Value'], { description: 'How the threshold is read.', default: 'AverageValue' }),
        ignoreNullValues: boolean({ description: 'Treat an empty or NaN answer as 0 (true) or as a failure (false).', default: true }),
        authSecretRef: {
          ...localObjectReference,
          description: 'A Secret with bearerToken, or username and password, for the server.',
        },
      },
      { name: 'PrometheusMetricSource', description: 'A Prometheus query, as KEDA runs it.', required: ['serverAddress', 'query', 'threshold'] },
    ),
  },
  {
    name: 'MetricSpec',
    required: ['type'],
    rules: [
      rule(
        "(self.type == 'Resource') == has(self.resource) && (self.type == 'ContainerResource') == has(self.containerResource) && (self.type == 'Pods') == has(self.pods) && (self.type == 'Object') == has(self.object) && (self.type == 'External') == has(self.external) && (self.type == 'Prometheus') == has(self.prometheus)",
        'set exactly the field matching type (e.g. type: Resource with resource)',
      ),
      rule(
        "!(has(self.pods) && self.pods.target.type != 'AverageValue') && !(has(self.object) && self.object.target.type == 'Utilization') && !(has(self.external) && self.external.target.type == 'Utilization')",
        'Utilization applies only to resource metrics, and pods metrics take AverageValue',
      ),
      rule(
        "!(has(self.resource) && self.resource.target.type == 'Value') && !(has(self.containerResource) && self.containerResource.target.type == 'Value')",
        'resource metrics take a Utilization or AverageValue target, as in the HPA',
      ),
    ],
  },
);

const scalingRules = (direction: 'up' | 'down'): Schema =>
  object(
    {
      stabilizationWindowSeconds: integer({
        description: `Use the ${direction === 'up' ? 'lowest' : 'highest'} recommendation of this window (default ${direction === 'up' ? 0 : 300}).`,
        minimum: 0,
        maximum: 3600,
      }),
      selectPolicy: enumOf(['Max', 'Min', 'Disabled'], { description: 'Which policy wins when several apply; Disabled stops scaling in this direction (default Max).' }),
      policies: array(
        object(
          {
            type: enumOf(['Pods', 'Percent'], { description: 'A number of instances or a percentage of the current ones.' }),
            value: integer({ description: 'How many (or what percent) per period.', minimum: 1 }),
            periodSeconds: integer({ description: 'The period the policy counts over.', minimum: 1, maximum: 1800 }),
          },
          { name: 'ScalingPolicy', required: ['type', 'value', 'periodSeconds'] },
        ),
        { description: `How fast to scale ${direction} (default ${direction === 'up' ? '4 instances or 100% per 15 s' : '100% per 15 s'}).`, maxItems: 10 },
      ),
      tolerance: quantity({
        description: 'Ignore metric ratios this close to 1 (default 0.1), as the HPA’s configurable tolerance.',
        maxLength: 64,
        rules: [rule("!quantity(string(self)).isLessThan(quantity('0'))", 'tolerance must not be negative')],
      }),
    },
    { name: 'ScalingRules' },
  );

const scaleEvent = (): Schema =>
  object(
    {
      time: string({ description: 'When the target was scaled.', format: 'date-time' }),
      replicas: integer({ description: 'How many replicas it added or removed.' }),
      outdated: boolean({ description: 'Past the longest policy period: its slot is reused, as the HPA does.' }),
    },
    { name: 'ScaleEvent', required: ['time', 'replicas'] },
  );

const spec = object(
  {
    scaleTargetRef: object(
      {
        apiVersion: string({ description: 'The target API version.', default: 'stratus.dev/v1alpha1', maxLength: 253 }),
        kind: string({ description: 'App, VirtualMachine (a group), or any kind with a scale subresource (e.g. Deployment).', maxLength: 63 }),
        name: objectName('The target, in the same namespace.'),
      },
      { name: 'ScaleTargetReference', required: ['kind', 'name'] },
    ),
    minReplicas: integer({ description: 'The fewest instances; 0 allows scaling to zero.', minimum: 0, default: 1 }),
    maxReplicas: integer({ description: 'The most instances.', minimum: 1 }),
    metrics: array(metric, { description: 'What to scale on; the largest proposal wins. Default: cpu at 80% utilization.', maxItems: 16 }),
    behavior: object(
      { scaleUp: scalingRules('up'), scaleDown: scalingRules('down') },
      { name: 'ScalingBehavior', description: 'How fast to scale each way, as in autoscaling/v2.' },
    ),
    pollingIntervalSeconds: integer({ description: 'How often to evaluate (metric objects changing also trigger it).', minimum: 1, maximum: 3600, default: 15 }),
    cooldownPeriodSeconds: integer({ description: 'With minReplicas 0: how long all metrics must be inactive before 1 → 0.', minimum: 0, maximum: 86400, default: 300 }),
    warmupSeconds: integer({
      description: "Ignore a new instance's metrics for this long (default: 120 for VirtualMachine groups, 0 otherwise; CPU also has the HPA's 5-minute initialization rule).",
      minimum: 0,
      maximum: 3600,
    }),
    fallback: object(
      {
        failureThreshold: integer({ description: 'Evaluations in a row with every metric failing.', minimum: 1 }),
        replicas: integer({ description: 'Instances to run meanwhile.', minimum: 0 }),
      },
      { name: 'Fallback', description: 'What to run when metrics keep failing.', required: ['failureThreshold', 'replicas'] },
    ),
    paused: object(
      { replicas: integer({ description: 'Pin the target at this many instances; unset: hold the current count.', minimum: 0 }) },
      { name: 'Pause', description: 'Present: stop scaling.' },
    ),
    schedules: array(
      object(
        {
          name: string({ description: 'Names the schedule.', maxLength: 63 }),
          cron: cronField('When it starts'),
          timezone: timezoneField(),
          durationSeconds: integer({ description: 'How long it lasts.', minimum: 60, maximum: 604800 }),
          minReplicas: integer({ description: 'The minimum while it lasts.', minimum: 0 }),
        },
        { name: 'Schedule', required: ['name', 'cron', 'durationSeconds', 'minReplicas'] },
      ),
      { description: 'Raise minReplicas at set times.', mapKeys: ['name'], maxItems: 16 },
    ),
  },
  {
    name: 'ScalerSpec',
    required: ['scaleTargetRef', 'maxReplicas'],
    rules: [
      rule('self.minReplicas <= self.maxReplicas', 'minReplicas must not be greater than maxReplicas', { fieldPath: '.minReplicas' }),
      rule(
        "self.minReplicas > 0 || (has(self.metrics) && self.metrics.exists(m, m.type != 'Resource' && m.type != 'ContainerResource'))",
        'minReplicas 0 needs a Pods, Object, External or Prometheus metric to wake up on',
        { fieldPath: '.minReplicas' },
      ),
      rule('!has(self.schedules) || self.schedules.all(s, s.minReplicas <= self.maxReplicas)', 'schedules[].minReplicas must not be greater than maxReplicas', { fieldPath: '.schedules' }),
      rule('!has(self.fallback) || self.fallback.replicas <= self.maxReplicas', 'fallback.replicas must not be greater than maxReplicas', { fieldPath: '.fallback.replicas' }),
    ],
  },
);

const status = object(
  {
    observedGeneration: observedGeneration(),
    conditions: conditions(),
    currentReplicas: integer({ description: 'Instances the target has.' }),
    desiredReplicas: integer({ description: 'Instances the Scaler wants.' }),
    lastScaleTime: string({ description: 'When the Scaler last changed the target.', format: 'date-time' }),
    currentMetrics: array(freeform({ description: 'A metric and its current value, as autoscaling/v2 MetricStatus.' }), { description: 'The last values read.' }),
    fallbackActive: boolean({ description: 'Whether the fallback replicas are in force.' }),
    targetSelector: string({ description: "The target's instance selector." }),
    decision: object(
      {
        recommendation: integer({ description: 'The largest proposal of the metrics, before stabilization and limits.' }),
        metrics: array(
          object(
            {
              name: string({ description: 'The metric, as the HPA names it.' }),
              replicas: integer({ description: 'The replicas it proposes.' }),
              error: string({ description: 'Why it proposes none.' }),
            },
            { name: 'MetricProposal', required: ['name'] },
          ),
          { description: "Each metric's own proposal, in spec order.", maxItems: 16 },
        ),
        limitedBy: enumOf(
          [
            'None',
            'ScaleUpStabilization',
            'ScaleDownStabilization',
            'ScaleUpPolicy',
            'ScaleDownPolicy',
            'ScaleUpLimit',
            'MinReplicas',
            'MaxReplicas',
            'Schedule',
            'MetricsFailed',
            'TargetScaledToZero',
            'Activation',
            'ScaledToZero',
            'Cooldown',
            'Fallback',
            'Paused',
            'InvalidSchedule',
          ],
          { description: 'What decided desiredReplicas when the recommendation alone did not (None: it did).' },
        ),
        message: string({ description: 'The decision in a sentence, with the numbers and the window, policy or limit that bound it.' }),
        nextScaleDownTime: string({ description: 'The earliest a held-back scale-down can happen (stabilization window, policy period or cooldown).', format: 'date-time' }),
        schedule: string({ description: 'The schedule whose minimum is in force.' }),
      },
      { name: 'ScalerDecision', description: 'Why desiredReplicas is what it is.', required: ['limitedBy', 'message'] },
    ),
    history: object(
      {
        recommendations: array(
          object(
            {
              replicas: integer({ description: 'The recommendation.' }),
              until: string({ description: 'When it was last made; unset for the current one.', format: 'date-time' }),
            },
            { name: 'RecommendationRun', required: ['replicas'] },
          ),
          { description: 'Runs of recommendations the stabilization windows still count, oldest first.', maxItems: 64 },
        ),
        scaleUpEvents: array(scaleEvent(), { description: 'Scale-ups the scale-up policies still count.', maxItems: 64 }),
        scaleDownEvents: array(scaleEvent(), { description: 'Scale-downs the scale-down policies still count.', maxItems: 64 }),
        active: boolean({ description: 'A metric is above its activation threshold (minReplicas 0).' }),
        lastActiveTime: string({ description: 'When a metric was last above its activation threshold: the cooldown to zero counts from it.', format: 'date-time' }),
        failures: integer({ description: 'Evaluations in a row in which every metric failed, up to fallback.failureThreshold.' }),
      },
      {
        name: 'ScalerHistory',
        description:
          'What future decisions need of the past, so that a restarted controller never scales down earlier than an uninterrupted one would. Written only when it changes.',
      },
    ),
  },
  { name: 'ScalerStatus' },
);

export const scaler: KindDefinition = {
  kind: 'Scaler',
  plural: 'scalers',
  singular: 'scaler',
  shortNames: ['ssc'],
  categories: ['stratus'],
  description: 'An autoscaler for Apps, VirtualMachine groups or anything with a scale subresource: the HPA algorithm plus scale to zero, fallback, pause and schedules.',
  spec,
  status,
  printerColumns: [
    readyColumn,
    { name: 'Target', type: 'string', jsonPath: '.spec.scaleTargetRef.name' },
    { name: 'Min', type: 'integer', jsonPath: '.spec.minReplicas' },
    { name: 'Max', type: 'integer', jsonPath: '.spec.maxReplicas' },
    { name: 'Replicas', type: 'integer', jsonPath: '.status.currentReplicas' },
    { name: 'Desired', type: 'integer', jsonPath: '.status.desiredReplicas', priority: 1 },
    { name: 'Limited By', type: 'string', jsonPath: '.status.decision.limitedBy', description: 'What decided the count (kubectl describe: status.decision)' },
    ageColumn,
  ],
  references: [{ path: 'spec.metrics[].prometheus.authSecretRef.name', target: secrets }],
  typedReferences: [
    { path: 'spec.metrics[].object.describedObject', defaultApiVersion: 'v1' },
    { path: 'spec.metrics[].external.source.objectRef', defaultApiVersion: 'v1' },
    { path: 'spec.scaleTargetRef', defaultApiVersion: 'stratus.dev/v1alpha1', scales: true },
  ],
};
