// external-provisioner's job: a claim of our StorageClass that the PV
// controller has handed to us (storage-provisioner annotation) gets a
// PersistentVolume pre-bound to it; kube-controller-manager then binds both.
// Also: Released volumes with reclaim policy Delete are deleted.
import type { PersistentVolume, PersistentVolumeClaim, StorageClass } from '../../kube/core-types.js';
import { PersistentVolumeClaims, PersistentVolumes, StorageClasses } from '../../kube/resources.js';
import { isAlreadyExists, isNotFound } from '../../runtime/client/api-error.js';
import type { Cache } from '../../runtime/cache/cache.js';
import type { Client } from '../../runtime/client/client.js';
import type { Reconciler, Request, Result } from '../../runtime/controller/types.js';
import type { EventRecorder } from '../../runtime/events/recorder.js';
import type { StageClock } from '../clock.js';
import { population } from './data-source.js';
import { persistentVolume, volumeName } from './desired.js';
import {
  betaProvisionerAnnotation,
  injectFailureAnnotation,
  provisionedByAnnotation,
  provisionerAnnotation,
  type StorageSimOptions,
} from './options.js';

export class ProvisionerReconciler implements Reconciler {
  constructor(
    private readonly client: Client,
    private readonly cache: Cache,
    private readonly o: StorageSimOptions,
    private readonly clock: StageClock,
    private readonly events: EventRecorder,
  ) {}

  async reconcile(req: Request): Promise<Result | void> {
    const claim = this.cache.get<PersistentVolumeClaim>(PersistentVolumeClaims, req.namespace, req.name);
    if (!claim || claim.metadata.deletionTimestamp || claim.spec.volumeName) return;
    const annotations = claim.metadata.annotations ?? {};
    const handedTo = annotations[provisionerAnnotation] ?? annotations[betaProvisionerAnnotation];
    if (handedTo !== this.o.driver) return;
    const cls = this.cache.get<StorageClass>(StorageClasses, undefined, claim.spec.storageClassName ?? '');
    if (!cls) return;
    if (this.cache.get(PersistentVolumes, undefined, volumeName(claim))) return;
    if (annotations[injectFailureAnnotation] === 'ProvisioningFailed') {
      this.events.event(claim, 'Warning', 'ProvisioningFailed', `failed to provision volume with StorageClass "${cls.metadata.name}": rpc error: code = ResourceExhausted desc = simulated: out of capacity`);
      return { requeueAfterMs: 30_000 };
    }
    const populated = population(this.cache, claim, this.o);
    if ('refused' in populated) {
      this.events.event(claim, 'Warning', 'ProvisioningFailed', `failed to provision volume with StorageClass "${cls.metadata.name}": ${populated.refused}`);
      return { requeueAfterMs: 1_000 };
    }
    const wait = this.clock.remaining(`${claim.metadata.uid}:provision`, this.o.provisionDelayMs + populated.delayMs);
    if (wait > 0) {
      this.events.event(claim, 'Normal', 'Provisioning', `External provisioner is provisioning volume for claim "${req.key}"`);
      return { requeueAfterMs: wait };
    }
    try {
      await this.client.create(PersistentVolumes, persistentVolume(claim, cls, this.o, populated.content));
      this.events.event(claim, 'Normal', 'ProvisioningSucceeded', `Successfully provisioned volume ${volumeName(claim)}`);
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
    }
    this.clock.forget(claim.metadata.uid!);
  }
}

export class DeleterReconciler implements Reconciler {
  constructor(
    private readonly client: Client,
    private readonly cache: Cache,
    private readonly o: StorageSimOptions,
  ) {}

  async reconcile(req: Request): Promise<Result | void> {
    const pv = this.cache.get<PersistentVolume>(PersistentVolumes, undefined, req.name);
    if (!pv || pv.metadata.deletionTimestamp) return;
    if (pv.metadata.annotations?.[provisionedByAnnotation] !== this.o.driver) return;
    if (pv.status?.phase !== 'Released' || pv.spec.persistentVolumeReclaimPolicy !== 'Delete') return;
    try {
      await this.client.delete(PersistentVolumes, undefined, req.name, { preconditions: { uid: pv.metadata.uid } });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
}
