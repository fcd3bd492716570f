// Prometheus metrics of the runtime, named as controller-runtime and client-go
// name theirs so existing dashboards and alerts apply.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { QueueMetrics } from '../queue/work-queue.js';
import type { RequestObserver } from '../client/rest-client.js';

const durationBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

export class RuntimeMetrics {
  readonly registry: Registry;
  readonly reconcileTotal: Counter<'controller' | 'result'>;
  readonly reconcileErrors: Counter<'controller'>;
  readonly reconcilePanics: Counter<'controller'>;
  readonly reconcileTime: Histogram<'controller'>;
  readonly activeWorkers: Gauge<'controller'>;
  readonly queueDepth: Gauge<'name'>;
  readonly queueAdds: Counter<'name'>;
  readonly queueRetries: Counter<'name'>;
  readonly queueDuration: Histogram<'name'>;
  readonly leaderStatus: Gauge<'name'>;
  readonly requests: Counter<'verb' | 'code' | 'resource'>;
  readonly requestLatency: Histogram<'verb'>;

  constructor(registry = new Registry(), withProcessMetrics = true) {
    this.registry = registry;
    if (withProcessMetrics) collectDefaultMetrics({ register: registry });
    const r = [registry];
    this.reconcileTotal = new Counter({
      name: 'controller_runtime_reconcile_total',
      help: 'Total number of reconciliations per controller and result (success, error, requeue, requeue_after).',
      labelNames: ['controller', 'result'],
      registers: r,
    });
    this.reconcileErrors = new Counter({
      name: 'controller_runtime_reconcile_errors_total',
      help: 'Total number of reconciliation errors per controller.',
      labelNames: ['controller'],
      registers: r,
    });
    this.reconcilePanics = new Counter({
      name: 'controller_runtime_reconcile_panics_total',
      help: 'Total number of reconciliations that threw an unexpected exception.',
      labelNames: ['controller'],
      registers: r,
    });
    this.reconcileTime = new Histogram({
      name: 'controller_runtime_reconcile_time_seconds',
      help: 'Length of time per reconciliation per controller.',
      labelNames: ['controller'],
      buckets: durationBuckets,
      registers: r,
    });
    this.activeWorkers = new Gauge({
      name: 'controller_runtime_active_workers',
      help: 'Number of currently used workers per controller.',
      labelNames: ['controller'],
      registers: r,
    });
    this.queueDepth = new Gauge({ name: 'workqueue_depth', help: 'Current depth of workqueue.', labelNames: ['name'], registers: r });
    this.queueAdds = new Counter({
      name: 'workqueue_adds_total',
      help: 'Total number of adds handled by workqueue.',
      labelNames: ['name'],
      registers: r,
    });
    this.queueRetries = new Counter({
      name: 'workqueue_retries_total',
      help: 'Total number of retries handled by workqueue.',
      labelNames: ['name'],
      registers: r,
    });
    this.queueDuration = new Histogram({
      name: 'workqueue_queue_duration_seconds',
      help: 'How long in seconds an item stays in workqueue before being requested.',
      labelNames: ['name'],
      buckets: durationBuckets,
      registers: r,
    });
    this.leaderStatus = new Gauge({
      name: 'leader_election_master_status',
      help: 'Gauge of if the reporting system is master of the relevant lease, 0 indicates backup, 1 indicates master.',
      labelNames: ['name'],
      registers: r,
    });
    this.requests = new Counter({
      name: 'rest_client_requests_total',
      help: 'Number of HTTP requests to the Kubernetes API, partitioned by verb, status code (0: no answer) and resource (group/resource[/subresource]).',
      labelNames: ['verb', 'code', 'resource'],
      registers: r,
    });
    this.requestLatency = new Histogram({
      name: 'rest_client_request_duration_seconds',
      help: 'Request latency in seconds, by verb.',
      labelNames: ['verb'],
      buckets: durationBuckets,
      registers: r,
    });
  }

  queue(name: string): QueueMetrics {
    return {
      depth: (n) => this.queueDepth.set({ name }, n),
      added: () => this.queueAdds.inc({ name }),
      retried: () => this.queueRetries.inc({ name }),
      waited: (s) => this.queueDuration.observe({ name }, s),
    };
  }

  requestObserver(): RequestObserver {
    return (verb, code, seconds, resource) => {
      this.requests.inc({ verb, code: String(code), resource });
      this.requestLatency.observe({ verb }, seconds);
    };
  }
}
