// The simulated metrics-server: serves metrics.k8s.io/v1beta1 over HTTPS for
// the apiserver's aggregation layer, so `kubectl top` and autoscalers read
// PodMetrics and NodeMetrics exactly as on a real cluster.
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Node, Pod } from '../../kube/core-types.js';
import { ConfigMaps, Nodes, Pods } from '../../kube/resources.js';
import type { Cache } from '../../runtime/cache/cache.js';
import { stringSelectorMatcher } from '../../meta/labels.js';
import type { KubeObject } from '../../meta/object.js';
import { isRunning, loadConfigMap, podUsage, sumUsage } from './usage.js';

const groupVersion = 'metrics.k8s.io/v1beta1';

/**
 * metrics-server scrapes every `windowSeconds` and reports samples that are
 * `lagSeconds` old. The HPA ignores a new pod's CPU until a sample's
 * timestamp is a window past the pod's readiness, so these set how soon a
 * started pod counts.
 */
export interface MetricsSimOptions {
  windowSeconds: number;
  lagSeconds: number;
}

export const defaultMetricsOptions: MetricsSimOptions = { windowSeconds: 5, lagSeconds: 1 };
export const realisticMetrics: MetricsSimOptions = { windowSeconds: 15, lagSeconds: 5 };

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
}

function notFound(res: ServerResponse, what: string): void {
  json(res, 404, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404, message: `${what} not found` });
}

export class MetricsServer {
  private server?: Server;

  constructor(
    private readonly cache: Cache,
    private readonly tls: { cert: string; key: string },
    private readonly o: MetricsSimOptions = defaultMetricsOptions,
    private readonly now: () => number = Date.now,
  ) {}

  private get window(): string {
    return `${this.o.windowSeconds}s`;
  }

  private timestamp(): string {
    return new Date(Math.floor(this.now() / 1000) * 1000 - this.o.lagSeconds * 1000).toISOString().replace('.000Z', 'Z');
  }

  private load(namespace: string): Record<string, string> {
    const cm = this.cache.get<KubeObject & { data?: Record<string, string> }>(ConfigMaps, namespace, loadConfigMap);
    return cm?.data ?? {};
  }

  private podMetrics(pod: Pod, namespacePods: Pod[]): Record<string, unknown> {
    return {
      kind: 'PodMetrics',
      apiVersion: groupVersion,
      metadata: { name: pod.metadata.name, namespace: pod.metadata.namespace, labels: pod.metadata.labels ?? {}, creationTimestamp: this.timestamp() },
      timestamp: this.timestamp(),
      window: this.window,
      containers: podUsage(pod, this.load(pod.metadata.namespace!), namespacePods),
    };
  }

  private runningPods(namespace?: string): Pod[] {
    return this.cache.list<Pod>(Pods, namespace ? { namespace } : {}).filter(isRunning);
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'https://metrics');
    const path = url.pathname.replace(/\/+$/, '');
    if (['/healthz', '/readyz', '/livez'].includes(path)) return void res.writeHead(200).end('ok');
    if (path === `/apis/${groupVersion}`) {
      return json(res, 200, {
        kind: 'APIResourceList',
        apiVersion: 'v1',
        groupVersion,
        resources: [
          { name: 'nodes', singularName: '', namespaced: false, kind: 'NodeMetrics', verbs: ['get', 'list'] },
          { name: 'pods', singularName: '', namespaced: true, kind: 'PodMetrics', verbs: ['get', 'list'] },
        ],
      });
    }
    const selector = url.searchParams.get('labelSelector');
    let matches: (labels: Record<string, string> | undefined) => boolean = () => true;
    try {
      if (selector) matches = stringSelectorMatcher(selector);
    } catch (err) {
      return json(res, 400, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'BadRequest', code: 400, message: (err as Error).message });
    }
    const pods = /^\/apis\/metrics\.k8s\.io\/v1beta1(?:\/namespaces\/([^/]+))?\/pods(?:\/([^/]+))?$/.exec(path);
    if (pods) {
      const [, namespace, name] = pods;
      const running = this.runningPods(namespace);
      if (name) {
        const pod = running.find((p) => p.metadata.name === name);
        return pod ? json(res, 200, this.podMetrics(pod, running)) : notFound(res, `podmetrics "${name}"`);
      }
      const items = running.filter((p) => matches(p.metadata.labels)).map((p) => this.podMetrics(p, running.filter((q) => q.metadata.namespace === p.metadata.namespace)));
      return json(res, 200, { kind: 'PodMetricsList', apiVersion: groupVersion, metadata: {}, items });
    }
    const nodes = /^\/apis\/metrics\.k8s\.io\/v1beta1\/nodes(?:\/([^/]+))?$/.exec(path);
    if (nodes) {
      const all = this.cache.list<Node>(Nodes).filter((n) => !nodes[1] || n.metadata.name === nodes[1]).filter((n) => matches(n.metadata.labels));
      const running = this.runningPods();
      const items = all.map((n) => ({
        kind: 'NodeMetrics',
        apiVersion: groupVersion,
        metadata: { name: n.metadata.name, labels: n.metadata.labels ?? {}, creationTimestamp: this.timestamp() },
        timestamp: this.timestamp(),
        window: this.window,
        usage: sumUsage(running.filter((p) => p.spec.nodeName === n.metadata.name).flatMap((p) => podUsage(p, this.load(p.metadata.namespace!), running))),
      }));
      if (nodes[1]) return items[0] ? json(res, 200, items[0]) : notFound(res, `nodemetrics "${nodes[1]}"`);
      return json(res, 200, { kind: 'NodeMetricsList', apiVersion: groupVersion, metadata: {}, items });
    }
    notFound(res, path);
  }

  async start(): Promise<number> {
    this.server = createServer({ cert: this.tls.cert, key: this.tls.key }, (req, res) => {
      try {
        this.handle(req, res);
      } catch (err) {
        json(res, 500, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'InternalError', code: 500, message: (err as Error).message });
      }
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(0, '127.0.0.1', () => resolve());
    });
    const address = this.server.address();
    return typeof address === 'object' && address ? address.port : 0;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }
}
