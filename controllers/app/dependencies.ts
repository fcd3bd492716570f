// What an App refers to, resolved from cached objects: its dependencies
// (readiness and addresses), the claims of its Volumes and the attachment
// definitions of its Networks. Pure: the reconciler passes the lookups.
import type { App, DependencyStatus, EnvVar, Network, VirtualMachine, Volume } from '../../pkg/api/types.generated.js';
import { findCondition } from '../../pkg/runtime/conditions/conditions.js';
import type { Condition, KubeObject } from '../../pkg/meta/object.js';
import { stuck, Stuck, waiting, Waiting, type Problem } from '../shared/problems.js';
import { exposesService, serviceName } from './desired.js';

export type DependencyKind = 'VirtualMachine' | 'Volume' | 'App';

/** The objects of the App's namespace, by name (undefined: does not exist). */
export interface Referenced {
  virtualMachine(name: string): VirtualMachine | undefined;
  volume(name: string): Volume | undefined;
  app(name: string): App | undefined;
  network(name: string): Network | undefined;
}

/** A dependency as the App sees it. */
export interface DependencyView {
  kind: DependencyKind;
  name: string;
  ready: boolean;
  /** For messages: its phase or Ready reason, or "does not exist". */
  state: string;
  /** DNS name or IP, once known. */
  host?: string;
  port?: number;
  /** Why it can never have an address (a Volume), if so. */
  noAddress?: string;
}

type WithStatus = KubeObject & { status?: { conditions?: Condition[]; phase?: string } };

/** Ready, and said about the object's current generation (kstatus "Current"). */
export function isReady(obj: WithStatus | undefined): boolean {
  const ready = findCondition(obj?.status?.conditions, 'Ready');
  if (ready?.status !== 'True') return false;
  const generation = obj?.metadata.generation;
  return ready.observedGeneration === undefined || generation === undefined || ready.observedGeneration >= generation;
}

function stateOf(obj: WithStatus | undefined): string {
  if (!obj) return 'does not exist';
  if (findCondition(obj.status?.conditions, 'Ready')?.status === 'True' && !isReady(obj)) return `its generation ${obj.metadata.generation} not reconciled yet`;
  return obj.status?.phase ?? findCondition(obj.status?.conditions, 'Ready')?.reason ?? 'not ready';
}

export function viewOf(kind: DependencyKind, name: string, namespace: string, refs: Referenced): DependencyView {
  const base = { kind, name };
  switch (kind) {
    case 'VirtualMachine': {
      const vm = refs.virtualMachine(name);
      const port = vm?.spec.ports?.[0]?.port;
      // With ports the VM is reached through its Service; without, at its first address.
      const host = !vm ? undefined : vm.spec.ports?.length ? (vm.status?.serviceName ? `${vm.status.serviceName}.${namespace}.svc` : undefined) : vm.status?.ipAddresses?.[0];
      return { ...base, ready: isReady(vm), state: stateOf(vm), ...(host ? { host } : {}), ...(port ? { port } : {}) };
    }
    case 'App': {
      const app = refs.app(name);
      if (!app) return { ...base, ready: false, state: stateOf(app) };
      if (!exposesService(app)) return { ...base, ready: isReady(app), state: stateOf(app), noAddress: `App ${name} exposes no ports (spec.ports empty or spec.expose.type None)` };
      return { ...base, ready: isReady(app), state: stateOf(app), host: `${serviceName(app)}.${namespace}.svc`, port: app.spec.ports![0]!.port };
    }
    case 'Volume': {
      const volume = refs.volume(name);
      return { ...base, ready: isReady(volume), state: stateOf(volume), noAddress: 'a Volume has no address' };
    }
  }
}

/** host:port, or the host alone when there is no port. */
export function addressOf(view: DependencyView): string | undefined {
  if (!view.host) return undefined;
  return view.port ? `${view.host}:${view.port}` : view.host;
}

/** An env[].dependency value, or why it cannot have one (`problem`), or nothing yet. */
export function propertyOf(view: DependencyView, property: NonNullable<EnvVar['dependency']>['property'] | undefined): { value?: string; problem?: string } {
  if (view.noAddress) return { problem: view.noAddress };
  if (property === 'port' && view.host && !view.port) return { problem: `${view.kind} ${view.name} has no ports` };
  if (!view.host) return {};
  switch (property ?? 'address') {
    case 'host':
      return { value: view.host };
    case 'port':
      return { value: String(view.port) };
    case 'url':
      return { value: view.port ? `http://${view.host}:${view.port}` : `http://${view.host}` };
    case 'address':
      return { value: addressOf(view)! };
  }
}

export interface ResolvedDependencies {
  /** status.dependencies, in spec order. */
  statuses: DependencyStatus[];
  /** What the App waits for: "VirtualMachine db (Starting)". */
  waiting: string[];
  problems: Problem[];
  /** env[].name → the dependency's value, for those resolved. */
  env: Map<string, string>;
  /** env[].name of those whose dependency has no address yet. */
  unresolved: string[];
}

export function resolveDependencies(app: App, refs: Referenced): ResolvedDependencies {
  const ns = app.metadata.namespace!;
  const out: ResolvedDependencies = { statuses: [], waiting: [], problems: [], env: new Map(), unresolved: [] };
  const views = new Map<string, DependencyView>();
  const view = (kind: DependencyKind, name: string): DependencyView => {
    const key = `${kind}/${name}`;
    if (!views.has(key)) views.set(key, viewOf(kind, name, ns, refs));
    return views.get(key)!;
  };
  for (const d of app.spec.dependsOn ?? []) {
    if (d.kind === 'App' && d.name === app.metadata.name) {
      out.problems.push(stuck(Stuck.InvalidDependency, `spec.dependsOn[App ${d.name}]: an App cannot depend on itself`));
      continue;
    }
    const v = view(d.kind, d.name);
    const address = addressOf(v);
    out.statuses.push({ kind: d.kind, name: d.name, ready: v.ready, ...(address ? { address } : {}) });
    if (!v.ready) out.waiting.push(`${d.kind} ${d.name} (${v.state})`);
  }
  for (const e of app.spec.env ?? []) {
    if (!e.dependency) continue;
    const v = view(e.dependency.kind, e.dependency.name);
    const { value, problem } = propertyOf(v, e.dependency.property);
    if (problem) out.problems.push(stuck(Stuck.InvalidDependency, `spec.env[${e.name}]: ${problem}`));
    else if (value !== undefined) out.env.set(e.name, value);
    else {
      out.unresolved.push(e.name);
      const what = `${v.kind} ${v.name} to have an address (${v.state})`;
      if (v.ready && !out.waiting.includes(what)) out.waiting.push(what);
    }
  }
  return out;
}

export interface ResolvedVolumes {
  /** Volume → its claim, for every Volume that exists (ready or not). */
  claims: Map<string, string>;
  waiting: string[];
  problems: Problem[];
}

const singleNode = new Set(['ReadWriteOnce', 'ReadWriteOncePod']);

export function resolveVolumes(app: App, refs: Referenced): ResolvedVolumes {
  const out: ResolvedVolumes = { claims: new Map(), waiting: [], problems: [] };
  const replicas = app.spec.replicas ?? 1;
  for (const mount of app.spec.volumes ?? []) {
    const volume = refs.volume(mount.name);
    if (!volume) {
      out.waiting.push(`Volume ${mount.name} (does not exist)`);
      continue;
    }
    if (singleNode.has(volume.spec.accessMode) && replicas > 1) {
      out.problems.push(
        stuck(
          Stuck.VolumeAccessMode,
          `spec.volumes[${mount.name}]: Volume ${mount.name} is ${volume.spec.accessMode} and cannot be mounted by ${replicas} replicas (spec.replicas); use a ReadWriteMany Volume or at most 1 replica`,
        ),
      );
    }
    out.claims.set(mount.name, volume.status?.claimName ?? mount.name);
    if (!isReady(volume)) out.waiting.push(`Volume ${mount.name} (${stateOf(volume)})`);
  }
  return out;
}

export interface ResolvedNetworks {
  waiting: string[];
}

/** The Networks the App waits for: each must exist, be Ready and have its attachment definition. */
export function resolveNetworks(app: App, refs: Referenced): ResolvedNetworks {
  const out: ResolvedNetworks = { waiting: [] };
  for (const name of new Set((app.spec.networks ?? []).map((n) => n.network))) {
    const network = refs.network(name);
    const nad = network?.status?.networkAttachmentDefinition;
    if (!nad || !isReady(network)) out.waiting.push(`Network ${name} (${network && !nad ? 'no NetworkAttachmentDefinition yet' : stateOf(network)})`);
  }
  return out;
}

/** The first thing the App waits for decides the reason; the message lists everything. */
export function waitingFor(deps: ResolvedDependencies, volumes: ResolvedVolumes, networks: ResolvedNetworks): Problem | undefined {
  const reason = deps.waiting.length ? Waiting.Dependency : volumes.waiting.length ? Waiting.Volume : networks.waiting.length ? Waiting.Network : undefined;
  if (!reason) return undefined;
  return waiting(reason, `waiting for ${[...deps.waiting, ...volumes.waiting, ...networks.waiting].join('; ')}`);
}
