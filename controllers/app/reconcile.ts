// App reconcile: resolve dependencies, Volumes and Networks (waiting for
// them), make a new revision when what runs changed, decide where traffic
// goes and how many instances each revision runs, write the revisions'
// Deployments and Services, the App's Service and routes, collect old
// revisions, and report.
//
// What the App already reported (status.traffic, status.rollout) is the
// memory of where traffic went: a revision loses its instances only once
// the cached App says traffic left it, so a reconcile that reads a status
// older than its own last write never scales down what still serves.
import { stuck, Stuck, waiting, Waiting } from '../shared/problems.js';
import { Apps, Networks, VirtualMachines, Volumes } from '../../pkg/api/resources.js';
import { chosenGateway } from '../../pkg/api/settings.js';
import type { App, Network, VirtualMachine, Volume } from '../../pkg/api/types.generated.js';
import type { Deployment } from '../../pkg/kube/core-types.js';
import type { CachedPod } from '../shared/cached-pod.js';
import { Deployments, Pods, Services } from '../../pkg/kube/resources.js';
import type { Cache } from '../../pkg/runtime/cache/cache.js';
import type { Client } from '../../pkg/runtime/client/client.js';
import { SettlingStatusWriter } from '../../pkg/runtime/client/status-writer.js';
import { findCondition } from '../../pkg/runtime/conditions/conditions.js';
import type { Reconciler, Request, Result } from '../../pkg/runtime/controller/types.js';
import type { EventRecorder } from '../../pkg/runtime/events/recorder.js';
import { isControlledBy, keyOf, type KubeObject } from '../../pkg/meta/object.js';
import { deepEqual } from '../../pkg/util/equality.js';
import type { IpAllocator } from '../ipam/allocator.js';
import { poolNadName } from '../ipam/pool.js';
import { AddressPools } from '../ipam/pools.js';
import { applyChild, ChildConflictError } from '../shared/children.js';
import { childLabels, labelKeys } from '../shared/labels.js';
import type { SettingsSource } from '../shared/settings.js';
import { resolveDependencies, resolveNetworks, resolveVolumes, waitingFor, type Referenced } from './dependencies.js';
import { containerName, desiredPodTemplate, desiredRevisionDeployment, desiredRevisionService, desiredService, serviceName, templateHash, type PodTemplate, type ResolvedReferences } from './desired.js';
import { appPodIndex } from './indexes.js';
import { progress } from './rollout.js';
import { collect, everReady, fullyAvailable, nextRevisionNumber, revisionName, revisionNumber, revisionsOf, type Revision } from './revisions.js';
import { RouteChildren } from './route-children.js';
import { appStatus, podProblem, type AppObservation } from './status.js';
import { desiredTraffic, primaryRevision, replicaShares, servedTraffic, serving, wantedReplicas, type Target } from './traffic.js';

/** Each Network the App attaches to, with how many interfaces each instance has on it. */
function interfacesPerNetwork(app: App): Map<string, number> {
  const counts = new Map<string, number>();
  for (const n of app.spec.networks ?? []) counts.set(n.network, (counts.get(n.network) ?? 0) + 1);
  return counts;
}

/** Why a revision in a rollout counts as failing: a pod that needs a human, or a container that restarted. */
function failureOf(pods: CachedPod[]): string | undefined {
  const problem = podProblem(pods);
  if (problem) return `pod ${problem.pod}: ${problem.message}`;
  const restarted = pods.find((p) => (p.status?.containerStatuses ?? []).some((c) => c.restartCount > 0));
  return restarted ? `pod ${restarted.metadata.name}: a container restarted` : undefined;
}

export class AppReconciler implements Reconciler {
  private readonly statuses: SettlingStatusWriter;
  private readonly pools: AddressPools;
  private readonly routes: RouteChildren;

  constructor(
    private readonly client: Client,
    private readonly cache: Cache,
    allocator: IpAllocator,
    private readonly settings: SettingsSource,
    private readonly events: EventRecorder,
    private readonly now: () => number = Date.now,
  ) {
    this.pools = new AddressPools(client, cache, allocator);
    this.statuses = new SettlingStatusWriter(client);
    this.routes = new RouteChildren(client, cache);
  }

  async reconcile(req: Request): Promise<Result | void> {
    const app = this.cache.get<App>(Apps, req.namespace, req.name);
    // The children go with the App through their owner references; the
    // Volumes it mounts are not its children and stay.
    if (!app || app.metadata.deletionTimestamp) return;
    const now = this.now();
    const refs = this.referenced(app.metadata.namespace!);
    const deps = resolveDependencies(app, refs);
    const volumes = resolveVolumes(app, refs);
    const networks = resolveNetworks(app, refs);
    const o: AppObservation = { revisions: [], served: [], target: [], dependencies: deps.statuses, problems: [], now };
    const problems = [...deps.problems, ...volumes.problems];
    if (problems.length) o.problems.push({ ...problems[0]!, message: problems.map((p) => p.message).join('; ') });
    const waitsFor = waitingFor(deps, volumes, networks);
    if (waitsFor) o.problems.push(waitsFor);

    const owned = this.cache.ownedBy<Deployment>(Deployments, app.metadata.uid!).filter((d) => isControlledBy(d, app.metadata.uid));
    let revisions = revisionsOf(app, owned);
    o.legacy = owned.find((d) => d.metadata.name === app.metadata.name && !d.metadata.labels?.[labelKeys.revision]);
    // Before its first start an App waits for everything it depends on and
    // makes no pods. Once started it keeps running when a dependency becomes
    // unready later (a database VM restarting, a Volume resizing): stopping
    // healthy instances would turn a dependency's hiccup into an outage of
    // every App above it, and they reconnect by themselves. Spec changes
    // still make revisions; an address that cannot be resolved meanwhile
    // keeps the value the instances run with.
    const proceed = !problems.length && (!waitsFor || revisions.length > 0 || !!o.legacy);
    let template: PodTemplate | undefined;
    let pending: string | undefined;
    if (proceed) {
      const resolved = this.completeReferences(app, revisions.at(-1)?.deployment ?? o.legacy, deps.env, deps.unresolved, volumes.claims);
      if (resolved) {
        template = desiredPodTemplate(app, resolved);
        ({ revisions, pending } = await this.newRevision(app, revisions, templateHash(template)));
      }
    }

    // Where traffic goes, and how many instances each revision runs for it.
    const names = [...revisions.map((r) => r.name), ...(pending ? [pending] : [])];
    const byName = new Map(revisions.map((r) => [r.name, r]));
    const total = app.spec.replicas ?? 1;
    const podsOf = this.revisionPods(app);
    const served0 = servedTraffic(app, (r) => names.includes(r));
    let desired = names.length ? desiredTraffic(app, names.at(-1)!) : [];
    const missing = desired.filter((t) => !names.includes(t.revision)).map((t) => t.revision);
    if (missing.length) {
      o.problems.push(stuck(Stuck.RevisionNotFound, `spec.traffic: no revision ${missing.join(', ')} (revisions: ${names.join(', ')})`));
      desired = served0;
    }
    const available = (revision: string, target: Target[]): boolean => {
      const d = byName.get(revision)?.deployment;
      const replicas = d?.spec.replicas ?? 0;
      return !!d && replicas >= (replicaShares(total, target).get(revision) ?? 0) && fullyAvailable(d, replicas);
    };
    const next = progress(app, desired, served0, available, (r) => failureOf(podsOf(r)), now);
    const wanted = wantedReplicas(total, served0, next.served, next.target);
    o.served = next.served;
    o.target = next.target;
    if (next.rollout) o.rollout = next.rollout;

    if (proceed) {
      const pools = await this.pools.ensure({
        object: app,
        kind: 'app',
        labels: childLabels('app', app.metadata.name!),
        networks: interfacesPerNetwork(app),
        instances: [...wanted.values()].reduce((a, b) => a + b, 0) + (o.legacy?.spec.replicas ?? 0),
        pods: this.cache.byIndex<CachedPod>(Pods, appPodIndex, keyOf(app)),
      });
      if (pools.statuses.length) o.networks = pools.statuses;
      if (pools.shortage) o.problems.push(stuck(Stuck.AddressesExhausted, pools.shortage));
      if (pools.waiting.length && !waitsFor) o.problems.push(waiting(Waiting.Network, `waiting: ${pools.waiting.join('; ')}`));
      const attached = interfacesPerNetwork(app);
      try {
        if (pending && template && [...attached.keys()].every((n) => pools.nads.has(n))) {
          const { object } = await applyChild<Deployment>(this.client, this.cache, Deployments, app, desiredRevisionDeployment(app, pending, template, wanted.get(pending) ?? 0));
          revisions = [...revisions, { name: pending, number: revisionNumber(app, pending)!, deployment: object, hash: templateHash(template) }];
          byName.set(pending, revisions.at(-1)!);
        }
        await this.scale(revisions, wanted);
        await this.applyServices(app, revisions, o, [served0, next.served, next.target]);
      } catch (err) {
        if (!(err instanceof ChildConflictError)) throw err;
        o.problems.push(stuck(Stuck.ChildConflict, err.message));
      }
    }
    await this.applyRoutes(app, revisions, o);

    const kept = new Set([...[served0, next.served, next.target, desired].flatMap((t) => [...serving(t), ...t.map((x) => x.revision)]), ...names.slice(-1)]);
    if (next.rollout) kept.add(next.rollout.from);
    const history = app.spec.revisionHistory;
    const collection = collect(revisions, kept, history?.limit ?? 10, history?.maxAgeSeconds, now);
    for (const r of collection.remove) {
      await this.client.deleteExact(Deployments, r.deployment);
      await this.deleteService(app, r.name);
    }
    revisions = revisions.filter((r) => !collection.remove.includes(r));
    if (o.legacy && this.tookOver(o, revisions, wanted)) {
      await this.client.deleteExact(Deployments, o.legacy);
      delete o.legacy;
    }
    if (!o.serviceName && desiredService(app, undefined) && this.ownedService(app, serviceName(app))) o.serviceName = serviceName(app);
    o.revisions = revisions.map((r) => {
      const replicas = wanted.get(r.name) ?? 0;
      return { name: r.name, deployment: r.deployment, replicas, pods: podsOf(r.name), ready: everReady(app, r, replicas) };
    });

    const before = findCondition(app.status?.conditions, 'Stalled')?.reason;
    const status = appStatus(app, o);
    // Where traffic went and the rollout's step are what the next reconcile decides from.
    const remembered = !deepEqual(app.status?.traffic, status.traffic) || !deepEqual(app.status?.rollout, status.rollout);
    const written = await this.statuses.write(Apps, app, status, remembered);
    const stalled = findCondition(status.conditions, 'Stalled');
    if (written.written && stalled && stalled.reason !== before) this.events.event(app, 'Warning', stalled.reason, stalled.message);
    const waits = [written.requeueAfterMs, next.requeueAfterMs, collection.nextExpiryMs !== undefined ? collection.nextExpiryMs - now : undefined].filter((ms): ms is number => ms !== undefined);
    return waits.length ? { requeueAfterMs: Math.max(1000, Math.min(...waits)), heldWrite: written.heldWrite } : undefined;
  }

  /** Lookups of the App's namespace in the cache. */
  private referenced(ns: string): Referenced {
    return {
      virtualMachine: (name) => this.cache.get<VirtualMachine>(VirtualMachines, ns, name),
      volume: (name) => this.cache.get<Volume>(Volumes, ns, name),
      app: (name) => this.cache.get<App>(Apps, ns, name),
      network: (name) => this.cache.get<Network>(Networks, ns, name),
    };
  }

  /** The pods of each revision that are not terminating. */
  private revisionPods(app: App): (revision: string) => CachedPod[] {
    const pods = this.cache.byIndex<CachedPod>(Pods, appPodIndex, keyOf(app)).filter((p) => !p.metadata.deletionTimestamp);
    return (revision) => pods.filter((p) => p.metadata.labels?.[labelKeys.revision] === revision);
  }

  /**
   * Everything the pod template needs, or undefined when something is not
   * known yet. Dependency values not resolvable now come from the latest
   * revision, if it has them. The attachment definitions are the App's
   * pools' (see ipam/pools.ts), named before they exist.
   */
  private completeReferences(app: App, running: Deployment | undefined, env: Map<string, string>, unresolved: string[], claims: Map<string, string>): ResolvedReferences | undefined {
    if ((app.spec.volumes ?? []).some((v) => !claims.has(v.name))) return undefined;
    const nads = new Map((app.spec.networks ?? []).map((n) => [n.network, poolNadName('app', app.metadata.name!, n.network)]));
    const dependencyEnv = new Map(env);
    if (unresolved.length) {
      const values = (running?.spec.template.spec.containers.find((c) => c.name === containerName)?.env ?? []) as { name: string; value?: string }[];
      for (const name of unresolved) {
        const value = values.find((e) => e.name === name)?.value;
        if (value === undefined) return undefined;
        dependencyEnv.set(name, value);
      }
    }
    return { dependencyEnv, claims, nads };
  }

  /**
   * The revision to make for a template of `hash`, unless the latest is of
   * it. Its name is checked against the API, not the cache: a revision this
   * controller made a moment ago may not be cached yet, and is taken as it
   * is rather than written again.
   */
  private async newRevision(app: App, revisions: Revision[], hash: string): Promise<{ revisions: Revision[]; pending?: string }> {
    if (revisions.at(-1)?.hash === hash) return { revisions };
    for (let number = nextRevisionNumber(app, revisions); ; number++) {
      const name = revisionName(app, number);
      const found = await this.client.tryGet<Deployment>(Deployments, app.metadata.namespace, name);
      if (!found) return { revisions, pending: name };
      if (!isControlledBy(found, app.metadata.uid)) throw new ChildConflictError({ kind: 'Deployment', name }, { kind: 'App', name: app.metadata.name! });
      revisions = [...revisions, ...revisionsOf(app, [found])];
      if (revisions.at(-1)?.hash === hash) return { revisions };
    }
  }

  /** Gives each revision its instances, through its Deployment's scale subresource (its template never changes). */
  private async scale(revisions: Revision[], wanted: Map<string, number>): Promise<void> {
    for (const r of revisions) {
      const n = wanted.get(r.name) ?? 0;
      if (r.deployment.metadata.deletionTimestamp || (r.deployment.spec.replicas ?? 1) === n) continue;
      await this.client.patchScale(Deployments, r.deployment.metadata.namespace, r.name, n);
    }
  }

  /** The App's Service (to the primary revision) and, with a route, the Service of each revision that serves or is about to. */
  private async applyServices(app: App, revisions: Revision[], o: AppObservation, splits: Target[][]): Promise<void> {
    const service = desiredService(app, o.legacy ? undefined : (primaryRevision(o.served) ?? revisions.at(-1)?.name));
    if (service) {
      await applyChild(this.client, this.cache, Services, app, service);
      o.serviceName = serviceName(app);
    } else await this.deleteService(app, serviceName(app));
    const routed = app.spec.route ? new Set(splits.flatMap((s) => [...serving(s)])) : new Set<string>();
    for (const r of revisions) {
      if (routed.has(r.name)) await applyChild(this.client, this.cache, Services, app, desiredRevisionService(app, r.deployment));
      else await this.deleteService(app, r.name);
    }
  }

  /** The routes, once a revision serves; none without spec.route. */
  private async applyRoutes(app: App, revisions: Revision[], o: AppObservation): Promise<void> {
    const choice = app.spec.route?.gateway;
    const gateway = app.spec.route ? chosenGateway(this.settings.current, choice) : undefined;
    if (app.spec.route && !gateway) {
      const offered = this.settings.current.gateways.map((g) => g.choice).join(', ');
      o.problems.push(stuck(Stuck.GatewayNotOffered, `spec.route.gateway: "${choice ?? this.settings.current.defaultGateway}" is not among the Gateways this cluster offers (${offered}; settings key routes.gateways)`));
    }
    const routable = o.served.length > 0 && [...serving(o.served)].every((r) => revisions.some((x) => x.name === r));
    if (gateway && routable) o.route = await this.routes.apply(app, gateway, o.served);
    else if (!app.spec.route) await this.routes.removeAll(app);
  }

  /** Whether the revisions took over from the Deployment from before revisions: every one serving runs all its instances. */
  private tookOver(o: AppObservation, revisions: Revision[], wanted: Map<string, number>): boolean {
    const needed = [...serving(o.served)];
    return needed.length > 0 && needed.every((name) => {
      const r = revisions.find((x) => x.name === name);
      return !!r && fullyAvailable(r.deployment, wanted.get(name) ?? 0);
    });
  }

  private ownedService(app: App, name: string): KubeObject | undefined {
    const existing = this.cache.get<KubeObject>(Services, app.metadata.namespace, name);
    return existing && isControlledBy(existing, app.metadata.uid) ? existing : undefined;
  }

  private async deleteService(app: App, name: string): Promise<void> {
    const existing = this.ownedService(app, name);
    if (existing) await this.client.deleteExact(Services, existing);
  }
}
