// What a new volume starts with, as external-provisioner decides it from the
// claim's dataSourceRef: a VolumeSnapshot (the data of its content at the
// cut), another claim (a CSI clone: that volume's data now), or nothing (a
// blank volume). Refused, in external-provisioner's words, while the source
// is not usable.
import type { PersistentVolume, PersistentVolumeClaim } from '../../kube/core-types.js';
import { PersistentVolumeClaims, PersistentVolumes } from '../../kube/resources.js';
import { parseQuantity } from '../../kube/quantity.js';
import { snapshotGroup, VolumeSnapshotContents, VolumeSnapshots, type VolumeSnapshot, type VolumeSnapshotContent } from '../../contracts/csi-snapshot/index.js';
import type { Cache } from '../../runtime/cache/cache.js';
import { rfc3339 } from '../clock.js';
import { contentOf, withStep, type DiskContent } from './content.js';
import type { StorageSimOptions } from './options.js';

export type Population = { content: DiskContent; delayMs: number } | { refused: string };

export function population(cache: Cache, claim: PersistentVolumeClaim, o: StorageSimOptions): Population {
  const ref = claim.spec.dataSourceRef ?? claim.spec.dataSource;
  const ns = claim.metadata.namespace;
  const requested = parseQuantity(claim.spec.resources?.requests?.storage ?? '0');
  if (!ref) return { content: { data: '', lineage: [`provisioned blank at ${rfc3339(Date.now())}`] }, delayMs: 0 };
  if (ref.kind === 'VolumeSnapshot' && ref.apiGroup === snapshotGroup) {
    const vs = cache.get<VolumeSnapshot>(VolumeSnapshots, ns, ref.name);
    const content = vs?.status?.boundVolumeSnapshotContentName ? cache.get<VolumeSnapshotContent>(VolumeSnapshotContents, undefined, vs.status.boundVolumeSnapshotContentName) : undefined;
    if (!vs || !content || vs.status?.readyToUse !== true) {
      return { refused: `error getting handle for DataSource Type VolumeSnapshot by Name ${ref.name}: snapshot ${ref.name} is not Ready` };
    }
    if (content.spec.driver !== o.driver) return { refused: `error getting handle for DataSource Type VolumeSnapshot by Name ${ref.name}: snapshot of driver ${content.spec.driver}` };
    const size = content.status?.restoreSize ?? 0;
    if (requested < size) return { refused: `requested volume size ${requested} is less than the size ${size} for the source snapshot ${ref.name}` };
    return { content: withStep(contentOf(content), `restored from ${content.metadata.name} at ${rfc3339(Date.now())}`), delayMs: o.restoreDelayMs };
  }
  if (ref.kind === 'PersistentVolumeClaim' && !ref.apiGroup) {
    const source = cache.get<PersistentVolumeClaim>(PersistentVolumeClaims, ns, ref.name);
    const pv = source?.spec.volumeName ? cache.get<PersistentVolume>(PersistentVolumes, undefined, source.spec.volumeName) : undefined;
    if (!source || source.status?.phase !== 'Bound' || !pv) return { refused: `error getting handle for DataSource Type PersistentVolumeClaim by Name ${ref.name}: claim ${ref.name} is not bound` };
    if (source.spec.storageClassName !== claim.spec.storageClassName) {
      return { refused: `the source PVC and destination PVCs must have the same storage class for cloning. Source is ${source.spec.storageClassName}, destination is ${claim.spec.storageClassName}` };
    }
    if (requested < parseQuantity(pv.spec.capacity?.storage ?? '0')) return { refused: `error, new PVC request must be greater than or equal in size to the specified PVC data source, requested ${requested} but source is ${pv.spec.capacity?.storage}` };
    return { content: withStep(contentOf(pv), `cloned from ${ns}/${ref.name} at ${rfc3339(Date.now())}`), delayMs: o.cloneDelayMs };
  }
  return { refused: `data source ${ref.apiGroup ?? ''}/${ref.kind} is not supported by the driver` };
}
