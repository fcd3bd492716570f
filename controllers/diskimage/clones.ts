// Clones in progress, found by what they copy: a DataVolume naming a
// DataSource (sourceRef) or a claim (source.pvc) that has not Succeeded.
import { DataVolumes, type DataVolume } from '../../pkg/contracts/cdi/index.js';
import type { Cache } from '../../pkg/runtime/cache/cache.js';
import type { Manager } from '../../pkg/runtime/manager/manager.js';

export const cloneIndex = 'stratus-clone-source';

/** `<namespace>/DataSource/<name>` or `<namespace>/PersistentVolumeClaim/<name>`. */
export function cloneSources(dv: DataVolume): string[] {
  const ref = dv.spec.sourceRef;
  const pvc = dv.spec.source?.pvc;
  return [
    ...(ref?.kind === 'DataSource' ? [`${ref.namespace || dv.metadata.namespace}/DataSource/${ref.name}`] : []),
    ...(pvc ? [`${pvc.namespace || dv.metadata.namespace}/PersistentVolumeClaim/${pvc.name}`] : []),
  ];
}

export function registerCloneIndex(mgr: Manager): void {
  mgr.cache.informer<DataVolume>(DataVolumes).addIndex(cloneIndex, cloneSources);
}

export function clonesOf(cache: Cache, keys: string[]): DataVolume[] {
  const found = new Map<string, DataVolume>();
  for (const key of keys) for (const dv of cache.byIndex<DataVolume>(DataVolumes, cloneIndex, key)) found.set(`${dv.metadata.namespace}/${dv.metadata.name}`, dv);
  return [...found.values()].filter((dv) => !dv.metadata.deletionTimestamp && dv.status?.phase !== 'Succeeded');
}
