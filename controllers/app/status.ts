// An App's status from what is observed: its Deployment's rollout, the pods
// of the current revision, its dependencies and anything that blocks it.
// Ready means the current spec is fully rolled out and available.
import type { App, AppStatus, DependencyStatus, NetworkPoolStatus } from '../../pkg/api/types.generated.js';
import type { Deployment, Pod } from '../../pkg/kube/core-types.js';
import { summarize, type Summary } from '../../pkg/runtime/conditions/conditions.js';
import { formatSelector } from '../../pkg/meta/labels.js';
import { Stuck, type Problem } from '../shared/problems.js';
import { appSelector } from './desired.js';

/** Container waiting reasons that need a human (a new image or spec): they make the App Stalled. */
export const failingReasons = new Set(['ErrImagePull', 'ImagePullBackOff', 'CrashLoopBackOff', 'CreateContainerConfigError', 'InvalidImageName', 'CreateContainerError']);

export interface AppObservation {
  /** The Deployment the App controls, as last written or cached. */
  deployment?: Deployment;
  /** The pods of the Deployment's current revision that are not terminating. */
  pods: Pod[];
  /** Set when the App's Service exists. */
  serviceName?: string;
  dependencies: DependencyStatus[];
  /** What the App waits for (dependencies, Volumes, Networks) or what blocks it until something changes. */
  problems: Problem[];
  /** The address pools on its Networks. */
  networks?: NetworkPoolStatus[];
  now: number;
}

/** The first container of the pods stuck in a failing state, with its pod. */
export function failingContainer(pods: Pod[]): { pod: string; reason: string; message: string } | undefined {
  for (const pod of pods) {
    for (const c of [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])]) {
      const waiting = c.state?.waiting;
      if (waiting?.reason && failingReasons.has(waiting.reason)) {
        return { pod: pod.metadata.name!, reason: waiting.reason, message: waiting.message || waiting.reason };
      }
    }
  }
  return undefined;
}

function counts(d: Deployment | undefined) {
  const s = d?.status ?? {};
  return { replicas: s.replicas ?? 0, ready: s.readyReplicas ?? 0, updated: s.updatedReplicas ?? 0, available: s.availableReplicas ?? 0 };
}

function assess(app: App, o: AppObservation): Summary {
  // A shortage of addresses leaves the instances that have one running: it comes after the rest.
  const blocked = o.problems.find((p) => p.stuck && p.reason !== Stuck.AddressesExhausted);
  if (blocked) return { state: 'stalled', reason: blocked.reason, message: blocked.message };
  const d = o.deployment;
  const n = counts(d);
  const waiting = o.problems.find((p) => !p.stuck);
  if (waiting) {
    // Running instances are kept while a dependency is away (see reconcile.ts); say so.
    const kept = d ? `; the Deployment is kept (${n.available} available)` : '';
    return { state: 'progressing', reason: waiting.reason, message: `${waiting.message}${kept}` };
  }
  const shortage = o.problems.find((p) => p.reason === Stuck.AddressesExhausted);
  if (shortage) return { state: 'stalled', reason: shortage.reason, message: shortage.message };
  if (!d) return { state: 'progressing', reason: 'Creating', message: 'creating the Deployment' };
  const want = app.spec.replicas ?? 1;
  // Status and conditions speak about the current template only once the Deployment controller has seen it.
  const observed = (d.status?.observedGeneration ?? 0) >= (d.metadata.generation ?? 1) && (d.spec.replicas ?? 1) === want;
  if (observed && n.updated === want && n.available === want && n.replicas === want) {
    return want === 0
      ? { state: 'ready', reason: 'ScaledToZero', message: 'scaled to zero, as requested' }
      : { state: 'ready', reason: 'Available', message: `${want}/${want} instances available` };
  }
  // A Deployment the Deployment controller has never seen counts zeros either
  // way: saying so in the counts' words spares a status write once it has.
  const fresh = d.status?.observedGeneration === undefined;
  if (!observed && !fresh) return { state: 'progressing', reason: 'RollingOut', message: `waiting for the Deployment controller to see generation ${d.metadata.generation}` };
  if (!observed) return { state: 'progressing', reason: 'RollingOut', message: rolloutMessage(n, want) };
  const progressing = d.status?.conditions?.find((c) => c.type === 'Progressing');
  if (progressing?.status === 'False' && progressing.reason === 'ProgressDeadlineExceeded') {
    return { state: 'stalled', reason: 'ProgressDeadlineExceeded', message: progressing.message || 'the rollout made no progress before its deadline' };
  }
  const failing = failingContainer(o.pods);
  if (failing) return { state: 'stalled', reason: failing.reason, message: `pod ${failing.pod}: ${failing.message}` };
  return { state: 'progressing', reason: 'RollingOut', message: rolloutMessage(n, want) };
}

function rolloutMessage(n: ReturnType<typeof counts>, want: number): string {
  if (n.updated > want) return `scaling down to ${want} (${n.replicas} still running)`;
  const old = n.replicas - n.updated;
  return `${n.updated}/${want} updated, ${n.available}/${want} available${old > 0 ? `, ${old} old still running` : ''}`;
}

export function appStatus(app: App, o: AppObservation): AppStatus {
  const n = counts(o.deployment);
  const status: AppStatus = {
    observedGeneration: app.metadata.generation,
    conditions: summarize(app.status?.conditions, assess(app, o), app.metadata.generation, o.now),
    replicas: n.replicas,
    readyReplicas: n.ready,
    updatedReplicas: n.updated,
    availableReplicas: n.available,
    selector: formatSelector({ matchLabels: appSelector(app) }),
  };
  const port = app.spec.ports?.[0]?.port;
  if (o.serviceName && port) {
    const host = `${o.serviceName}.${app.metadata.namespace}.svc`;
    status.address = `${host}:${port}`;
    status.url = `http://${host}:${port}`;
  }
  if (o.dependencies.length) status.dependencies = o.dependencies;
  if (o.networks?.length) status.networks = o.networks;
  return status;
}
