// A DiskImage's revisions: each import (the first, a changed source, a
// refresh) is a DataVolume of its own, `<image>-<n>`. Clones come from the
// newest that succeeded (current); a newer one imports meanwhile; older ones
// go once no clone of the image is in progress, so a refresh never takes a
// disk from under anything.
import { createHash } from 'node:crypto';
import type { DiskImage } from '../../pkg/api/types.generated.js';
import type { DataVolume } from '../../pkg/contracts/cdi/index.js';

export const revisionLabel = 'stratus.dev/revision';
export const sourceHashAnnotation = 'stratus.dev/source-hash';

export interface Revision {
  n: number;
  dataVolume: DataVolume;
}

/** What an import is made from: a new value imports a new revision. */
export function sourceHash(image: DiskImage): string {
  const { source, size, storageClassName } = image.spec;
  return createHash('sha256').update(JSON.stringify({ source, size: String(size), storageClassName })).digest('hex').slice(0, 16);
}

/** A source that cannot change: a checksum the download must match, or a registry digest. */
export function pinned(image: DiskImage): boolean {
  return !!image.spec.source.http?.checksum || !!image.spec.source.registry?.url.includes('@sha256:');
}

export function revisionsOf(dataVolumes: DataVolume[]): Revision[] {
  return dataVolumes
    .filter((dv) => !dv.metadata.deletionTimestamp)
    .map((dv) => ({ n: Number(dv.metadata.labels?.[revisionLabel]), dataVolume: dv }))
    .filter((r) => Number.isInteger(r.n) && r.n > 0)
    .sort((a, b) => a.n - b.n);
}

export interface RevisionPlan {
  /** The revision clones are made from now. */
  current?: Revision;
  /** The newest revision, when it is not the current one (still importing, or failing). */
  importing?: Revision;
  /** A new revision to import now. */
  start?: number;
  /** Revisions to delete (neither current nor newest), once no clone is in progress. */
  obsolete: Revision[];
}

/** `refreshDue`: a refresh of the source is due now (ignored for a pinned source, or while a newer revision imports). */
export function planRevisions(image: DiskImage, revisions: Revision[], refreshDue: boolean): RevisionPlan {
  const current = [...revisions].reverse().find((r) => r.dataVolume.status?.phase === 'Succeeded');
  const newest = revisions.at(-1);
  const importing = newest && newest !== current ? newest : undefined;
  const changed = !newest || newest.dataVolume.metadata.annotations?.[sourceHashAnnotation] !== sourceHash(image);
  const refresh = refreshDue && !pinned(image) && !importing;
  const start = changed || refresh ? (newest?.n ?? 0) + 1 : undefined;
  const obsolete = revisions.filter((r) => r !== current && r !== newest);
  return { current, importing, start, obsolete };
}
