// external-resizer's job (and the kubelet's file-system step): a bound claim
// whose request grew beyond its capacity is marked Resizing, its volume grows,
// and then the claim's capacity follows.
import type { PersistentVolume, PersistentVolumeClaim, StorageClass } from '../../kube/core-types.js';
import { PersistentVolumeClaims, PersistentVolumes, StorageClasses } from '../../kube/resources.js';
import { parseQuantity } from '../../kube/quantity.js';
import type { Cache } from '../../runtime/cache/cache.js';
import type { Client } from '../../runtime/client/client.js';
import type { Reconciler, Request, Result } from '../../runtime/controller/types.js';
import type { EventRecorder } from '../../runtime/events/recorder.js';
import { rfc3339, type StageClock } from '../clock.js';
import type { StorageSimOptions } from './options.js';

export class ResizerReconciler implements Reconciler {
  constructor(
    private readonly client: Client,
    private readonly cache: Cache,
    private readonly o: StorageSimOptions,
    private readonly clock: StageClock,
    private readonly events: EventRecorder,
  ) {}

  async reconcile(req: Request): Promise<Result | void> {
    const claim = this.cache.get<PersistentVolumeClaim>(PersistentVolumeClaims, req.namespace, req.name);
    if (!claim || claim.status?.phase !== 'Bound' || !claim.spec.volumeName) return;
    const pv = this.cache.get<PersistentVolume>(PersistentVolumes, undefined, claim.spec.volumeName);
    if (pv?.spec.csi?.driver !== this.o.driver) return;
    const cls = this.cache.get<StorageClass>(StorageClasses, undefined, claim.spec.storageClassName ?? '');
    const requested = claim.spec.resources?.requests?.storage;
    const capacity = claim.status.capacity?.storage;
    if (!requested || !capacity || parseQuantity(requested) <= parseQuantity(capacity)) return;
    if (!cls?.allowVolumeExpansion) return;

    const stage = `${claim.metadata.uid}:resize:${requested}`;
    const resizing = claim.status.conditions?.some((c) => c.type === 'Resizing' && c.status === 'True');
    if (!resizing) {
      this.clock.since(stage);
      this.events.event(claim, 'Normal', 'Resizing', `External resizer is resizing volume ${pv.metadata.name}`);
      await this.client.patch(
        PersistentVolumeClaims,
        req.namespace,
        req.name,
        { merge: {
          status: {
            conditions: [{ type: 'Resizing', status: 'True', lastProbeTime: null, lastTransitionTime: rfc3339(Date.now()) }],
            allocatedResources: { storage: requested },
            allocatedResourceStatuses: { storage: 'ControllerResizeInProgress' },
          },
        } },
        { subresource: 'status' },);
    }
    const wait = this.clock.remaining(stage, this.o.resizeDelayMs);
    if (wait > 0) return { requeueAfterMs: wait };
    await this.client.patch(PersistentVolumes, undefined, pv.metadata.name!, { merge: { spec: { capacity: { storage: requested } } } });
    await this.client.patch(
      PersistentVolumeClaims,
      req.namespace,
      req.name,
      { merge: { status: { capacity: { storage: requested }, conditions: null, allocatedResourceStatuses: null } } },
      { subresource: 'status' },);
    this.events.event(claim, 'Normal', 'FileSystemResizeSuccessful', `MountVolume.NodeExpandVolume succeeded for volume "${pv.metadata.name}"`);
    this.clock.forget(stage);
  }
}
