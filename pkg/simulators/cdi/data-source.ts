// CDI's DataSource controller: a DataSource is Ready while what it points at
// can be cloned — a claim (whose DataVolume, if any, has Succeeded) or a
// ready VolumeSnapshot — and status.source then says what that is.
import type { PersistentVolumeClaim } from '../../kube/core-types.js';
import { PersistentVolumeClaims } from '../../kube/resources.js';
import { DataSources, DataVolumes, dataSourceReady, type DataSource, type DataSourceCondition, type DataVolume } from '../../contracts/cdi/index.js';
import { VolumeSnapshots, volumeSnapshotReady, type VolumeSnapshot } from '../../contracts/csi-snapshot/index.js';
import { isConflict, isNotFound } from '../../runtime/client/api-error.js';
import type { Cache } from '../../runtime/cache/cache.js';
import type { Client } from '../../runtime/client/client.js';
import type { Reconciler, Request } from '../../runtime/controller/types.js';
import { deepEqual } from '../../util/equality.js';
import { rfc3339 } from '../clock.js';

interface Readiness {
  ready: boolean;
  reason: string;
  message: string;
}

export class DataSourceReconciler implements Reconciler {
  constructor(
    private readonly client: Client,
    private readonly cache: Cache,
  ) {}

  private readiness(ds: DataSource): Readiness {
    const { pvc, snapshot } = ds.spec.source;
    if (pvc) {
      const ns = pvc.namespace || ds.metadata.namespace;
      const dv = this.cache.get<DataVolume>(DataVolumes, ns, pvc.name);
      if (dv) {
        return dv.status?.phase === 'Succeeded'
          ? { ready: true, reason: 'Ready', message: 'DataSource is ready to be consumed' }
          : { ready: false, reason: dv.status?.phase || 'Unknown', message: `Import DataVolume phase ${dv.status?.phase ?? ''}` };
      }
      return this.cache.get<PersistentVolumeClaim>(PersistentVolumeClaims, ns, pvc.name)
        ? { ready: true, reason: 'Ready', message: 'DataSource is ready to be consumed' }
        : { ready: false, reason: 'NotFound', message: 'PVC not found' };
    }
    if (snapshot) {
      const vs = this.cache.get<VolumeSnapshot>(VolumeSnapshots, snapshot.namespace || ds.metadata.namespace, snapshot.name);
      if (!vs) return { ready: false, reason: 'NotFound', message: 'Snapshot not found' };
      return volumeSnapshotReady(vs)
        ? { ready: true, reason: 'Ready', message: 'DataSource is ready to be consumed' }
        : { ready: false, reason: 'SnapshotNotReady', message: 'Snapshot phase is not ready' };
    }
    return { ready: false, reason: 'NoSource', message: 'No source PVC set' };
  }

  async reconcile(req: Request): Promise<void> {
    const ds = this.cache.get<DataSource>(DataSources, req.namespace, req.name);
    if (!ds || ds.metadata.deletionTimestamp) return;
    const r = this.readiness(ds);
    const old = ds.status?.conditions?.find((c) => c.type === dataSourceReady);
    const status = r.ready ? 'True' : 'False';
    const now = rfc3339(Date.now());
    const condition: DataSourceCondition = {
      type: dataSourceReady,
      status,
      reason: r.reason,
      message: r.message,
      lastTransitionTime: old?.status === status && old.lastTransitionTime ? old.lastTransitionTime : now,
      lastHeartbeatTime: old?.status === status && old.reason === r.reason && old.lastHeartbeatTime ? old.lastHeartbeatTime : now,
    };
    const next: NonNullable<DataSource['status']> = { conditions: [condition], source: r.ready ? structuredClone(ds.spec.source) : {} };
    if (deepEqual(ds.status, next)) return;
    // DataSource has no status subresource: CDI updates the whole object.
    await this.client.patch(DataSources, req.namespace, req.name, { merge: { metadata: { resourceVersion: ds.metadata.resourceVersion }, status: next } }).catch((err: unknown) => {
      if (!isNotFound(err) && !isConflict(err)) throw err;
    });
  }
}

/** What a DataVolume copies: its own source, or what its sourceRef's DataSource points at once Ready. */
export function resolvedSource(cache: Cache, dv: DataVolume): { source: DataVolume['spec']['source'] } | { waiting: string } {
  const ref = dv.spec.sourceRef;
  if (!ref) return { source: dv.spec.source };
  const ns = ref.namespace || dv.metadata.namespace;
  const ds = cache.get<DataSource>(DataSources, ns, ref.name);
  if (!ds) return { waiting: `DataSource ${ns}/${ref.name} not found` };
  const ready = ds.status?.conditions?.find((c) => c.type === dataSourceReady);
  if (ready?.status !== 'True') return { waiting: `DataSource ${ns}/${ref.name} is not ready: ${ready?.message ?? 'no status yet'}` };
  const { pvc, snapshot } = ds.status?.source ?? {};
  return { source: pvc ? { pvc } : snapshot ? { snapshot } : undefined };
}
