// KubeVirt's VirtualMachinePool controller: keeps spec.replicas VMs named
// <pool>-<index> from the pool's template, removing the highest indexes
// first on scale-down, brings existing members' specs up to a changed
// template (updateStrategy opportunistic: running VMIs pick the change up
// when they next restart; unmanaged: members are left alone; proactive
// restarts are not simulated and behave as opportunistic), and reports
// replicas, readyReplicas and the selector the scale subresource publishes.
import { KubeVirtVirtualMachines, VirtualMachinePools } from '../../kube/resources.js';
import { isAlreadyExists, isConflict, isNotFound } from '../../runtime/client/api-error.js';
import type { Cache } from '../../runtime/cache/cache.js';
import type { Client } from '../../runtime/client/client.js';
import type { Reconciler, Request, Result } from '../../runtime/controller/types.js';
import type { EventRecorder } from '../../runtime/events/recorder.js';
import { formatSelector } from '../../runtime/labels.js';
import { controllerReference, isControlledBy } from '../../runtime/object.js';
import { containsSubset, deepEqual } from '../../util/equality.js';
import type { KubeVirtVirtualMachine, VirtualMachinePool } from './types.js';

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
  const spec = structuredClone(template.spec);
  const renamed = new Map<string, string>();
  for (const dv of spec.dataVolumeTemplates ?? []) {
    const name = `${dv.metadata.name}-${index}`;
    renamed.set(dv.metadata.name!, name);
    dv.metadata = { ...dv.metadata, name };
  }
  for (const v of spec.template.spec.volumes ?? []) {
    if (v.dataVolume && renamed.has(v.dataVolume.name)) v.dataVolume = { name: renamed.get(v.dataVolume.name)! };
  }
  return {
    apiVersion: 'kubevirt.io/v1',
    kind: 'VirtualMachine',
    metadata: {
      name: `${pool.metadata.name}-${index}`,
      namespace: pool.metadata.namespace,
      labels: { ...(template.metadata?.labels ?? {}) },
      annotations: { ...(template.metadata?.annotations ?? {}) },
      ownerReferences: [controllerReference(pool)],
    },
    spec,
  };
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
      labelSelector: formatSelector(pool.spec.selector),
    };
    if (!containsSubset(pool.status, status)) {
      await this.client.mergePatch(VirtualMachinePools, req.namespace, req.name, { status }, { subresource: 'status' }).catch((err: unknown) => {
        if (!isNotFound(err)) throw err;
      });
    }
  }

  /** A member whose spec differs from the template gets the template's (with its own DataVolume names). */
  private async updateMember(pool: VirtualMachinePool, vm: KubeVirtVirtualMachine): Promise<void> {
    const want = poolMember(pool, indexOf(pool, vm)).spec;
    if (deepEqual(vm.spec, want)) return;
    await this.client.update(KubeVirtVirtualMachines, { ...vm, spec: want }).catch((err: unknown) => {
      // A newer member or a deleted one: the next pass sees it.
      if (!isNotFound(err) && !isConflict(err)) throw err;
    });
  }
}
