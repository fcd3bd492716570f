// Volume reconcile: fetch → deletion (protection, reclaim) or finalizer →
// claim or DataVolume → growth → status.
import { usersOf } from '../shared/users.js';
import { stuck, Stuck, waiting, Waiting } from '../shared/problems.js';
import { Volumes } from '../../pkg/api/resources.js';
import type { Volume, VolumeUser } from '../../pkg/api/types.generated.js';
import type { PersistentVolumeClaim, StorageClass } from '../../pkg/kube/core-types.js';
import { PersistentVolumeClaims, StorageClasses } from '../../pkg/kube/resources.js';
import { DataVolumes, type DataVolume } from '../../pkg/contracts/cdi/index.js';
import type { Cache } from '../../pkg/runtime/cache/cache.js';
import type { Client } from '../../pkg/runtime/client/client.js';
import { volumeFinalizer } from '../../pkg/api/finalizers.js';
import { addFinalizer, hasFinalizer, removeFinalizer } from '../../pkg/runtime/client/finalizers.js';
import { SettlingStatusWriter } from '../../pkg/runtime/client/status-writer.js';
import type { ReconcileContext, Reconciler, Request, Result } from '../../pkg/runtime/controller/types.js';
import type { EventRecorder } from '../../pkg/runtime/events/recorder.js';
import { controllerReference, isControlledBy, type KubeObject } from '../../pkg/meta/object.js';
import { isTrue } from '../../pkg/runtime/conditions/conditions.js';
import { applyChild, ChildConflictError } from '../shared/children.js';
import { volumeIndex } from '../shared/references.js';
import { claimGrowth, claimName, desiredClaim, desiredDataVolume, importsData, type CloneOf } from './desired.js';
import { restoredClaimOf, restoringVolume } from './restoring.js';
import { diskImageSource, snapshotSource } from './sources.js';
import { volumeStatus, type VolumeObservation } from './status.js';

export class VolumeReconciler implements Reconciler {
  private readonly statuses: SettlingStatusWriter;

  constructor(
    private readonly client: Client,
    private readonly cache: Cache,
    private readonly events: EventRecorder,
    private readonly now: () => number = Date.now,
  ) {
    this.statuses = new SettlingStatusWriter(client);
  }

  /** VirtualMachines and Apps in the namespace that name this Volume, running or not. */
  async reconcile(req: Request, ctx: ReconcileContext): Promise<Result | void> {
    const cached = this.cache.get<Volume>(Volumes, req.namespace, req.name);
    if (!cached) return;
    const users = usersOf(this.cache, volumeIndex, `${cached.metadata.namespace}/${cached.metadata.name}`);
    if (cached.metadata.deletionTimestamp) return this.delete(cached, users, ctx);
    // Goes on with the object the patch returns: its claim is made in this same pass.
    const volume = ((await addFinalizer(this.client, Volumes, cached, volumeFinalizer)) as Volume | undefined) ?? cached;

    const observation: VolumeObservation = { users, problems: [], deleting: false, now: this.now() };
    try {
      await this.ensureStorage(volume, observation);
    } catch (err) {
      if (!(err instanceof ChildConflictError)) throw err;
      observation.problems.push(stuck(Stuck.ChildConflict, err.message));
    }
    const claim = this.cache.get<PersistentVolumeClaim>(PersistentVolumeClaims, volume.metadata.namespace, claimName(volume));
    observation.claim = claim && (isControlledBy(claim, volume.metadata.uid) || this.claimOfOurDataVolume(volume, claim)) ? claim : undefined;
    const cls = this.storageClassOf(observation.claim);
    observation.expandable = cls?.allowVolumeExpansion ?? undefined;
    // Binding waits for the first consumer only until the claim has a volume.
    if (cls?.volumeBindingMode === 'WaitForFirstConsumer' && !observation.claim?.spec.volumeName) observation.delayedBinding = cls.metadata.name;
    const before = volume.status?.phase;
    const status = volumeStatus(volume, observation);
    const written = await this.statuses.write(Volumes, volume, status);
    if (written.written && before !== status.phase && status.phase === 'Failed') {
      this.events.event(volume, 'Warning', status.conditions?.find((c) => c.type === 'Stalled')?.reason ?? 'Failed', status.conditions?.[0]?.message ?? '');
    }
    return written;
  }

  private claimOfOurDataVolume(volume: Volume, claim: PersistentVolumeClaim): boolean {
    const dv = this.cache.get<DataVolume>(DataVolumes, volume.metadata.namespace, claimName(volume));
    return !!dv && isControlledBy(dv, volume.metadata.uid) && isControlledBy(claim, dv.metadata.uid);
  }

  private storageClassOf(claim: PersistentVolumeClaim | undefined): StorageClass | undefined {
    const name = claim?.spec.storageClassName;
    return name ? this.cache.get<StorageClass>(StorageClasses, undefined, name) : undefined;
  }

  private async ensureStorage(volume: Volume, o: VolumeObservation): Promise<void> {
    const ns = volume.metadata.namespace;
    const existingClaim = this.cache.get<PersistentVolumeClaim>(PersistentVolumeClaims, ns, claimName(volume));
    if (!existingClaim) {
      // A Restore in place is putting the claim back under this name.
      const restore = restoringVolume(this.cache, volume);
      if (restore) return void (o.restoring = restore.metadata.name);
    } else if (restoredClaimOf(this.cache, volume, existingClaim)) {
      await this.adopt(volume, existingClaim);
      return;
    }
    if (!importsData(volume)) {
      let volumeSnapshot: string | undefined;
      if (volume.spec.source?.snapshot) {
        // A claim's data source is fixed once it is made: the claim keeps saying what it was restored from.
        const made = existingClaim?.spec.dataSourceRef;
        if (existingClaim) volumeSnapshot = made?.kind === 'VolumeSnapshot' ? made.name : undefined;
        else {
          const source = snapshotSource(this.cache, volume);
          if ('problem' in source) return void o.problems.push(source.problem);
          volumeSnapshot = source.volumeSnapshot;
        }
      }
      await applyChild(this.client, this.cache, PersistentVolumeClaims, volume, desiredClaim(volume, volumeSnapshot));
      return;
    }
    let clone: CloneOf | undefined;
    const cloneOf = volume.spec.source?.volume?.name;
    const existingDv = this.cache.get<DataVolume>(DataVolumes, ns, claimName(volume));
    if (cloneOf) {
      const source = this.cache.get<Volume>(Volumes, ns, cloneOf);
      if (!source || !isTrue(source.status?.conditions, 'Ready')) {
        o.problems.push(waiting(Waiting.Source, `waiting for Volume ${cloneOf} to be Ready before cloning it`));
        return;
      }
      clone = { sourceClaim: source.status?.claimName ?? cloneOf };
    } else if (volume.spec.source?.diskImage && !existingDv) {
      const source = diskImageSource(this.cache, volume);
      if ('problem' in source) return void o.problems.push(source.problem);
      clone = source;
    }
    // A DataVolume's spec is fixed once made (CDI refuses changes); growth goes to its claim.
    const existing = existingDv;
    if (!existing) {
      await applyChild(this.client, this.cache, DataVolumes, volume, desiredDataVolume(volume, clone));
      return;
    }
    if (!isControlledBy(existing, volume.metadata.uid)) {
      throw new ChildConflictError({ kind: 'DataVolume', name: claimName(volume) }, { kind: 'Volume', name: volume.metadata.name! });
    }
    o.dataVolume = existing;
    const claim = this.cache.get<PersistentVolumeClaim>(PersistentVolumeClaims, volume.metadata.namespace, claimName(volume));
    const requested = claim?.spec.resources?.requests?.storage;
    if (claim?.status?.phase === 'Bound' && existing.status?.phase === 'Succeeded' && requested !== String(volume.spec.size)) {
      // CDI made the claim, so its request is CDI's field: take it over for the growth.
      await this.client.apply(PersistentVolumeClaims, claimGrowth(volume), { force: true });
    }
  }

  /** The claim a Restore put back becomes this Volume's child again. */
  private async adopt(volume: Volume, claim: PersistentVolumeClaim): Promise<void> {
    await this.client.patch<KubeObject>(PersistentVolumeClaims, claim.metadata.namespace, claim.metadata.name!, {
      merge: { metadata: { resourceVersion: claim.metadata.resourceVersion, ownerReferences: [controllerReference(volume)] } },
    });
    this.events.event(volume, 'Normal', 'Restored', `claim ${claim.metadata.name} restored from a Snapshot`);
  }

  private async delete(volume: Volume, users: VolumeUser[], ctx: ReconcileContext): Promise<Result | void> {
    if (!hasFinalizer(volume, volumeFinalizer)) return;
    if (users.length > 0) {
      const claim = this.cache.get<PersistentVolumeClaim>(PersistentVolumeClaims, volume.metadata.namespace, claimName(volume));
      return this.statuses.write(Volumes, volume, volumeStatus(volume, { users, claim, deleting: true, problems: [], now: this.now() }));
    }
    if (volume.spec.reclaimPolicy === 'Retain') await this.retainClaim(volume, ctx);
    await removeFinalizer(this.client, Volumes, volume, volumeFinalizer);
  }

  /** Releases the claim from the Volume (and its DataVolume) so garbage collection leaves it. */
  private async retainClaim(volume: Volume, ctx: ReconcileContext): Promise<void> {
    const ns = volume.metadata.namespace;
    const name = claimName(volume);
    const dv = this.cache.get<DataVolume>(DataVolumes, ns, name);
    const ours = new Set([volume.metadata.uid, dv && isControlledBy(dv, volume.metadata.uid) ? dv.metadata.uid : undefined].filter(Boolean));
    const claim = this.cache.get<PersistentVolumeClaim>(PersistentVolumeClaims, ns, name);
    if (claim && (claim.metadata.ownerReferences ?? []).some((r) => ours.has(r.uid))) {
      await this.client.patch<KubeObject>(PersistentVolumeClaims, ns, name, { merge: {
        metadata: { resourceVersion: claim.metadata.resourceVersion, ownerReferences: (claim.metadata.ownerReferences ?? []).filter((r) => !ours.has(r.uid)) },
      } });
      ctx.log.info('retained claim', { claim: name });
      this.events.event(volume, 'Normal', 'ClaimRetained', `reclaimPolicy Retain: claim ${name} and its data are kept`);
    }
    if (dv && ours.has(dv.metadata.uid)) {
      await this.client.deleteExact(DataVolumes, dv, { propagationPolicy: 'Orphan' });
    }
  }
}
