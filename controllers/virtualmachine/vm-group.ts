// A group of identical VMs: a KubeVirt VirtualMachinePool whose members lease
// addresses from the group's pool on each Network (DHCP in the guest),
// restart member by member (group-restart.ts), and move member by member —
// on request, and off a node being drained (group-drain.ts).
import type { VirtualMachine } from '../../pkg/api/types.generated.js';
import {
  KubeVirtVirtualMachineInstances,
  KubeVirtVirtualMachines,
  VirtualMachinePools,
  type VirtualMachine as KubeVirtVirtualMachine,
  type VirtualMachineInstance,
  type VirtualMachinePool,
} from '../../pkg/contracts/kubevirt/index.js';
import type { CachedPod } from '../shared/cached-pod.js';
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
import { changesOf, type Change } from './live-update.js';
import { Mover } from './mover.js';
import { migratabilityOf, unpluggingFrom } from './running.js';
import type { Resolved } from './resolve.js';
import { applySecrets, applyService, type VmShape } from './shape.js';
import type { VmObservation } from './status.js';

const memberIndex = (name: string): number => Number(/-(\d+)$/.exec(name)?.[1] ?? Number.NaN);

export class VmGroup implements VmShape {
  private readonly pools: AddressPools;
  private readonly mover: Mover;

  constructor(
    private readonly client: Client,
    private readonly cache: Cache,
    allocator: IpAllocator,
    private readonly events: EventRecorder,
  ) {
    this.pools = new AddressPools(client, cache, allocator);
    this.mover = new Mover(client, cache, events);
  }

  async apply(vm: VirtualMachine, resolved: Resolved, o: VmObservation): Promise<boolean> {
    const interfaces = await this.attachPools(vm, resolved, o);
    if (!interfaces) return false;
    const live = this.membersOf(vm).memberVmis.filter((v) => !v.metadata.deletionTimestamp);
    const refs = { claims: resolved.claims, image: resolved.image, heldBy: resolved.heldBy, interfaces, unplugging: unpluggingFrom(live, interfaces) };
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
      pods: this.cache.list<CachedPod>(Pods, { namespace: vm.metadata.namespace, labelSelector: groupSelector(vm) }),
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

  /** The pool (if the VM's), its members and their instances. */
  private membersOf(vm: VirtualMachine): { pool?: VirtualMachinePool; poolMembers: KubeVirtVirtualMachine[]; memberVmis: VirtualMachineInstance[] } {
    const ns = vm.metadata.namespace;
    const found = this.cache.get<VirtualMachinePool>(VirtualMachinePools, ns, vm.metadata.name!);
    const pool = found && isControlledBy(found, vm.metadata.uid) ? found : undefined;
    const poolMembers = pool ? this.cache.ownedBy<KubeVirtVirtualMachine>(KubeVirtVirtualMachines, pool.metadata.uid!) : [];
    const memberUids = new Set(poolMembers.map((m) => m.metadata.uid));
    const memberVmis = this.cache
      .list<VirtualMachineInstance>(KubeVirtVirtualMachineInstances, { namespace: ns, labelSelector: groupSelector(vm) })
      .filter((v) => v.metadata.ownerReferences?.some((r) => r.controller && memberUids.has(r.uid)));
    return { pool, poolMembers, memberVmis };
  }

  /** The pool, its members and their instances, what the instances have of the spec, and their migrations. */
  observe(vm: VirtualMachine, o: VmObservation): void {
    Object.assign(o, this.membersOf(vm));
    const live = o.memberVmis!.filter((v) => !v.metadata.deletionTimestamp);
    this.observeChanges(vm, o, live);
    o.migratable = migratabilityOf(live.filter((v) => v.status?.phase === 'Running'));
    this.mover.observe(vm, live, o);
  }

  /** Across the running members: pending if any member needs a restart for it, live once every member has it. */
  private observeChanges(vm: VirtualMachine, o: VmObservation, live: VirtualMachineInstance[]): void {
    const memberVm = new Map((o.poolMembers ?? []).map((m) => [m.metadata.name!, m]));
    const all: Change[] = live.flatMap((v) => changesOf(vm, v, memberVm.get(v.metadata.name!)));
    const fields = [...new Set(all.map((c) => c.field))].sort();
    const stateOf = (field: string) => {
      const states = all.filter((c) => c.field === field).map((c) => c.state);
      return states.includes('pending') ? 'pending' : states.includes('applying') || states.length < live.length ? 'applying' : 'live';
    };
    o.liveUpdates = fields.filter((f) => stateOf(f) === 'live');
    o.applying = fields.filter((f) => stateOf(f) === 'applying');
    o.pendingWhy = [...new Set(all.filter((c) => c.state === 'pending' && c.why).map((c) => c.why!))];
  }

  /** spec.migrateRequestedAt moves every member once, one at a time; a drained node's members leave one at a time. */
  async move(vm: VirtualMachine, o: VmObservation, ctx: ReconcileContext): Promise<void> {
    const live = (o.memberVmis ?? []).filter((v) => !v.metadata.deletionTimestamp).sort((a, b) => memberIndex(a.metadata.name!) - memberIndex(b.metadata.name!));
    await this.mover.move(vm, live, vm.spec.powerState === 'Stopped' ? 0 : (o.poolMembers?.length ?? 0), o, ctx);
    if (vm.spec.evictionStrategy !== 'None') await this.mover.drain(vm, o.poolMembers?.length ?? 0, live, o, ctx);
  }

  /** One member at a time, the next only once every member is ready again. */
  async restart(vm: VirtualMachine, o: VmObservation, ctx: ReconcileContext): Promise<void> {
    const plan = planGroupRestart(vm, o.poolMembers ?? [], o.memberVmis ?? [], vm.status?.restartedAt);
    o.pendingChanges = plan.pending;
    if (plan.restartedAt) o.restartedAt = plan.restartedAt;
    o.restarting = plan.progress;
    const vmi = plan.restart && o.memberVmis?.find((v) => v.metadata.name === plan.restart);
    // One member at a time in every sense: none restarts while one is on the move.
    if (!vmi || o.migrating) return;
    if (!(await this.client.deleteExact(KubeVirtVirtualMachineInstances, vmi))) return;
    ctx.log.info('restarting a group member', { member: vmi.metadata.name, reason: plan.reason });
    this.events.event(vm, 'Normal', 'Restarting', `restarting ${vmi.metadata.name}: ${plan.reason}`);
  }
}
