// Who is restoring from a Snapshot: Restores not yet done, and Volumes made
// from it that are not Ready yet. A Snapshot is not deleted from under them
// (its finalizer waits) and a schedule's retention leaves it alone.
import { Restores, Volumes } from '../../pkg/api/resources.js';
import type { Restore, Volume } from '../../pkg/api/types.generated.js';
import type { Cache } from '../../pkg/runtime/cache/cache.js';
import { isTrue } from '../../pkg/runtime/conditions/conditions.js';
import type { Manager } from '../../pkg/runtime/manager/manager.js';
import type { User } from './users.js';

export const snapshotIndex = 'stratus-snapshot';

export function snapshotOfRestore(r: Restore): string[] {
  return [`${r.metadata.namespace}/${r.spec.snapshot}`];
}

export function snapshotOfVolume(v: Volume): string[] {
  const name = v.spec.source?.snapshot?.name;
  return name ? [`${v.metadata.namespace}/${name}`] : [];
}

export function restoreDone(r: Restore): boolean {
  return r.status?.phase === 'Succeeded' || r.status?.phase === 'Failed';
}

/** Registers the indexes (idempotent: every controller that needs them calls this). */
export function registerSnapshotIndexes(mgr: Manager): void {
  mgr.cache.informer<Restore>(Restores).addIndex(snapshotIndex, snapshotOfRestore);
  mgr.cache.informer<Volume>(Volumes).addIndex(snapshotIndex, snapshotOfVolume);
}

export function snapshotUsers(cache: Cache, namespace: string | undefined, name: string): User[] {
  const key = `${namespace}/${name}`;
  const restores = cache.byIndex<Restore>(Restores, snapshotIndex, key).filter((r) => !restoreDone(r)).map((r) => ({ kind: 'Restore', name: r.metadata.name! }));
  const volumes = cache.byIndex<Volume>(Volumes, snapshotIndex, key).filter((v) => !isTrue(v.status?.conditions, 'Ready')).map((v) => ({ kind: 'Volume', name: v.metadata.name! }));
  return [...restores, ...volumes].sort((a, b) => a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name));
}
