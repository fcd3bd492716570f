// An App's status from what is observed: its revisions' Deployments and
// pods, where traffic goes and where it is headed, its routes, its
// dependencies and anything that blocks it. Ready means the latest spec is
// fully rolled out: every revision that serves runs all its instances,
// ready, traffic is where spec.traffic says, and the Gateway accepted the
// routes.
import type { App, AppStatus, DependencyStatus, NetworkPoolStatus, RevisionStatus, RolloutStatus, TrafficStatus } from '../../pkg/api/types.generated.js';
import type { Deployment } from '../../pkg/kube/core-types.js';
import type { CachedPod } from '../shared/cached-pod.js';
import { summarize, type Summary } from '../../pkg/runtime/conditions/conditions.js';
import { formatSelector } from '../../pkg/meta/labels.js';
import { Stuck, Waiting, type Problem } from '../shared/problems.js';
import { appSelector } from './desired.js';
import { fullyAvailable, imageOf } from './revisions.js';
import { percents, sameTraffic, type Target } from './traffic.js';

/** Container waiting reasons that need a human (a new image or spec): they make the App Stalled. */
export const failingReasons = new Set(['ErrImagePull', 'ImagePullBackOff', 'CrashLoopBackOff', 'CreateContainerConfigError', 'InvalidImageName', 'CreateContainerError']);

export interface RevisionView {
  name: string;
  deployment: Deployment;
  /** Instances it is given now. */
  replicas: number;
  /** Its pods that are not terminating. */
  pods: CachedPod[];
  /** Whether it has been ready. */
  ready: boolean;
}

export interface AppObservation {
  /** The revisions, oldest first. */
  revisions: RevisionView[];
  /** The App's Deployment from before revisions: it serves until a revision takes over. */
  legacy?: Deployment;
  /** Where traffic goes now. */
  served: Target[];
  /** Where it is headed (spec.traffic, or a rollout's current step). */
  target: Target[];
  rollout?: RolloutStatus;
  /** Set when the App's Service exists. */
  serviceName?: string;
  route?: { gateway: string; urls: string[]; tagUrls: Map<string, string>; summary?: Summary };
  dependencies: DependencyStatus[];
  /** What the App waits for (dependencies, Volumes, Networks) or what blocks it until something changes. */
  problems: Problem[];
  /** The address pools on its Networks. */
  networks?: NetworkPoolStatus[];
  now: number;
}

/** The first container of the pods stuck in a failing state, with its pod. */
export function failingContainer(pods: CachedPod[]): { pod: string; reason: string; message: string } | undefined {
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

/** The first pod the scheduler could not place, with its reason ("0/3 nodes are available: …"). */
function unschedulablePod(pods: CachedPod[]): { pod: string; reason: string; message: string } | undefined {
  for (const pod of pods) {
    const c = pod.status?.conditions?.find((x) => x.type === 'PodScheduled');
    if (c?.status === 'False' && c.reason === 'Unschedulable') return { pod: pod.metadata.name!, reason: Stuck.Unschedulable, message: c.message || 'no node can run it' };
  }
  return undefined;
}

/** A pod that needs a human: a failing container, or one no node can run. */
export function podProblem(pods: CachedPod[]): { pod: string; reason: string; message: string } | undefined {
  return failingContainer(pods) ?? unschedulablePod(pods);
}

function counts(d: Deployment | undefined) {
  const s = d?.status ?? {};
  return { replicas: s.replicas ?? 0, ready: s.readyReplicas ?? 0, updated: s.updatedReplicas ?? 0, available: s.availableReplicas ?? 0 };
}

function describe(targets: Target[]): string {
  return [...percents(targets)].filter(([, p]) => p > 0).map(([r, p]) => `${r} ${p}%`).join(', ');
}

/** How far a revision is from running `want` instances, in the Deployment controller's counts. */
function revisionProgress(r: RevisionView): string {
  const d = r.deployment;
  const n = counts(d);
  // A Deployment the Deployment controller has never seen counts zeros either
  // way: saying so in the counts' words spares a status write once it has.
  const observed = (d.status?.observedGeneration ?? 0) >= (d.metadata.generation ?? 1) && (d.spec.replicas ?? 1) === r.replicas;
  if (!observed && d.status?.observedGeneration !== undefined) return `${r.name}: waiting for the Deployment controller to see generation ${d.metadata.generation}`;
  if (n.replicas > r.replicas) return `${r.name}: scaling down to ${r.replicas} (${n.replicas} still running)`;
  return `${r.name}: ${n.available}/${r.replicas} available`;
}

function assess(app: App, o: AppObservation): Summary {
  // A shortage of addresses leaves the instances that have one running: it comes after the rest.
  const blocked = o.problems.find((p) => p.stuck && p.reason !== Stuck.AddressesExhausted);
  if (blocked) return { state: 'stalled', reason: blocked.reason, message: blocked.message };
  const running = o.revisions.reduce((n, r) => n + counts(r.deployment).available, 0) + counts(o.legacy).available;
  const share = percents(o.served);
  const serving = o.revisions.filter((r) => (share.get(r.name) ?? 0) > 0).reduce((n, r) => n + counts(r.deployment).available, 0);
  const waiting = o.problems.find((p) => !p.stuck);
  if (waiting) {
    // Running instances are kept while a dependency is away (see reconcile.ts); say so.
    const kept = o.revisions.length || o.legacy ? `; the instances are kept (${running} available)` : '';
    return { state: 'progressing', reason: waiting.reason, message: `${waiting.message}${kept}` };
  }
  const shortage = o.problems.find((p) => p.reason === Stuck.AddressesExhausted);
  if (shortage) return { state: 'stalled', reason: shortage.reason, message: shortage.message };
  if (!o.revisions.length) return { state: 'progressing', reason: 'Creating', message: 'creating the first revision' };
  if (o.rollout?.rolledBack) return { state: 'stalled', reason: Stuck.RolledBack, message: o.rollout.rolledBack };
  for (const r of o.revisions.filter((x) => x.replicas > 0)) {
    const progressing = r.deployment.status?.conditions?.find((c) => c.type === 'Progressing');
    if (progressing?.status === 'False' && progressing.reason === 'ProgressDeadlineExceeded') {
      return { state: 'stalled', reason: 'ProgressDeadlineExceeded', message: progressing.message || `${r.name}: the rollout made no progress before its deadline` };
    }
    const problem = podProblem(r.pods);
    if (problem) return { state: 'stalled', reason: problem.reason, message: `pod ${problem.pod}: ${problem.message}` };
  }
  if (o.route?.summary?.state === 'stalled') return o.route.summary;

  const pending = o.revisions.filter((r) => (r.replicas > 0 ? !fullyAvailable(r.deployment, r.replicas) : counts(r.deployment).replicas > 0)).map(revisionProgress);
  if (o.legacy) pending.push(`the Deployment from before revisions serves until ${o.revisions.at(-1)!.name} takes over`);
  if (!sameTraffic(o.served, o.target)) pending.push(`traffic moves to ${describe(o.target)} once its instances are ready (now ${describe(o.served)})`);
  if (o.rollout) {
    const steps = app.spec.rollout?.steps.length ?? 0;
    const until = o.rollout.stepStartedAt ? `, since ${o.rollout.stepStartedAt}` : '';
    pending.push(`rollout of ${o.rollout.revision}: step ${Math.min(o.rollout.step + 1, steps)} of ${steps} (${describe(o.served)}${until})`);
  }
  if (pending.length) return { state: 'progressing', reason: 'RollingOut', message: pending.join('; ') };
  if (app.spec.route && !o.route) return { state: 'progressing', reason: Waiting.Route, message: `creating HTTPRoute ${app.metadata.name}` };
  if (o.route?.summary) return o.route.summary;

  const want = app.spec.replicas ?? 1;
  if (want === 0) return { state: 'ready', reason: 'ScaledToZero', message: 'scaled to zero, as requested' };
  const split = [...share.values()].filter((p) => p > 0).length > 1 ? `; traffic: ${describe(o.served)}` : '';
  // Every revision with a share runs an instance, which may take more than spec.replicas.
  const count = serving > want ? `${serving} instances available (spec.replicas ${want}, one at least for each revision with a share)` : `${serving}/${want} instances available`;
  return { state: 'ready', reason: 'Available', message: `${count}${split}` };
}

function revisionStatuses(o: AppObservation): RevisionStatus[] {
  const share = percents(o.served);
  return [...o.revisions].reverse().map((r) => {
    const image = imageOf(r.deployment);
    return {
      name: r.name,
      ...(image ? { image } : {}),
      created: r.deployment.metadata.creationTimestamp!,
      ready: r.ready,
      replicas: r.replicas,
      percent: share.get(r.name) ?? 0,
    };
  });
}

function trafficStatuses(o: AppObservation): TrafficStatus[] {
  return o.served.map((t) => {
    const url = t.tag ? o.route?.tagUrls.get(t.tag) : undefined;
    return { revision: t.revision, ...(t.latestRevision ? { latestRevision: true } : {}), percent: t.percent, ...(t.tag ? { tag: t.tag } : {}), ...(url ? { url } : {}) };
  });
}

export function appStatus(app: App, o: AppObservation): AppStatus {
  const all = [...o.revisions.map((r) => counts(r.deployment)), counts(o.legacy)];
  const sum = (k: keyof ReturnType<typeof counts>) => all.reduce((n, c) => n + c[k], 0);
  const latest = o.revisions.at(-1);
  const latestReady = [...o.revisions].reverse().find((r) => r.ready);
  const status: AppStatus = {
    observedGeneration: app.metadata.generation,
    conditions: summarize(app.status?.conditions, assess(app, o), app.metadata.generation, o.now),
    replicas: sum('replicas'),
    readyReplicas: sum('ready'),
    updatedReplicas: counts(latest?.deployment).replicas,
    availableReplicas: sum('available'),
    selector: formatSelector({ matchLabels: appSelector(app) }),
  };
  const port = app.spec.ports?.[0]?.port;
  if (o.serviceName && port) {
    const host = `${o.serviceName}.${app.metadata.namespace}.svc`;
    status.address = `${host}:${port}`;
    status.url = `http://${host}:${port}`;
  }
  if (o.route?.urls.length) {
    status.url = o.route.urls[0];
    status.route = { gateway: o.route.gateway, urls: o.route.urls };
  }
  if (latest) status.latestCreatedRevision = latest.name;
  if (latestReady) status.latestReadyRevision = latestReady.name;
  if (o.revisions.length) status.revisions = revisionStatuses(o);
  if (o.served.length) status.traffic = trafficStatuses(o);
  if (o.rollout) status.rollout = o.rollout;
  if (o.dependencies.length) status.dependencies = o.dependencies;
  if (o.networks?.length) status.networks = o.networks;
  return status;
}
