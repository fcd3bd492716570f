// What a simulated disk holds, so that tests can trace data: a PersistentVolume
// carries its data (a label a test writes as the guest would) and its
// lineage (how that data came to be: provisioned blank, imported, cloned,
// restored from a snapshot); a VolumeSnapshotContent carries the data and
// lineage of its volume at the moment it was cut. Whatever is made from a
// snapshot or a clone starts with the data of its source, not today's.
import type { KubeObject } from '../../meta/object.js';

export const contentAnnotations = {
  data: 'sim.stratus.dev/data',
  lineage: 'sim.stratus.dev/lineage',
} as const;

export interface DiskContent {
  data: string;
  lineage: string[];
}

/** Only the newest steps are kept: a disk restored a hundred times keeps a readable annotation. */
const maxLineage = 20;

export function contentOf(obj: KubeObject | undefined): DiskContent {
  const a = obj?.metadata.annotations ?? {};
  let lineage: string[] = [];
  try {
    const parsed: unknown = JSON.parse(a[contentAnnotations.lineage] ?? '[]');
    if (Array.isArray(parsed)) lineage = parsed.map(String);
  } catch {
    lineage = [];
  }
  return { data: a[contentAnnotations.data] ?? '', lineage };
}

/** The content with one more step of lineage. */
export function withStep(content: DiskContent, step: string): DiskContent {
  return { data: content.data, lineage: [...content.lineage, step].slice(-maxLineage) };
}

export function contentMetadata(content: DiskContent): Record<string, string> {
  return { [contentAnnotations.data]: content.data, [contentAnnotations.lineage]: JSON.stringify(content.lineage) };
}
