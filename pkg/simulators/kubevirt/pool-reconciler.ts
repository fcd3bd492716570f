// KubeVirt's VirtualMachinePool controller: keeps spec.replicas VMs named
// <pool>-<index> from the pool's template, removing the highest indexes
// first on scale-down, brings existing members' specs up to a changed
// template (updateStrategy opportunistic: running VMIs pick the change up
// when they next restart; unmanaged: members are left alone; proactive
// restarts are not simulated and behave as opportunistic), and reports
// replicas, readyReplicas and the selector the scale subresource publishes.
//
// As upstream (pkg/virt-controller/watch/pool), a member is out of date when
// the ControllerRevision its kubevirt.io/vm-pool-revision-name label names
// (<pool>-<generation>, the pool's spec then) holds another template: not
// when its spec differs, since admission and virt-controller write defaults
// and the firmware identity into members' specs, which an update keeps.
import {
  kubevirtLabels,
  KubeVirtVirtualMachines,
  memberSpecOf,
  VirtualMachinePools,
  type VirtualMachine as KubeVirtVirtualMachine,
  type VirtualMachinePool,
} from '../../contracts/kubevirt/index.js';
import { ControllerRevisions } from '../../kube/resources.js';
import { isAlreadyExists, isConflict, isNotFound } from '../../runtime/client/api-error.js';
import type { Cache } from '../../runtime/cache/cache.js';
import type { Client } from '../../runtime/client/client.js';
import type { Reconciler, Request, Result } from '../../runtime/controller/types.js';
import type { EventRecorder } from '../../runtime/events/recorder.js';
import { formatSelector, parseLabelSelector } from '../../meta/labels.js';
import { controllerReference, isControlledBy, type KubeObject } from '../../meta/object.js';
import { containsSubset, deepEqual } from '../../util/equality.js';

function indexOf(pool: VirtualMachinePool, vm: KubeVirtVirtualMachine): number {
  const m = new RegExp(`^${pool.metadata.name}-(\\d+)$`).exec(vm.metadata.name ?? '');
  return m ? Number(m[1]) : -1;
}

/**
 * A member VM from the pool's template. As KubeVirt's pool controller does,
 * each member gets its own DataVolumes: the template's names with the
 * member's index appended, and its volumes point at those.
 */
export function poolMember(pool: VirtualMachinePool, index: number): KubeVirtVirtualMachine {
  const template = pool.spec.virtualMachineTemplate;
  const spec = structuredClone(memberSpecOf(pool));
  const revision = revisionName(pool);
  spec.template.metadata = { ...spec.template.metadata, labels: { ...spec.template.metadata?.labels, [kubevirtLabels.poolRevision]: revision } };
  const renamed = new Map<string, string>();
  for (const dv of spec.dataVolumeTemplates ?? []) {
    if (!dv?.metadata?.name) continue;
    const name = `${dv.metadata.name}-${index}`;
    renamed.set(dv.metadata.name, name);
    dv.metadata = { ...dv.metadata, name };
  }
  for (const v of spec.template.spec?.volumes ?? []) {
    if (v.dataVolume && renamed.has(v.dataVolume.name)) v.dataVolume = { name: renamed.get(v.dataVolume.name)! };
  }
  return {
    apiVersion: 'kubevirt.io/v1',
    kind: 'VirtualMachine',
    metadata: {
      name: `${pool.metadata.name}-${index}`,
      namespace: pool.metadata.namespace,
      labels: { ...(template.metadata?.labels ?? {}), [kubevirtLabels.poolRevision]: revision },
      annotations: { ...(template.metadata?.annotations ?? {}) },
      ownerReferences: [controllerReference(pool)],
    },
    spec,
  };
}

function revisionName(pool: VirtualMachinePool): string {
  return `${pool.metadata.name}-${pool.metadata.generation ?? 1}`;
}

interface PoolRevision extends KubeObject {
  data?: { virtualMachineTemplate?: unknown };
}

export class PoolReconciler implements Reconciler {
  constructor(
    private readonly client: Client,
    private readonly cache: Cache,
    private readonly events: EventRecorder,
  ) {}

  async reconcile(req: Request): Promise<Result | void> {
    const pool = this.cache.get<VirtualMachinePool>(VirtualMachinePools, req.namespace, req.name);
    if (!pool || pool.metadata.deletionTimestamp) return;
    const members = this.cache
      .ownedBy<KubeVirtVirtualMachine>(KubeVirtVirtualMachines, pool.metadata.uid!)
      .filter((vm) => isControlledBy(vm, pool.metadata.uid) && !vm.metadata.deletionTimestamp)
      .sort((a, b) => indexOf(pool, a) - indexOf(pool, b));
    const want = pool.spec.replicas ?? 1;
    if (!pool.spec.paused) {
      await this.ensureRevision(pool);
      const taken = new Set(members.map((vm) => indexOf(pool, vm)));
      for (let i = 0, created = members.length; created < want; i++) {
        if (taken.has(i)) continue;
        try {
          await this.client.create(KubeVirtVirtualMachines, poolMember(pool, i));
          this.events.event(pool, 'Normal', 'SuccessfulCreate', `Created VM ${pool.metadata.namespace}/${pool.metadata.name}-${i}`);
        } catch (err) {
          if (!isAlreadyExists(err)) throw err;
        }
        created++;
      }
      if (!pool.spec.updateStrategy?.unmanaged) {
        for (const vm of members.slice(0, want)) await this.updateMember(pool, vm);
      }
      for (const vm of members.slice(want).reverse()) {
        await this.client
          .delete(KubeVirtVirtualMachines, vm.metadata.namespace, vm.metadata.name!, { preconditions: { uid: vm.metadata.uid } })
          .then(() => this.events.event(pool, 'Normal', 'SuccessfulDelete', `Deleted VM ${vm.metadata.namespace}/${vm.metadata.name}`))
          .catch((err: unknown) => {
            if (!isNotFound(err) && !isConflict(err)) throw err;
          });
      }
    }
    const status = {
      replicas: members.length,
      readyReplicas: members.filter((vm) => vm.status?.ready).length,
      labelSelector: formatSelector(parseLabelSelector(pool.spec.selector)),
    };
    if (!containsSubset(pool.status, status)) {
      await this.client.patch(VirtualMachinePools, req.namespace, req.name, { merge: { status } }, { subresource: 'status' }).catch((err: unknown) => {
        if (!isNotFound(err)) throw err;
      });
    }
  }

  /** The pool's spec as of this generation, which members made now are labelled with. */
  private async ensureRevision(pool: VirtualMachinePool): Promise<void> {
    if (this.cache.get(ControllerRevisions, pool.metadata.namespace, revisionName(pool))) return;
    await this.client
      .create(ControllerRevisions, {
        apiVersion: 'apps/v1',
        kind: 'ControllerRevision',
        metadata: { name: revisionName(pool), namespace: pool.metadata.namespace, ownerReferences: [controllerReference(pool)] },
        data: pool.spec,
        revision: pool.metadata.generation ?? 1,
      })
      .catch((err: unknown) => {
        if (!isAlreadyExists(err)) throw err;
      });
  }

  private outdated(pool: VirtualMachinePool, vm: KubeVirtVirtualMachine): boolean {
    const label = vm.metadata.labels?.[kubevirtLabels.poolRevision];
    const revision = label ? this.cache.get<PoolRevision>(ControllerRevisions, pool.metadata.namespace, label) : undefined;
    return !revision || !deepEqual(revision.data?.virtualMachineTemplate, pool.spec.virtualMachineTemplate);
  }

  /** An out-of-date member gets the template (with its own DataVolume names), keeping its firmware identity. */
  private async updateMember(pool: VirtualMachinePool, vm: KubeVirtVirtualMachine): Promise<void> {
    if (!this.outdated(pool, vm)) return;
    const member = poolMember(pool, indexOf(pool, vm));
    const firmware = vm.spec.template.spec?.domain.firmware;
    const domain = member.spec.template.spec?.domain;
    if (domain && (firmware?.uuid || firmware?.serial)) {
      domain.firmware = { ...domain.firmware, ...(firmware.uuid ? { uuid: firmware.uuid } : {}), ...(firmware.serial ? { serial: firmware.serial } : {}) };
    }
    await this.client.update(KubeVirtVirtualMachines, { ...vm, metadata: { ...vm.metadata, labels: member.metadata.labels, annotations: member.metadata.annotations }, spec: member.spec }).catch((err: unknown) => {
      // A newer member or a deleted one: the next pass sees it.
      if (!isNotFound(err) && !isConflict(err)) throw err;
    });
  }
}
