// Fetches what each metric of a Scaler measures: PodMetrics from
// metrics.k8s.io, per-pod custom metrics from custom.metrics.k8s.io, object
// fields for Object and External metrics, and Prometheus queries.
import type { Scaler, MetricSpec as SpecMetric } from '../../pkg/api/types.generated.js';
import { Secrets } from '../../pkg/kube/resources.js';
import { ApiError } from '../../pkg/runtime/client/api-error.js';
import type { Cache } from '../../pkg/runtime/cache/cache.js';
import type { Client } from '../../pkg/runtime/client/client.js';
import type { RestMapper } from '../../pkg/runtime/client/rest-mapper.js';
import type { KubeObject } from '../../pkg/meta/object.js';
import { originOf } from '../../pkg/api/settings.js';
import type { SettingsSource } from '../shared/settings.js';
import type { MetricValue, PodMetricsSample, PodMetricValue } from './algorithm/index.js';
import { readField } from './field-path.js';
import { metricObjectType } from './metric-objects.js';
import { queryPrometheus } from './prometheus.js';
import type { Target } from './target.js';

interface PodMetricsList {
  items: { metadata: { name: string }; timestamp: string; window: string; containers: { name: string; usage: Record<string, string> }[] }[];
}

interface CustomMetricList {
  items: { describedObject: { name: string }; value: string; timestamp: string; windowSeconds?: number }[];
}

function seconds(window: string): number {
  const m = /^([\d.]+)(ms|s|m)?$/.exec(window);
  if (!m) return 30;
  const n = Number(m[1]);
  return m[2] === 'ms' ? n / 1000 : m[2] === 'm' ? n * 60 : n;
}

const reason = (err: unknown): string => (err instanceof ApiError ? `${err.status} ${err.body.reason ?? ''} ${err.body.message ?? ''}`.trim() : (err as Error).message);

export class MetricsClient {
  constructor(
    private readonly client: Client,
    private readonly cache: Cache,
    private readonly mapper: RestMapper,
    private readonly settings: SettingsSource,
  ) {}

  /** One value (or error) per metric, in order. `warmupMs` drops samples of pods younger than that. */
  async fetch(scaler: Scaler, target: Target, warmupMs: number, now: number): Promise<MetricValue[]> {
    const specs: SpecMetric[] = scaler.spec.metrics?.length ? scaler.spec.metrics : [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }];
    return Promise.all(specs.map((m) => this.one(scaler, m, target, warmupMs, now)));
  }

  private async one(scaler: Scaler, m: SpecMetric, target: Target, warmupMs: number, now: number): Promise<MetricValue> {
    const ns = scaler.metadata.namespace!;
    try {
      switch (m.type) {
        case 'Resource':
        case 'ContainerResource':
          return { kind: 'resource', podMetrics: await this.podMetrics(ns, target, warmupMs, now) };
        case 'Pods':
          return { kind: 'pods', values: await this.podsMetric(ns, target, m.pods!.metric.name) };
        case 'Object': {
          const o = m.object!;
          const value = await this.objectField(ns, o.describedObject.apiVersion ?? 'v1', o.describedObject.kind, o.describedObject.name, o.fieldPath);
          return 'error' in value ? { kind: 'error', message: value.error } : { kind: 'object', value: value.value };
        }
        case 'External': {
          const s = m.external!.source;
          const value = await this.objectField(ns, s.objectRef.apiVersion ?? 'v1', s.objectRef.kind, s.objectRef.name, s.fieldPath);
          return 'error' in value ? { kind: 'error', message: value.error } : { kind: 'external', values: [value.value] };
        }
        case 'Prometheus': {
          const p = m.prometheus!;
          const refused = this.serverRefused(p.serverAddress);
          if (refused) return { kind: 'error', message: refused };
          const value = await queryPrometheus({ serverAddress: p.serverAddress, query: p.query, ignoreNullValues: p.ignoreNullValues, auth: this.auth(ns, p.authSecretRef?.name) });
          return { kind: 'external', values: [value] };
        }
      }
    } catch (err) {
      return { kind: 'error', message: reason(err) };
    }
  }

  private async podMetrics(ns: string, target: Target, warmupMs: number, now: number): Promise<PodMetricsSample[]> {
    const selector = target.scale.status.selector;
    const list = await this.client.rest.request<PodMetricsList>('GET', `/apis/metrics.k8s.io/v1beta1/namespaces/${ns}/pods`, { query: { labelSelector: selector } });
    const young = new Set(
      target.pods.filter((p) => warmupMs > 0 && p.status?.startTime && now - Date.parse(p.status.startTime) < warmupMs).map((p) => p.metadata.name),
    );
    // A warming-up instance's samples are left out: the algorithm treats it as missing.
    return list.items
      .filter((i) => !young.has(i.metadata.name))
      .map((i) => ({ pod: i.metadata.name, timestamp: Date.parse(i.timestamp), windowSeconds: seconds(i.window), containers: i.containers }));
  }

  private async podsMetric(ns: string, target: Target, metric: string): Promise<PodMetricValue[]> {
    const list = await this.client.rest.request<CustomMetricList>('GET', `/apis/custom.metrics.k8s.io/v1beta2/namespaces/${ns}/pods/*/${encodeURIComponent(metric)}`, {
      query: { labelSelector: target.scale.status.selector },
    });
    return list.items.map((i) => ({ pod: i.describedObject.name, value: i.value, timestamp: Date.parse(i.timestamp), windowSeconds: i.windowSeconds }));
  }

  /** Why the cluster's settings forbid querying this server, if they do (checked at admission too, but the settings may have changed since). */
  private serverRefused(serverAddress: string): string | undefined {
    const allowed = this.settings.current.prometheusServers;
    if (!allowed || allowed.includes(originOf(serverAddress) ?? '')) return undefined;
    return `prometheus server ${originOf(serverAddress) ?? serverAddress} is not among the servers this cluster allows (${allowed.join(', ') || 'none'})`;
  }

  /** Reads the field from the cache (the informer also triggers evaluation when it changes). */
  private async objectField(ns: string, apiVersion: string, kind: string, name: string, path: string) {
    const found = await metricObjectType(this.mapper, apiVersion, kind);
    if ('refused' in found) return { error: found.refused };
    const { type } = found;
    const informer = this.cache.informer<KubeObject>(type);
    if (!informer.hasSynced) await informer.waitForSync(AbortSignal.timeout(10_000));
    const obj = this.cache.get<KubeObject>(type, ns, name);
    if (!obj) return { error: `${kind} ${name} not found` };
    const result = readField(obj, path);
    return 'error' in result ? { error: `${kind} ${name}: ${result.error}` } : result;
  }

  private auth(ns: string, secret: string | undefined): { bearerToken?: string; username?: string; password?: string } | undefined {
    if (!secret) return undefined;
    const s = this.cache.get<KubeObject & { data?: Record<string, string> }>(Secrets, ns, secret);
    if (!s) throw new Error(`authSecretRef: Secret ${secret} not found`);
    const d = (k: string) => (s.data?.[k] ? Buffer.from(s.data[k], 'base64').toString('utf8') : undefined);
    return { bearerToken: d('bearerToken'), username: d('username'), password: d('password') };
  }
}
