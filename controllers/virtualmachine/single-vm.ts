// One VM: Stratus gives each interface on a Network an address of its own
// (an IPAllocation, passed to the guest by cloud-init; the attachment has no
// IPAM), writes a KubeVirt VirtualMachine, restarts it once per request and
// moves it once per request; KubeVirt applies what it can live and moves it
// off a drained node itself (its eviction strategy).
import type { VirtualMachine } from '../../pkg/api/types.generated.js';
import {
  KubeVirtVirtualMachineInstances,
  KubeVirtVirtualMachines,
  type VirtualMachine as KubeVirtVirtualMachine,
  type VirtualMachineInstance,
} from '../../pkg/contracts/kubevirt/index.js';
import { Services } from '../../pkg/kube/resources.js';
import { isControlledBy } from '../../pkg/meta/object.js';
import { parseCidr } from '../../pkg/net/ipv4.js';
import type { Cache } from '../../pkg/runtime/cache/cache.js';
import type { Client } from '../../pkg/runtime/client/client.js';
import type { ReconcileContext } from '../../pkg/runtime/controller/types.js';
import type { EventRecorder } from '../../pkg/runtime/events/recorder.js';
import type { IpAllocator } from '../ipam/allocator.js';
import { vmNadName } from '../ipam/attachments.js';
import {applyChild } from '../shared/children.js';
import { stuck, Stuck, waiting, Waiting } from '../shared/problems.js';
import type { ResolvedInterface } from './addressing.js';
import { desiredKubeVirtVm } from './desired.js';
import { changesOf } from './live-update.js';
import { Mover } from './mover.js';
import { migratabilityOf, unpluggingFrom } from './running.js';
import type { Resolved } from './resolve.js';
import { serviceName } from './service.js';
import { applySecrets, applyService, type VmShape } from './shape.js';
import type { VmObservation } from './status.js';
import { restartAnnotation } from './template.js';

export class SingleVm implements VmShape {
  private readonly mover: Mover;

  constructor(
    private readonly client: Client,
    private readonly cache: Cache,
    private readonly allocator: IpAllocator,
    private readonly events: EventRecorder,
  ) {
    this.mover = new Mover(client, cache, events);
  }

  /** The VM's running instance: its VMI, if its KubeVirt VM is ours and the VMI is not going away. */
  private liveVmi(vm: VirtualMachine): VirtualMachineInstance | undefined {
    const ns = vm.metadata.namespace;
    const kv = this.cache.get<KubeVirtVirtualMachine>(KubeVirtVirtualMachines, ns, vm.metadata.name!);
    const vmi = this.cache.get<VirtualMachineInstance>(KubeVirtVirtualMachineInstances, ns, vm.metadata.name!);
    return kv && isControlledBy(kv, vm.metadata.uid) && vmi && isControlledBy(vmi, kv.metadata.uid) && !vmi.metadata.deletionTimestamp ? vmi : undefined;
  }

  async apply(vm: VirtualMachine, resolved: Resolved, o: VmObservation): Promise<boolean> {
    const interfaces = await this.addresses(vm, resolved, o);
    if (!interfaces) return false;
    const live = this.liveVmi(vm);
    const refs = { claims: resolved.claims, image: resolved.image, heldBy: resolved.heldBy, interfaces, unplugging: live ? unpluggingFrom([live], interfaces) : [] };
    await applySecrets(this.client, this.cache, vm, refs, 'single');
    await applyChild(this.client, this.cache, KubeVirtVirtualMachines, vm, desiredKubeVirtVm(vm, refs));
    await applyService(this.client, this.cache, vm, o);
    return true;
  }

  /** Each interface on a Network with its address (allocated, or the fixed one); undefined while one is missing. */
  private async addresses(vm: VirtualMachine, resolved: Resolved, o: VmObservation): Promise<ResolvedInterface[] | undefined> {
    const out: ResolvedInterface[] = [];
    const conflicts: string[] = [];
    const pending: string[] = [];
    const keep = new Set<string>();
    for (const i of resolved.interfaces) {
      if (!i.network) {
        out.push({ name: i.name, mac: i.mac });
        continue;
      }
      const network = i.network.metadata.name!;
      keep.add(`${network}/${i.name}`);
      const result = await this.allocator.ensure(vm, { network, interface: i.name, address: i.ipAddress });
      if ('conflict' in result) conflicts.push(`spec.networks[${i.name}]: ${result.conflict}`);
      else if ('waiting' in result) pending.push(result.waiting);
      else {
        const address = { ip: result.address, prefix: parseCidr(i.network.spec.cidr).prefix, ...(i.network.spec.gateway ? { gateway: i.network.spec.gateway } : {}) };
        out.push({ name: i.name, network, nad: `${vm.metadata.namespace}/${vmNadName(network)}`, mac: i.mac, address });
      }
    }
    if (!pending.length) await this.allocator.release(vm, keep);
    if (conflicts.length) o.problems.push(stuck(Stuck.AddressConflict, conflicts.join('; ')));
    else if (pending.length) o.problems.push(waiting(Waiting.Network, `waiting: ${pending.join('; ')}`));
    return conflicts.length || pending.length ? undefined : out;
  }

  observe(vm: VirtualMachine, o: VmObservation): void {
    const ns = vm.metadata.namespace;
    const kv = this.cache.get<KubeVirtVirtualMachine>(KubeVirtVirtualMachines, ns, vm.metadata.name!);
    o.kubevirtVm = kv && isControlledBy(kv, vm.metadata.uid) ? kv : undefined;
    const vmi = this.cache.get<VirtualMachineInstance>(KubeVirtVirtualMachineInstances, ns, vm.metadata.name!);
    o.vmi = vmi && o.kubevirtVm && isControlledBy(vmi, o.kubevirtVm.metadata.uid) ? vmi : undefined;
    if (!o.serviceName && vm.spec.ports?.length && this.cache.get(Services, ns, serviceName(vm))) o.serviceName = serviceName(vm);
    const live = o.vmi && !o.vmi.metadata.deletionTimestamp ? o.vmi : undefined;
    const changes = live ? changesOf(vm, live, o.kubevirtVm) : [];
    o.pendingChanges = changes.filter((c) => c.state === 'pending').map((c) => c.field);
    o.pendingWhy = changes.filter((c) => c.state === 'pending' && c.why).map((c) => c.why!);
    o.liveUpdates = changes.filter((c) => c.state === 'live').map((c) => c.field);
    o.applying = changes.filter((c) => c.state === 'applying').map((c) => c.field);
    o.migratable = live?.status?.phase === 'Running' ? migratabilityOf([live]) : undefined;
    this.mover.observe(vm, live ? [live] : [], o);
  }

  /** Moves the VM once per spec.migrateRequestedAt. */
  async move(vm: VirtualMachine, o: VmObservation, ctx: ReconcileContext): Promise<void> {
    const live = o.vmi && !o.vmi.metadata.deletionTimestamp ? o.vmi : undefined;
    await this.mover.move(vm, live ? [live] : [], 1, o, ctx);
  }

  /**
   * A new restartRequestedAt, or pending changes under updatePolicy
   * Automatic, restart the VM once: deleting the VMI makes KubeVirt start a
   * fresh one from the template, which carries the request's value, so the
   * restart is recognised as done even after a controller crash.
   */
  async restart(vm: VirtualMachine, o: VmObservation, ctx: ReconcileContext): Promise<void> {
    // Only a live VMI tells: the cached one may be the previous instance, still being deleted,
    // while KubeVirt already runs a new one that the cache has not shown yet.
    const vmi = o.vmi && !o.vmi.metadata.deletionTimestamp ? o.vmi : undefined;
    const requested = vm.spec.restartRequestedAt;
    const wantRunning = vm.spec.powerState === 'Running';
    let reason: string | undefined;
    if (requested && requested !== vm.status?.restartedAt) {
      if (!wantRunning || vmi?.metadata.annotations?.[restartAnnotation] === requested) o.restartedAt = requested;
      else if (vmi) reason = `restart requested at ${requested}`;
    }
    if (!reason && vmi && wantRunning && vm.spec.updatePolicy === 'Automatic' && o.pendingChanges.length) {
      reason = `applying ${o.pendingChanges.join(', ')} (updatePolicy Automatic)`;
    }
    // With no live VMI yet, the next one's arrival brings the VM back here; a VM on the move restarts once it arrived.
    if (!reason || !vmi || o.migrating) return;
    if (!(await this.client.deleteExact(KubeVirtVirtualMachineInstances, vmi))) return;
    ctx.log.info('restarting', { reason });
    this.events.event(vm, 'Normal', 'Restarting', `restarting: ${reason}`);
  }
}
