// The simulated CDI controller: gives each DataVolume its claim and walks it
// through CDI's phases to Succeeded. Clones resolve a sourceRef through its
// DataSource; a clone in the same namespace is left to the CSI driver (the
// claim names its source in dataSourceRef) unless the clone strategy is
// copy. A DataVolume whose claim a restore is putting back (prePopulated)
// gets no claim of its own, and adopts the one made for it (populatedFor).
// The importer writes what it imported onto the volume (content.ts).
import type { PersistentVolume, PersistentVolumeClaim } from '../../kube/core-types.js';
import { PersistentVolumeClaims, PersistentVolumes } from '../../kube/resources.js';
import { DataVolumes, populationAnnotations, type DataVolume, type DataVolumeSource } from '../../contracts/cdi/index.js';
import { snapshotGroup } from '../../contracts/csi-snapshot/index.js';
import { isAlreadyExists, isConflict, isNotFound } from '../../runtime/client/api-error.js';
import type { Cache } from '../../runtime/cache/cache.js';
import type { Client } from '../../runtime/client/client.js';
import type { Reconciler, Request, Result } from '../../runtime/controller/types.js';
import type { EventRecorder } from '../../runtime/events/recorder.js';
import { controllerReference, isControlledBy } from '../../meta/object.js';
import { containsSubset } from '../../util/equality.js';
import { rfc3339, type StageClock } from '../clock.js';
import { injectFailureAnnotation } from '../kubelet/options.js';
import { contentMetadata, contentOf, withStep } from '../storage/content.js';
import { resolvedSource } from './data-source.js';
import { cdiAnnotations, type CdiSimOptions } from './options.js';
import { sourceKind, sourceUrl, transferStatus } from './transfer.js';

/** Whether the CSI driver makes the clone: same namespace, and the strategy leaves it to the driver. */
function storageClone(dv: DataVolume, source: DataVolumeSource | undefined, o: CdiSimOptions): boolean {
  const from = source?.pvc ?? source?.snapshot;
  return !!from && o.cloneStrategy === 'csi-clone' && (from.namespace || dv.metadata.namespace) === dv.metadata.namespace;
}

function claimFor(dv: DataVolume, source: DataVolumeSource | undefined, o: CdiSimOptions): PersistentVolumeClaim {
  const spec = dv.spec.pvc ?? dv.spec.storage ?? {};
  const kind = sourceKind(source);
  const url = sourceUrl(source);
  const annotations: Record<string, string> = {
    ...(dv.metadata.annotations ?? {}),
    [cdiAnnotations.contentType]: dv.spec.contentType ?? 'kubevirt',
    [cdiAnnotations.createdFor]: dv.metadata.uid!,
    [cdiAnnotations.restarts]: '0',
  };
  if (kind !== 'pvc' && kind !== 'snapshot') annotations[cdiAnnotations.source] = kind === 'blank' ? 'none' : kind;
  if (url) annotations[cdiAnnotations.endpoint] = url;
  if (source?.pvc) annotations[cdiAnnotations.cloneSource] = `${source.pvc.namespace}/${source.pvc.name}`;
  const byStorage = storageClone(dv, source, o)
    ? source?.pvc
      ? { dataSourceRef: { kind: 'PersistentVolumeClaim', name: source.pvc.name } }
      : { dataSourceRef: { apiGroup: snapshotGroup, kind: 'VolumeSnapshot', name: source!.snapshot!.name } }
    : {};
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: {
      name: dv.metadata.name,
      namespace: dv.metadata.namespace,
      labels: { ...(dv.metadata.labels ?? {}), app: 'containerized-data-importer', 'app.kubernetes.io/component': 'storage' },
      annotations,
      ownerReferences: [controllerReference(dv)],
    },
    spec: {
      accessModes: spec.accessModes ?? ['ReadWriteOnce'],
      resources: { requests: { storage: String(spec.resources?.requests?.storage ?? '1Gi') } },
      ...(spec.storageClassName ? { storageClassName: spec.storageClassName } : {}),
      volumeMode: spec.volumeMode === 'Block' ? 'Block' : 'Filesystem',
      ...byStorage,
    },
  };
}

export class DataVolumeReconciler implements Reconciler {
  constructor(
    private readonly client: Client,
    private readonly cache: Cache,
    private readonly o: CdiSimOptions,
    private readonly clock: StageClock,
    private readonly events: EventRecorder,
  ) {}

  async reconcile(req: Request): Promise<Result | void> {
    const dv = this.cache.get<DataVolume>(DataVolumes, req.namespace, req.name);
    if (!dv || dv.metadata.deletionTimestamp) return;
    const uid = dv.metadata.uid!;
    const resolved = resolvedSource(this.cache, dv);
    if ('waiting' in resolved) return this.waitForSource(dv, resolved.waiting);
    const source = resolved.source;
    let claim = this.cache.get<PersistentVolumeClaim>(PersistentVolumeClaims, req.namespace, req.name);
    if (!claim) {
      // A restore is putting this claim back: making one would race it.
      if (dv.metadata.annotations?.[populationAnnotations.prePopulated] !== undefined) return;
      try {
        claim = await this.client.create<PersistentVolumeClaim>(PersistentVolumeClaims, claimFor(dv, source, this.o));
      } catch (err) {
        if (!isAlreadyExists(err)) throw err;
        return { requeue: true };
      }
    } else if (!isControlledBy(claim, uid)) {
      if (claim.metadata.annotations?.[populationAnnotations.populatedFor] === dv.metadata.name && !claim.metadata.ownerReferences?.some((r) => r.controller)) {
        return this.adopt(dv, claim);
      }
      if (claim.metadata.annotations?.[cdiAnnotations.createdFor] !== uid) {
        this.events.event(dv, 'Warning', 'ErrResourceExists', `Resource "${req.name}" already exists and is not managed by DataVolume`);
        return;
      }
    }
    const bound = claim.status?.phase === 'Bound';
    const sinceBound = bound ? this.clock.current() - this.clock.since(`${uid}:bound`) : undefined;
    const failure = this.failure(dv, source, sinceBound);
    const from = source?.pvc;
    const sourceClaim = from ? this.cache.get<PersistentVolumeClaim>(PersistentVolumeClaims, from.namespace, from.name) : undefined;
    const { status, nextMs } = transferStatus(dv, {
      source,
      storageClone: storageClone(dv, source, this.o),
      claim,
      cloneSourceReady: source?.snapshot ? true : sourceClaim?.status?.phase === 'Bound',
      sinceBound,
      scheduleDelayMs: this.o.scheduleDelayMs,
      transferDurationMs: this.o.transferDurationMs,
      progressSteps: this.o.progressSteps,
      failure,
      now: rfc3339(this.clock.current()),
    });
    if (status.phase === 'Succeeded') await this.writeContent(dv, claim, source);
    if (!containsSubset(dv.status, status)) {
      const before = dv.status?.phase;
      try {
        await this.client.patch(DataVolumes, req.namespace, req.name, { merge: { status } }, { subresource: 'status' });
      } catch (err) {
        if (isNotFound(err)) return;
        throw err;
      }
      if (before !== status.phase) this.announce(dv, source, status.phase!, failure?.message);
    }
    if (failure) return { requeueAfterMs: this.o.restartIntervalMs };
    return nextMs !== undefined ? { requeueAfterMs: Math.max(10, nextMs) } : undefined;
  }

  private async waitForSource(dv: DataVolume, why: string): Promise<void> {
    const status = { phase: 'Pending', progress: 'N/A' };
    if (containsSubset(dv.status, status)) return;
    await this.client.patch(DataVolumes, dv.metadata.namespace, dv.metadata.name!, { merge: { status } }, { subresource: 'status' }).catch((err: unknown) => {
      if (!isNotFound(err)) throw err;
    });
    this.events.event(dv, 'Warning', 'SourceNotReady', why);
  }

  /** A claim made for this DataVolume by someone else (a restore): CDI takes it as its own and is done. */
  private async adopt(dv: DataVolume, claim: PersistentVolumeClaim): Promise<void> {
    await this.client
      .patch(PersistentVolumeClaims, claim.metadata.namespace, claim.metadata.name!, { merge: {
        metadata: { resourceVersion: claim.metadata.resourceVersion, ownerReferences: [...(claim.metadata.ownerReferences ?? []), controllerReference(dv)] },
      } })
      .catch((err: unknown) => {
        if (!isNotFound(err) && !isConflict(err)) throw err;
      });
  }

  /** The importer's (or the host-assisted clone's) data on the volume, written once. */
  private async writeContent(dv: DataVolume, claim: PersistentVolumeClaim, source: DataVolumeSource | undefined): Promise<void> {
    const kind = sourceKind(source);
    if (kind === 'blank' || storageClone(dv, source, this.o) || !claim.spec.volumeName) return;
    const pv = this.cache.get<PersistentVolume>(PersistentVolumes, undefined, claim.spec.volumeName);
    if (!pv || contentOf(pv).lineage.some((step) => step.includes(dv.metadata.uid!))) return;
    const by = `(DataVolume ${dv.metadata.namespace}/${dv.metadata.name} ${dv.metadata.uid})`;
    let content;
    if (source?.pvc) {
      const from = this.cache.get<PersistentVolumeClaim>(PersistentVolumeClaims, source.pvc.namespace, source.pvc.name);
      const fromPv = from?.spec.volumeName ? this.cache.get<PersistentVolume>(PersistentVolumes, undefined, from.spec.volumeName) : undefined;
      content = withStep(contentOf(fromPv), `copied from ${source.pvc.namespace}/${source.pvc.name} at ${rfc3339(Date.now())} ${by}`);
    } else {
      const url = sourceUrl(source) ?? kind;
      content = withStep({ data: `${kind} ${url}`, lineage: [] }, `imported ${url} at ${rfc3339(Date.now())} ${by}`);
    }
    await this.client.patch(PersistentVolumes, undefined, pv.metadata.name!, { merge: { metadata: { annotations: contentMetadata(content) } } });
  }

  private failure(dv: DataVolume, source: DataVolumeSource | undefined, sinceBound: number | undefined): { message: string; restarts: number } | undefined {
    const url = sourceUrl(source);
    const injected = dv.metadata.annotations?.[injectFailureAnnotation] === 'ImportFailed';
    if (!injected && !(url && this.o.failUrlPatterns.some((p) => p.test(url)))) return undefined;
    const running = Math.max(0, (sinceBound ?? 0) - this.o.scheduleDelayMs);
    return {
      message: 'Unable to connect to http data source: expected status code 200, got 404. Status: 404 Not Found',
      restarts: Math.floor(running / this.o.restartIntervalMs),
    };
  }

  private announce(dv: DataVolume, source: DataVolumeSource | undefined, phase: string, error?: string): void {
    const name = dv.metadata.name;
    const from = source?.pvc ?? source?.snapshot;
    const messages: Record<string, [string, string]> = {
      ImportScheduled: ['ImportScheduled', `Import into ${name} scheduled`],
      ImportInProgress: ['ImportInProgress', `Import into ${name} in progress`],
      CloneScheduled: ['CloneScheduled', `Cloning from ${from?.namespace}/${from?.name} into ${dv.metadata.namespace}/${name} scheduled`],
      CloneInProgress: ['CloneInProgress', `Cloning from ${from?.namespace}/${from?.name} into ${dv.metadata.namespace}/${name} in progress`],
      CSICloneInProgress: ['CSICloneInProgress', `CSI Volume clone in progress (for pvc ${from?.namespace}/${from?.name})`],
      Succeeded: [sourceKind(source) === 'pvc' || sourceKind(source) === 'snapshot' ? 'CloneSucceeded' : 'ImportSucceeded', `Successfully imported into PVC ${name}`],
    };
    const m = messages[phase];
    if (m) this.events.event(dv, 'Normal', m[0], m[1]);
    if (error) this.events.event(dv, 'Warning', 'Error', error);
  }
}
