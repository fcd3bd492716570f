// Maps a Scaler, its target and the fetched metric values onto the
// algorithm's input (pure).
import type { Scaler, MetricSpec as SpecMetric } from '../../pkg/api/types.generated.js';
import type { CachedPod } from '../shared/cached-pod.js';
import type { MetricSpec, MetricValue, PodInfo, ScalerHistory, ScalerInput } from './algorithm/index.js';

const defaultVmWarmupSeconds = 120;

/** How long a new instance's metrics are ignored: spec.warmupSeconds, else 120 s for VM groups. */
export function warmupMs(scaler: Scaler): number {
  const s = scaler.spec.warmupSeconds ?? (scaler.spec.scaleTargetRef.kind === 'VirtualMachine' ? defaultVmWarmupSeconds : 0);
  return s * 1000;
}

function containerInfo(c: CachedPod['spec']['containers'][number]): PodInfo['containers'][number] {
  return { name: c.name, requests: c.resources?.requests ?? {} };
}

export function podInfo(pod: CachedPod): PodInfo {
  const ready = pod.status?.conditions?.find((c) => c.type === 'Ready');
  const info: PodInfo = {
    name: pod.metadata.name!,
    phase: pod.status?.phase ?? 'Pending',
    containers: pod.spec.containers.map(containerInfo),
  };
  // As the HPA counts them: sidecars (init containers that keep running) with the containers, and pod-level requests instead of both.
  const sidecars = (pod.spec.initContainers ?? []).filter((c) => c.restartPolicy === 'Always');
  if (sidecars.length) info.sidecarContainers = sidecars.map(containerInfo);
  if (pod.spec.resources?.requests && Object.keys(pod.spec.resources.requests).length) info.podRequests = pod.spec.resources.requests;
  if (ready) info.ready = { status: ready.status, lastTransitionTime: Date.parse(ready.lastTransitionTime ?? '') || 0 };
  if (pod.status?.startTime) info.startTime = Date.parse(pod.status.startTime);
  if (pod.metadata.deletionTimestamp) info.deleting = true;
  return info;
}

/** The algorithm's metric spec for one of the Scaler's (Stratus-only fields dropped, activation hoisted). */
export function metricSpec(m: SpecMetric, index: number): MetricSpec {
  switch (m.type) {
    case 'Resource':
      return { type: 'Resource', resource: m.resource! };
    case 'ContainerResource':
      return { type: 'ContainerResource', containerResource: m.containerResource! };
    case 'Pods':
      return { type: 'Pods', pods: { metric: m.pods!.metric, target: m.pods!.target }, ...activation(m.pods!.activationThreshold) };
    case 'Object': {
      const o = m.object!;
      return { type: 'Object', object: { describedObject: o.describedObject, metric: o.metric, target: o.target }, ...activation(o.activationThreshold) };
    }
    case 'External': {
      const e = m.external!;
      return { type: 'External', external: { metric: e.metric, target: e.target }, ...activation(e.activationThreshold) };
    }
    case 'Prometheus': {
      const p = m.prometheus!;
      return {
        type: 'Prometheus',
        prometheus: { name: `prometheus-${index}`, query: p.query, threshold: p.threshold, metricType: p.metricType },
        ...activation(p.activationThreshold),
      };
    }
  }
}

function activation(threshold: string | number | undefined): { activationThreshold?: string | number } {
  return threshold === undefined ? {} : { activationThreshold: threshold };
}

export function scalerInput(
  scaler: Scaler,
  history: ScalerHistory,
  replicas: number,
  statusReplicas: number,
  selector: string | undefined,
  pods: CachedPod[],
  values: MetricValue[],
  now: number,
): ScalerInput {
  const s = scaler.spec;
  const input: ScalerInput = {
    now,
    namespace: scaler.metadata.namespace,
    currentReplicas: replicas,
    statusReplicas,
    selector: selector ?? '',
    pods: pods.map(podInfo),
    minReplicas: s.minReplicas,
    maxReplicas: s.maxReplicas,
    metrics: (s.metrics ?? []).map(metricSpec),
    metricValues: values,
    cooldownPeriodSeconds: s.cooldownPeriodSeconds,
    history,
  };
  if (s.behavior) input.behavior = s.behavior;
  if (s.fallback) input.fallback = s.fallback;
  if (s.paused) input.paused = s.paused.replicas === undefined ? { mode: 'HoldCurrent' } : { replicas: s.paused.replicas };
  if (s.schedules?.length) input.schedules = s.schedules.map(({ name, cron, timezone, durationSeconds, minReplicas }) => ({ name, cron, timezone, durationSeconds, minReplicas }));
  return input;
}
