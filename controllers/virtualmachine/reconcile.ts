// VirtualMachine reconcile: resolve Volumes and Networks (waiting for them),
// allocate addresses, write the KubeVirt objects, carry out restarts, and
// report status.
import { Networks, VirtualMachines, Volumes } from '../../pkg/api/resources.js';
import type { Network, VirtualMachine, Volume } from '../../pkg/api/types.generated.js';
import type { Pod } from '../../pkg/kube/core-types.js';
import { Pods, Secrets, Services } from '../../pkg/kube/resources.js';
import {
  KubeVirtVirtualMachineInstances,
  KubeVirtVirtualMachines,
  VirtualMachinePools,
  type VirtualMachine as KubeVirtVirtualMachine,
  type VirtualMachineInstance,
  type VirtualMachinePool,
} from '../../pkg/contracts/kubevirt/index.js';
import { parseCidr } from '../../pkg/net/ipv4.js';
import { isConflict, isNotFound } from '../../pkg/runtime/client/api-error.js';
import type { Cache } from '../../pkg/runtime/cache/cache.js';
import type { Client } from '../../pkg/runtime/client/client.js';
import { writeStatus } from '../../pkg/runtime/client/status-writer.js';
import { isTrue } from '../../pkg/runtime/conditions/conditions.js';
import type { ReconcileContext, Reconciler, Request } from '../../pkg/runtime/controller/types.js';
import type { EventRecorder } from '../../pkg/runtime/events/recorder.js';
import { isControlledBy } from '../../pkg/runtime/object.js';
import type { IpAllocator } from '../network/allocator.js';
import { vmNadName } from '../network/nad.js';
import { AddressPools } from '../shared/address-pools.js';
import { applyChild, ChildConflictError, deleteExact } from '../shared/children.js';
import { childLabels } from '../shared/labels.js';
import { volumesOfVm } from '../shared/references.js';
import { interfacesOf, stableMac, type ResolvedInterface } from './addressing.js';
import {
  cloudInitSecretName,
  desiredCloudInitSecret,
  desiredKubeVirtVm,
  desiredPool,
  desiredService,
  desiredSshSecret,
  groupSelector,
  restartAnnotation,
  serviceName,
  sshSecretName,
  type ResolvedReferences,
} from './desired.js';
import { planGroupRestart } from './group-restart.js';
import { pendingChanges } from './pending.js';
import { vmStatus, type VmObservation } from './status.js';

export class VirtualMachineReconciler implements Reconciler {
  private readonly pools: AddressPools;

  constructor(
    private readonly client: Client,
    private readonly cache: Cache,
    private readonly allocator: IpAllocator,
    private readonly events: EventRecorder,
    private readonly now: () => number = Date.now,
  ) {
    this.pools = new AddressPools(client, cache, allocator);
  }

  async reconcile(req: Request, ctx: ReconcileContext): Promise<void> {
    const vm = this.cache.get<VirtualMachine>(VirtualMachines, req.namespace, req.name);
    // Children and address allocations go with the VM through their owner references.
    if (!vm || vm.metadata.deletionTimestamp) return;
    const group = vm.spec.replicas !== undefined;
    const o: VmObservation = { pendingChanges: [], restartedAt: vm.status?.restartedAt, now: this.now() };

    const claims = this.resolveVolumes(vm, o);
    const interfaces = await this.resolveInterfaces(vm, group, o);
    if (!o.waiting && !o.blocked) {
      try {
        await this.applyChildren(vm, { claims, interfaces: interfaces! }, group, o);
      } catch (err) {
        if (!(err instanceof ChildConflictError)) throw err;
        o.blocked = { reason: 'ChildConflict', message: err.message };
      }
    }
    this.observe(vm, group, o);
    if (!o.waiting && !o.blocked) {
      if (group) await this.restartGroupIfAsked(vm, o, ctx);
      else await this.restartIfAsked(vm, o, ctx);
    }
    await writeStatus(this.client, VirtualMachines, vm, vmStatus(vm, o));
  }

  /** Volume → claim; records what it waits for. */
  private resolveVolumes(vm: VirtualMachine, o: VmObservation): Map<string, string> {
    const claims = new Map<string, string>();
    const waiting: string[] = [];
    for (const name of volumesOfVm(vm)) {
      const volume = this.cache.get<Volume>(Volumes, vm.metadata.namespace, name);
      if (!volume) waiting.push(`Volume ${name} does not exist`);
      else if (!isTrue(volume.status?.conditions, 'Ready')) {
        waiting.push(`Volume ${name} is ${volume.status?.phase ?? 'not ready'}${volume.status?.progress ? ` (${volume.status.progress})` : ''}`);
      } else claims.set(name, volume.status?.claimName ?? name);
    }
    if (waiting.length) o.waiting = { reason: 'WaitingForVolume', message: `waiting: ${waiting.join('; ')}` };
    return claims;
  }

  /** Networks → attachment definitions and (for single VMs) allocated addresses. */
  private async resolveInterfaces(vm: VirtualMachine, group: boolean, o: VmObservation): Promise<ResolvedInterface[] | undefined> {
    const resolved: ResolvedInterface[] = [];
    const waiting: string[] = [];
    const conflicts: string[] = [];
    const keep = new Set<string>();
    for (const iface of interfacesOf(vm)) {
      const mac = iface.macAddress?.toLowerCase() ?? stableMac(vm.metadata.uid!, iface.name);
      if (!iface.network) {
        resolved.push({ name: iface.name, mac });
        continue;
      }
      const network = this.cache.get<Network>(Networks, vm.metadata.namespace, iface.network);
      const nad = network?.status?.networkAttachmentDefinition;
      if (!network || !nad || !isTrue(network.status?.conditions, 'Ready')) {
        waiting.push(`Network ${iface.network} ${network ? 'is not Ready' : 'does not exist'}`);
        continue;
      }
      // A single VM's address is Stratus's (cloud-init), so its attachment has no IPAM;
      // group members lease one of the group's pool (DHCP in the guest), attached below.
      const entry: ResolvedInterface = { name: iface.name, network: iface.network, nad: group ? undefined : `${vm.metadata.namespace}/${vmNadName(iface.network)}`, mac };
      if (!group) {
        keep.add(`${iface.network}/${iface.name}`);
        const result = await this.allocator.ensure(vm, { network: iface.network, interface: iface.name, address: iface.ipAddress });
        if ('conflict' in result) conflicts.push(`spec.networks[${iface.name}]: ${result.conflict}`);
        else if ('waiting' in result) waiting.push(result.waiting);
        else entry.address = { ip: result.address, prefix: parseCidr(network.spec.cidr).prefix, gateway: network.spec.gateway };
      }
      resolved.push(entry);
    }
    if (!group && !waiting.length) await this.allocator.release(vm, keep);
    if (group && !waiting.length) waiting.push(...(await this.attachPools(vm, resolved, o)));
    if (conflicts.length) o.blocked = { reason: 'AddressConflict', message: conflicts.join('; ') };
    else if (waiting.length && !o.waiting) o.waiting = { reason: 'WaitingForNetwork', message: `waiting: ${waiting.join('; ')}` };
    return waiting.length || conflicts.length ? undefined : resolved;
  }

  /** A group's address pools, one per Network; what they wait for. */
  private async attachPools(vm: VirtualMachine, interfaces: ResolvedInterface[], o: VmObservation): Promise<string[]> {
    const perMember = new Map<string, number>();
    for (const i of interfaces) if (i.network) perMember.set(i.network, (perMember.get(i.network) ?? 0) + 1);
    const pools = await this.pools.ensure({
      object: vm,
      kind: 'group',
      labels: childLabels('virtualMachine', vm.metadata.name!),
      networks: perMember,
      instances: vm.spec.replicas ?? 0,
      pods: this.cache.list<Pod>(Pods, { namespace: vm.metadata.namespace, labelSelector: groupSelector(vm) }),
    });
    if (pools.statuses.length) o.networks = pools.statuses;
    o.shortage = pools.shortage;
    const waiting = [...pools.waiting];
    for (const i of interfaces) {
      if (!i.network) continue;
      const nad = pools.nads.get(i.network);
      if (nad) i.nad = `${vm.metadata.namespace}/${nad}`;
      else if (!pools.waiting.length) waiting.push(`an address pool on Network ${i.network}`);
    }
    return waiting;
  }

  private async applyChildren(vm: VirtualMachine, refs: ResolvedReferences, group: boolean, o: VmObservation): Promise<void> {
    // The Secrets first: KubeVirt reads them when the VM starts.
    for (const [name, secret] of [
      [sshSecretName(vm), desiredSshSecret(vm)],
      [cloudInitSecretName(vm), desiredCloudInitSecret(vm, refs)],
    ] as const) {
      if (secret) await applyChild(this.client, this.cache, Secrets, vm, secret);
      else await this.deleteOwned(vm, Secrets, name);
    }
    if (group) await applyChild(this.client, this.cache, VirtualMachinePools, vm, desiredPool(vm, refs));
    else await applyChild(this.client, this.cache, KubeVirtVirtualMachines, vm, desiredKubeVirtVm(vm, refs));
    const service = desiredService(vm);
    if (service) {
      await applyChild(this.client, this.cache, Services, vm, service);
      o.serviceName = serviceName(vm);
    } else await this.deleteOwned(vm, Services, serviceName(vm));
  }

  private async deleteOwned(vm: VirtualMachine, type: typeof Services, name: string): Promise<void> {
    const existing = this.cache.get(type, vm.metadata.namespace, name);
    if (existing && isControlledBy(existing, vm.metadata.uid)) await deleteExact(this.client, type, existing);
  }

  /** Reads back what KubeVirt reports. */
  private observe(vm: VirtualMachine, group: boolean, o: VmObservation): void {
    const ns = vm.metadata.namespace;
    if (group) {
      const pool = this.cache.get<VirtualMachinePool>(VirtualMachinePools, ns, vm.metadata.name!);
      o.pool = pool && isControlledBy(pool, vm.metadata.uid) ? pool : undefined;
      o.poolMembers = o.pool ? this.cache.ownedBy<KubeVirtVirtualMachine>(KubeVirtVirtualMachines, o.pool.metadata.uid!) : [];
      const memberUids = new Set(o.poolMembers.map((m) => m.metadata.uid));
      o.memberVmis = this.cache
        .list<VirtualMachineInstance>(KubeVirtVirtualMachineInstances, { namespace: ns, labelSelector: groupSelector(vm) })
        .filter((v) => v.metadata.ownerReferences?.some((r) => r.controller && memberUids.has(r.uid)));
      return;
    }
    const kv = this.cache.get<KubeVirtVirtualMachine>(KubeVirtVirtualMachines, ns, vm.metadata.name!);
    o.kubevirtVm = kv && isControlledBy(kv, vm.metadata.uid) ? kv : undefined;
    const vmi = this.cache.get<VirtualMachineInstance>(KubeVirtVirtualMachineInstances, ns, vm.metadata.name!);
    o.vmi = vmi && o.kubevirtVm && isControlledBy(vmi, o.kubevirtVm.metadata.uid) ? vmi : undefined;
    if (!o.serviceName && this.cache.get(Services, ns, serviceName(vm))) o.serviceName = vm.spec.ports?.length ? serviceName(vm) : undefined;
    o.pendingChanges = o.vmi && !o.vmi.metadata.deletionTimestamp ? pendingChanges(vm, o.vmi) : [];
  }

  /** A group restarts member by member (group-restart.ts). */
  private async restartGroupIfAsked(vm: VirtualMachine, o: VmObservation, ctx: ReconcileContext): Promise<void> {
    const plan = planGroupRestart(vm, o.poolMembers ?? [], o.memberVmis ?? [], vm.status?.restartedAt);
    o.pendingChanges = plan.pending;
    if (plan.restartedAt) o.restartedAt = plan.restartedAt;
    o.restarting = plan.progress;
    const vmi = plan.restart && o.memberVmis?.find((v) => v.metadata.name === plan.restart);
    if (!vmi) return;
    try {
      await this.client.delete(KubeVirtVirtualMachineInstances, vmi.metadata.namespace, vmi.metadata.name!, { preconditions: { uid: vmi.metadata.uid } });
      ctx.log.info('restarting a group member', { member: vmi.metadata.name, reason: plan.reason });
      this.events.event(vm, 'Normal', 'Restarting', `restarting ${vmi.metadata.name}: ${plan.reason}`);
    } catch (err) {
      if (!isNotFound(err) && !isConflict(err)) throw err;
    }
  }

  /**
   * A new restartRequestedAt, or pending changes under updatePolicy
   * Automatic, restart the VM once: deleting the VMI makes KubeVirt start a
   * fresh one from the template, which carries the request's value, so the
   * restart is recognised as done even after a controller crash.
   */
  private async restartIfAsked(vm: VirtualMachine, o: VmObservation, ctx: ReconcileContext): Promise<void> {
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
    // With no live VMI yet, the next one's arrival brings the VM back here.
    if (!reason || !vmi) return;
    try {
      await this.client.delete(KubeVirtVirtualMachineInstances, vmi.metadata.namespace, vmi.metadata.name!, { preconditions: { uid: vmi.metadata.uid } });
      ctx.log.info('restarting', { reason });
      this.events.event(vm, 'Normal', 'Restarting', `restarting: ${reason}`);
    } catch (err) {
      if (!isNotFound(err) && !isConflict(err)) throw err;
    }
  }
}
