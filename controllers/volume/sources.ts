// Where a Volume restored from a Snapshot or cloned from a DiskImage gets its
// data: the CSI VolumeSnapshot of the disk it names, or the DiskImage's CDI
// DataSource — once ready, and only into a Volume at least as big.
import { DiskImages, Snapshots } from '../../pkg/api/resources.js';
import type { DiskImage, Snapshot, Volume } from '../../pkg/api/types.generated.js';
import { parseQuantity } from '../../pkg/kube/quantity.js';
import type { Cache } from '../../pkg/runtime/cache/cache.js';
import { isTrue } from '../../pkg/runtime/conditions/conditions.js';
import { stuck, Stuck, waiting, Waiting, type Problem } from '../shared/problems.js';

function tooSmall(volume: Volume, size: string | undefined, what: string): Problem | undefined {
  if (size === undefined || parseQuantity(String(volume.spec.size)) >= parseQuantity(size)) return undefined;
  return stuck(Stuck.InvalidSource, `spec.size ${String(volume.spec.size)} is smaller than ${what} (${size})`);
}

/** The VolumeSnapshot to restore from. */
export function snapshotSource(cache: Cache, volume: Volume): { volumeSnapshot: string } | { problem: Problem } {
  const ref = volume.spec.source!.snapshot!;
  const snapshot = cache.get<Snapshot>(Snapshots, volume.metadata.namespace, ref.name);
  if (!snapshot) return { problem: waiting(Waiting.Source, `waiting for Snapshot ${ref.name}, which does not exist`) };
  if (snapshot.status?.phase === 'Failed') return { problem: stuck(Stuck.InvalidSource, `Snapshot ${ref.name} failed: nothing to restore`) };
  if (!snapshot.status?.readyToUse) return { problem: waiting(Waiting.Source, `waiting for Snapshot ${ref.name} to be ready to use (it is ${snapshot.status?.phase ?? 'new'})`) };
  const disks = snapshot.status.volumes ?? [];
  const disk = ref.disk ? disks.find((d) => d.name === ref.disk) : disks.length === 1 ? disks[0] : undefined;
  if (!disk?.volumeSnapshot) {
    const names = disks.map((d) => d.name).join(', ');
    return {
      problem: stuck(Stuck.InvalidSource, ref.disk ? `Snapshot ${ref.name} has no disk ${ref.disk} (it has ${names || 'none'})` : `Snapshot ${ref.name} has disks ${names}: name one in spec.source.snapshot.disk`),
    };
  }
  const small = tooSmall(volume, disk.size, `the Snapshot's disk ${disk.name}`);
  return small ? { problem: small } : { volumeSnapshot: disk.volumeSnapshot };
}

/** The CDI DataSource to clone. */
export function diskImageSource(cache: Cache, volume: Volume): { dataSource: string } | { problem: Problem } {
  const name = volume.spec.source!.diskImage!.name;
  const image = cache.get<DiskImage>(DiskImages, volume.metadata.namespace, name);
  if (!image?.status?.dataSource || !isTrue(image.status.conditions, 'Ready')) {
    return { problem: waiting(Waiting.Source, `waiting for DiskImage ${name} to be Ready${image ? ` (it is ${image.status?.phase ?? 'new'})` : ', which does not exist'}`) };
  }
  const small = tooSmall(volume, image.status.size, `DiskImage ${name}`);
  return small ? { problem: small } : { dataSource: image.status.dataSource };
}
