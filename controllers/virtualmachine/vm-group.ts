// A group of identical VMs: a KubeVirt VirtualMachinePool whose members lease
// addresses from the group's pool on each Network (DHCP in the guest), and
// restart member by member (group-restart.ts).
import type { VirtualMachine } from '../../pkg/api/types.generated.js';
import {
  KubeVirtVirtualMachineInstances,
  KubeVirtVirtualMachines,
  VirtualMachinePools,
  type VirtualMachine as KubeVirtVirtualMachine,
  type VirtualMachineInstance,
  type VirtualMachinePool,
} from '../../pkg/contracts/kubevirt/index.js';
import type { Pod } from '../../pkg/kube/core-types.js';
import { Pods } from '../../pkg/kube/resources.js';
import { isControlledBy } from '../../pkg/meta/object.js';
import type { Cache } from '../../pkg/runtime/cache/cache.js';
import type { Client } from '../../pkg/runtime/client/client.js';
import type { ReconcileContext } from '../../pkg/runtime/controller/types.js';
import type { EventRecorder } from '../../pkg/runtime/events/recorder.js';
import type { IpAllocator } from '../ipam/allocator.js';
import { AddressPools } from '../ipam/pools.js';
import {applyChild } from '../shared/children.js';
import { childLabels } from '../shared/labels.js';
import { stuck, Stuck, waiting, Waiting } from '../shared/problems.js';
import type { ResolvedInterface } from './addressing.js';
import { desiredPool, groupSelector } from './desired.js';
import { planGroupRestart } from './group-restart.js';
import type { Resolved } from './resolve.js';
import { applySecrets, applyService, type VmShape } from './shape.js';
import type { VmObservation } from './status.js';

export class VmGroup implements VmShape {
  private readonly pools: AddressPools;

  constructor(
    private readonly client: Client,
    private readonly cache: Cache,
    allocator: IpAllocator,
    private readonly events: EventRecorder,
  ) {
    this.pools = new AddressPools(client, cache, allocator);
  }

  async apply(vm: VirtualMachine, resolved: Resolved, o: VmObservation): Promise<boolean> {
    const interfaces = await this.attachPools(vm, resolved, o);
    if (!interfaces) return false;
    const refs = { claims: resolved.claims, image: resolved.image, heldBy: resolved.heldBy, interfaces };
    await applySecrets(this.client, this.cache, vm, refs, 'group');
    await applyChild(this.client, this.cache, VirtualMachinePools, vm, desiredPool(vm, refs));
    await applyService(this.client, this.cache, vm, o);
    return true;
  }

  /** The group's address pools, one per Network, and each interface's attachment; undefined while one is missing. */
  private async attachPools(vm: VirtualMachine, resolved: Resolved, o: VmObservation): Promise<ResolvedInterface[] | undefined> {
    const perMember = new Map<string, number>();
    for (const i of resolved.interfaces) if (i.network) perMember.set(i.network.metadata.name!, (perMember.get(i.network.metadata.name!) ?? 0) + 1);
    const pools = await this.pools.ensure({
      object: vm,
      kind: 'group',
      labels: childLabels('virtualMachine', vm.metadata.name!),
      networks: perMember,
      instances: vm.spec.replicas ?? 0,
      pods: this.cache.list<Pod>(Pods, { namespace: vm.metadata.namespace, labelSelector: groupSelector(vm) }),
    });
    if (pools.statuses.length) o.networks = pools.statuses;
    if (pools.shortage) o.problems.push(stuck(Stuck.AddressesExhausted, pools.shortage));
    const missing = [...pools.waiting];
    const out = resolved.interfaces.map((i): ResolvedInterface => {
      if (!i.network) return { name: i.name, mac: i.mac };
      const network = i.network.metadata.name!;
      const nad = pools.nads.get(network);
      if (!nad && !pools.waiting.length) missing.push(`an address pool on Network ${network}`);
      return { name: i.name, network, mac: i.mac, ...(nad ? { nad: `${vm.metadata.namespace}/${nad}` } : {}) };
    });
    if (missing.length) o.problems.push(waiting(Waiting.Network, `waiting: ${missing.join('; ')}`));
    return missing.length ? undefined : out;
  }

  /** The pool, its members and their instances. */
  observe(vm: VirtualMachine, o: VmObservation): void {
    const ns = vm.metadata.namespace;
    const pool = this.cache.get<VirtualMachinePool>(VirtualMachinePools, ns, vm.metadata.name!);
    o.pool = pool && isControlledBy(pool, vm.metadata.uid) ? pool : undefined;
    o.poolMembers = o.pool ? this.cache.ownedBy<KubeVirtVirtualMachine>(KubeVirtVirtualMachines, o.pool.metadata.uid!) : [];
    const memberUids = new Set(o.poolMembers.map((m) => m.metadata.uid));
    o.memberVmis = this.cache
      .list<VirtualMachineInstance>(KubeVirtVirtualMachineInstances, { namespace: ns, labelSelector: groupSelector(vm) })
      .filter((v) => v.metadata.ownerReferences?.some((r) => r.controller && memberUids.has(r.uid)));
  }

  /** One member at a time, the next only once every member is ready again. */
  async restart(vm: VirtualMachine, o: VmObservation, ctx: ReconcileContext): Promise<void> {
    const plan = planGroupRestart(vm, o.poolMembers ?? [], o.memberVmis ?? [], vm.status?.restartedAt);
    o.pendingChanges = plan.pending;
    if (plan.restartedAt) o.restartedAt = plan.restartedAt;
    o.restarting = plan.progress;
    const vmi = plan.restart && o.memberVmis?.find((v) => v.metadata.name === plan.restart);
    if (!vmi) return;
    if (!(await this.client.deleteExact(KubeVirtVirtualMachineInstances, vmi))) return;
    ctx.log.info('restarting a group member', { member: vmi.metadata.name, reason: plan.reason });
    this.events.event(vm, 'Normal', 'Restarting', `restarting ${vmi.metadata.name}: ${plan.reason}`);
  }
}
