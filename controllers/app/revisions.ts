// An App's revisions: immutable snapshots of what it runs, each a
// Deployment named <app>-00001, <app>-00002, … made when the pod template
// changes (image, command, env, resources, probes, volumes, networks, ports,
// labels). Pure functions: naming, reading them back, readiness, and which
// old ones garbage collection takes.
import type { App, RevisionStatus } from '../../pkg/api/types.generated.js';
import type { Deployment } from '../../pkg/kube/core-types.js';
import { labelKeys } from '../shared/labels.js';
import { containerName, templateHashAnnotation } from './desired.js';

export interface Revision {
  name: string;
  number: number;
  deployment: Deployment;
  /** The hash of the pod template it was made from. */
  hash?: string;
}

export function revisionName(app: App, number: number): string {
  return `${app.metadata.name}-${String(number).padStart(5, '0')}`;
}

/** The number of a revision of `app` by its name, if it is one. */
export function revisionNumber(app: App, name: string | undefined): number | undefined {
  const prefix = `${app.metadata.name}-`;
  if (!name?.startsWith(prefix)) return undefined;
  const digits = name.slice(prefix.length);
  return /^\d{5,}$/.test(digits) ? Number(digits) : undefined;
}

/** The App's revisions among the Deployments it controls, oldest first. */
export function revisionsOf(app: App, deployments: Deployment[]): Revision[] {
  return deployments
    .flatMap((d): Revision[] => {
      const name = d.metadata.labels?.[labelKeys.revision];
      const number = name === d.metadata.name ? revisionNumber(app, name) : undefined;
      return number === undefined ? [] : [{ name: name!, number, deployment: d, hash: d.metadata.annotations?.[templateHashAnnotation] }];
    })
    .sort((a, b) => a.number - b.number);
}

/** The number the next revision takes: past every revision there is and the latest the App reported (a deleted one's name is not reused). */
export function nextRevisionNumber(app: App, revisions: Revision[]): number {
  const reported = revisionNumber(app, app.status?.latestCreatedRevision) ?? 0;
  return Math.max(reported, ...revisions.map((r) => r.number)) + 1;
}

/** Whether a Deployment runs exactly `replicas` instances, all of its current template and available. */
export function fullyAvailable(d: Deployment, replicas: number): boolean {
  const s = d.status ?? {};
  const observed = (s.observedGeneration ?? 0) >= (d.metadata.generation ?? 1) && (d.spec.replicas ?? 1) === replicas;
  return observed && (s.replicas ?? 0) === replicas && (s.updatedReplicas ?? 0) === replicas && (s.availableReplicas ?? 0) === replicas;
}

export function imageOf(d: Deployment): string | undefined {
  return d.spec.template.spec.containers.find((c) => c.name === containerName)?.image;
}

/** Whether the revision has been ready: it is now with instances to run, or it was before (a retired revision keeps the answer). */
export function everReady(app: App, r: Revision, replicas: number): boolean {
  const before = app.status?.revisions?.find((s: RevisionStatus) => s.name === r.name)?.ready ?? false;
  return before || (replicas > 0 && fullyAvailable(r.deployment, replicas));
}

export interface Collection {
  /** Revisions to delete now. */
  remove: Revision[];
  /** When the next kept revision reaches the age limit, if any does. */
  nextExpiryMs?: number;
}

/**
 * Old revisions garbage collection takes: of those not kept (kept: any
 * that takes or is about to take traffic, a tagged one, the latest), all
 * but the newest `limit`, and any created more than `maxAgeSeconds` ago.
 */
export function collect(revisions: Revision[], kept: Set<string>, limit: number, maxAgeSeconds: number | undefined, now: number): Collection {
  const retired = revisions.filter((r) => !kept.has(r.name)).reverse();
  const created = (r: Revision) => Date.parse(r.deployment.metadata.creationTimestamp ?? '') || now;
  const expired = (r: Revision) => maxAgeSeconds !== undefined && now - created(r) >= maxAgeSeconds * 1000;
  const remove = retired.filter((r, i) => i >= limit || expired(r));
  const left = retired.filter((r) => !remove.includes(r));
  const expiries = maxAgeSeconds === undefined ? [] : left.map((r) => created(r) + maxAgeSeconds * 1000);
  return { remove, ...(expiries.length ? { nextExpiryMs: Math.min(...expiries) } : {}) };
}
