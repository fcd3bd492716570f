// The simulated CDI controller: gives each DataVolume its claim and walks it
// through CDI's phases to Succeeded.
import type { PersistentVolumeClaim } from '../../kube/core-types.js';
import { PersistentVolumeClaims } from '../../kube/resources.js';
import { DataVolumes, type DataVolume } from '../../contracts/cdi/index.js';
import { isAlreadyExists, isNotFound } from '../../runtime/client/api-error.js';
import type { Cache } from '../../runtime/cache/cache.js';
import type { Client } from '../../runtime/client/client.js';
import type { Reconciler, Request, Result } from '../../runtime/controller/types.js';
import type { EventRecorder } from '../../runtime/events/recorder.js';
import { controllerReference, isControlledBy } from '../../meta/object.js';
import { containsSubset } from '../../util/equality.js';
import { rfc3339, type StageClock } from '../clock.js';
import { injectFailureAnnotation } from '../kubelet/options.js';
import { cdiAnnotations, type CdiSimOptions } from './options.js';
import { sourceKind, sourceUrl, transferStatus } from './transfer.js';

export function claimFor(dv: DataVolume): PersistentVolumeClaim {
  const spec = dv.spec.pvc ?? dv.spec.storage ?? {};
  const kind = sourceKind(dv.spec.source);
  const url = sourceUrl(dv.spec.source);
  const annotations: Record<string, string> = {
    ...(dv.metadata.annotations ?? {}),
    [cdiAnnotations.contentType]: dv.spec.contentType ?? 'kubevirt',
    [cdiAnnotations.createdFor]: dv.metadata.uid!,
    [cdiAnnotations.restarts]: '0',
  };
  if (kind !== 'pvc' && kind !== 'snapshot') annotations[cdiAnnotations.source] = kind === 'blank' ? 'none' : kind;
  if (url) annotations[cdiAnnotations.endpoint] = url;
  if (dv.spec.source?.pvc) annotations[cdiAnnotations.cloneSource] = `${dv.spec.source.pvc.namespace}/${dv.spec.source.pvc.name}`;
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
    let claim = this.cache.get<PersistentVolumeClaim>(PersistentVolumeClaims, req.namespace, req.name);
    if (!claim) {
      try {
        claim = await this.client.create<PersistentVolumeClaim>(PersistentVolumeClaims, claimFor(dv));
      } catch (err) {
        if (!isAlreadyExists(err)) throw err;
        return { requeue: true };
      }
    } else if (!isControlledBy(claim, uid) && claim.metadata.annotations?.[cdiAnnotations.createdFor] !== uid) {
      this.events.event(dv, 'Warning', 'ErrResourceExists', `Resource "${req.name}" already exists and is not managed by DataVolume`);
      return;
    }
    const bound = claim.status?.phase === 'Bound';
    const sinceBound = bound ? this.clock.current() - this.clock.since(`${uid}:bound`) : undefined;
    const failure = this.failure(dv, sinceBound);
    const source = dv.spec.source?.pvc;
    const sourceClaim = source ? this.cache.get<PersistentVolumeClaim>(PersistentVolumeClaims, source.namespace, source.name) : undefined;
    const { status, nextMs } = transferStatus(dv, {
      claim,
      cloneSourceReady: sourceClaim?.status?.phase === 'Bound',
      sinceBound,
      scheduleDelayMs: this.o.scheduleDelayMs,
      transferDurationMs: this.o.transferDurationMs,
      progressSteps: this.o.progressSteps,
      failure,
      now: rfc3339(this.clock.current()),
    });
    if (!containsSubset(dv.status, status)) {
      const before = dv.status?.phase;
      try {
        await this.client.patch(DataVolumes, req.namespace, req.name, { merge: { status } }, { subresource: 'status' });
      } catch (err) {
        if (isNotFound(err)) return;
        throw err;
      }
      if (before !== status.phase) this.announce(dv, status.phase!, failure?.message);
    }
    if (failure) return { requeueAfterMs: this.o.restartIntervalMs };
    return nextMs !== undefined ? { requeueAfterMs: Math.max(10, nextMs) } : undefined;
  }

  private failure(dv: DataVolume, sinceBound: number | undefined): { message: string; restarts: number } | undefined {
    const url = sourceUrl(dv.spec.source);
    const injected = dv.metadata.annotations?.[injectFailureAnnotation] === 'ImportFailed';
    if (!injected && !(url && this.o.failUrlPatterns.some((p) => p.test(url)))) return undefined;
    const running = Math.max(0, (sinceBound ?? 0) - this.o.scheduleDelayMs);
    return {
      message: 'Unable to connect to http data source: expected status code 200, got 404. Status: 404 Not Found',
      restarts: Math.floor(running / this.o.restartIntervalMs),
    };
  }

  private announce(dv: DataVolume, phase: string, error?: string): void {
    const name = dv.metadata.name;
    const messages: Record<string, [string, string]> = {
      ImportScheduled: ['ImportScheduled', `Import into ${name} scheduled`],
      ImportInProgress: ['ImportInProgress', `Import into ${name} in progress`],
      CloneScheduled: ['CloneScheduled', `Cloning from ${dv.spec.source?.pvc?.namespace}/${dv.spec.source?.pvc?.name} into ${dv.metadata.namespace}/${name} scheduled`],
      CloneInProgress: ['CloneInProgress', `Cloning from ${dv.spec.source?.pvc?.namespace}/${dv.spec.source?.pvc?.name} into ${dv.metadata.namespace}/${name} in progress`],
      Succeeded: [sourceKind(dv.spec.source) === 'pvc' ? 'CloneSucceeded' : 'ImportSucceeded', `Successfully imported into PVC ${name}`],
    };
    const m = messages[phase];
    if (m) this.events.event(dv, 'Normal', m[0], m[1]);
    if (error) this.events.event(dv, 'Warning', 'Error', error);
  }
}
