// App reconcile: resolve dependencies, Volumes and Networks (waiting for
// them), allocate the App's addresses on its Networks, write the Deployment
// and Service, and report the rollout.
import { stuck, Stuck, waiting, Waiting } from '../shared/problems.js';
import { Apps, Networks, VirtualMachines, Volumes } from '../../pkg/api/resources.js';
import type { App, Network, VirtualMachine, Volume } from '../../pkg/api/types.generated.js';
import type { Deployment, Pod } from '../../pkg/kube/core-types.js';
import { Deployments, Pods, ReplicaSets, Services } from '../../pkg/kube/resources.js';
import type { Cache } from '../../pkg/runtime/cache/cache.js';
import type { Client } from '../../pkg/runtime/client/client.js';
import { SettlingStatusWriter } from '../../pkg/runtime/client/status-writer.js';
import { findCondition } from '../../pkg/runtime/conditions/conditions.js';
import type { Reconciler, Request, Result } from '../../pkg/runtime/controller/types.js';
import type { EventRecorder } from '../../pkg/runtime/events/recorder.js';
import { isControlledBy, keyOf, type KubeObject } from '../../pkg/meta/object.js';
import type { IpAllocator } from '../ipam/allocator.js';
import { AddressPools } from '../ipam/pools.js';
import {applyChild, ChildConflictError } from '../shared/children.js';
import { childLabels } from '../shared/labels.js';
import { resolveDependencies, resolveNetworks, resolveVolumes, waitingFor, type Referenced } from './dependencies.js';
import { containerName, desiredDeployment, desiredService, serviceName, type ResolvedReferences } from './desired.js';
import { appPodIndex } from './indexes.js';
import { appStatus, type AppObservation } from './status.js';

const revisionAnnotation = 'deployment.kubernetes.io/revision';

/** Each Network the App attaches to, with how many interfaces each instance has on it. */
function interfacesPerNetwork(app: App): Map<string, number> {
  const counts = new Map<string, number>();
  for (const n of app.spec.networks ?? []) counts.set(n.network, (counts.get(n.network) ?? 0) + 1);
  return counts;
}

export class AppReconciler implements Reconciler {
  private readonly statuses: SettlingStatusWriter;
  private readonly pools: AddressPools;

  constructor(
    private readonly client: Client,
    private readonly cache: Cache,
    allocator: IpAllocator,
    private readonly events: EventRecorder,
    private readonly now: () => number = Date.now,
  ) {
    this.pools = new AddressPools(client, cache, allocator);
    this.statuses = new SettlingStatusWriter(client);
  }

  async reconcile(req: Request): Promise<Result | void> {
    const app = this.cache.get<App>(Apps, req.namespace, req.name);
    // The Deployment and Service go with the App through their owner
    // references; the Volumes it mounts are not its children and stay.
    if (!app || app.metadata.deletionTimestamp) return;
    const refs = this.referenced(app.metadata.namespace!);
    const deps = resolveDependencies(app, refs);
    const volumes = resolveVolumes(app, refs);
    const networks = resolveNetworks(app, refs);
    const o: AppObservation = { pods: [], dependencies: deps.statuses, problems: [], now: this.now() };
    const problems = [...deps.problems, ...volumes.problems];
    if (problems.length) o.problems.push({ ...problems[0]!, message: problems.map((p) => p.message).join('; ') });
    const waitsFor = waitingFor(deps, volumes, networks);
    if (waitsFor) o.problems.push(waitsFor);

    let deployment = this.owned<Deployment>(Deployments, app, app.metadata.name!);
    // Before its first start an App waits for everything it depends on and
    // makes no pods. Once started it keeps running when a dependency becomes
    // unready later (a database VM restarting, a Volume resizing): stopping
    // healthy instances would turn a dependency's hiccup into an outage of
    // every App above it, and they reconnect by themselves. Spec changes
    // still apply; an address that cannot be resolved meanwhile keeps the
    // value the instances run with.
    if (!problems.length && (!waitsFor || deployment)) {
      const pools = await this.pools.ensure({
        object: app,
        kind: 'app',
        labels: childLabels('app', app.metadata.name!),
        networks: interfacesPerNetwork(app),
        instances: app.spec.replicas ?? 1,
        pods: this.cache.byIndex<Pod>(Pods, appPodIndex, keyOf(app)),
      });
      if (pools.statuses.length) o.networks = pools.statuses;
      if (pools.shortage) o.problems.push(stuck(Stuck.AddressesExhausted, pools.shortage));
      if (pools.waiting.length && !waitsFor) o.problems.push(waiting(Waiting.Network, `waiting: ${pools.waiting.join('; ')}`));
      const resolved = this.completeReferences(app, deployment, deps.env, deps.unresolved, volumes.claims, pools.nads);
      if (resolved) {
        try {
          deployment = await this.applyChildren(app, resolved, o);
        } catch (err) {
          if (!(err instanceof ChildConflictError)) throw err;
          o.problems.push(stuck(Stuck.ChildConflict, err.message));
        }
      }
    }
    o.deployment = deployment;
    o.pods = deployment ? this.currentPods(app, deployment) : [];
    if (!o.serviceName && desiredService(app) && this.owned(Services, app, serviceName(app))) o.serviceName = serviceName(app);

    const before = findCondition(app.status?.conditions, 'Stalled')?.reason;
    const status = appStatus(app, o);
    const written = await this.statuses.write(Apps, app, status);
    const stalled = findCondition(status.conditions, 'Stalled');
    if (written.written && stalled && stalled.reason !== before) this.events.event(app, 'Warning', stalled.reason, stalled.message);
    return written;
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

  /**
   * Everything the Deployment needs, or undefined when something is not known
   * yet. Dependency values not resolvable now come from the running
   * Deployment, if it has them.
   */
  private completeReferences(
    app: App,
    deployment: Deployment | undefined,
    env: Map<string, string>,
    unresolved: string[],
    claims: Map<string, string>,
    nads: Map<string, string>,
  ): ResolvedReferences | undefined {
    if ((app.spec.volumes ?? []).some((v) => !claims.has(v.name))) return undefined;
    if ((app.spec.networks ?? []).some((n) => !nads.has(n.network))) return undefined;
    const dependencyEnv = new Map(env);
    if (unresolved.length) {
      const running = (deployment?.spec.template.spec.containers.find((c) => c.name === containerName)?.env ?? []) as { name: string; value?: string }[];
      for (const name of unresolved) {
        const value = running.find((e) => e.name === name)?.value;
        if (value === undefined) return undefined;
        dependencyEnv.set(name, value);
      }
    }
    return { dependencyEnv, claims, nads };
  }

  /** The Deployment and the Service (or its removal), side by side. */
  private async applyChildren(app: App, refs: ResolvedReferences, o: AppObservation): Promise<Deployment> {
    const service = desiredService(app);
    const [{ object }] = await Promise.all([
      applyChild<Deployment>(this.client, this.cache, Deployments, app, desiredDeployment(app, refs)),
      service ? applyChild(this.client, this.cache, Services, app, service) : this.deleteOwned(app, Services, serviceName(app)),
    ]);
    if (service) o.serviceName = serviceName(app);
    return object;
  }

  private owned<T extends KubeObject>(type: typeof Services, app: App, name: string): T | undefined {
    const existing = this.cache.get<T>(type, app.metadata.namespace, name);
    return existing && isControlledBy(existing, app.metadata.uid) ? existing : undefined;
  }

  private async deleteOwned(app: App, type: typeof Services, name: string): Promise<void> {
    const existing = this.owned(type, app, name);
    if (existing) await this.client.deleteExact(type, existing);
  }

  /** The pods of the Deployment's current ReplicaSet (by its pod-template-hash) that are not terminating. */
  private currentPods(app: App, deployment: Deployment): Pod[] {
    const revision = deployment.metadata.annotations?.[revisionAnnotation];
    if (!revision || !deployment.metadata.uid) return [];
    const current = this.cache
      .ownedBy(ReplicaSets, deployment.metadata.uid)
      .find((rs) => isControlledBy(rs, deployment.metadata.uid) && rs.metadata.annotations?.[revisionAnnotation] === revision);
    const hash = current?.metadata.labels?.['pod-template-hash'];
    if (!hash) return [];
    return this.cache
      .byIndex<Pod>(Pods, appPodIndex, keyOf(app))
      .filter((p) => p.metadata.labels?.['pod-template-hash'] === hash && !p.metadata.deletionTimestamp);
  }
}
