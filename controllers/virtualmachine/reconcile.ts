// VirtualMachine reconcile: resolve the Volumes and Networks the spec names
// (the same for both shapes), hand over to the shape — one VM or a group —
// and report status.
import { VirtualMachines } from '../../pkg/api/resources.js';
import type { VirtualMachine } from '../../pkg/api/types.generated.js';
import type { Cache } from '../../pkg/runtime/cache/cache.js';
import type { Client } from '../../pkg/runtime/client/client.js';
import { SettlingStatusWriter } from '../../pkg/runtime/client/status-writer.js';
import type { ReconcileContext, Reconciler, Request, Result } from '../../pkg/runtime/controller/types.js';
import type { EventRecorder } from '../../pkg/runtime/events/recorder.js';
import type { IpAllocator } from '../ipam/allocator.js';
import { ChildConflictError } from '../shared/children.js';
import { stuck, Stuck } from '../shared/problems.js';
import { dayTwoEvents } from './day-two-events.js';
import { releaseMoves } from './mover.js';
import { resolve } from './resolve.js';
import type { VmShape } from './shape.js';
import { SingleVm } from './single-vm.js';
import { vmStatus, type VmObservation } from './status.js';
import { VmGroup } from './vm-group.js';

export class VirtualMachineReconciler implements Reconciler {
  private readonly single: VmShape;
  private readonly group: VmShape;
  private readonly statuses: SettlingStatusWriter;

  constructor(
    private readonly client: Client,
    private readonly cache: Cache,
    allocator: IpAllocator,
    private readonly events: EventRecorder,
    private readonly now: () => number = Date.now,
  ) {
    this.statuses = new SettlingStatusWriter(client);
    this.single = new SingleVm(client, cache, allocator, events);
    this.group = new VmGroup(client, cache, allocator, events);
  }

  async reconcile(req: Request, ctx: ReconcileContext): Promise<Result | void> {
    const vm = this.cache.get<VirtualMachine>(VirtualMachines, req.namespace, req.name);
    // Children and address allocations go with the VM through their owner references; its requested moves' migrations once let go.
    if (!vm) return releaseMoves(this.client, this.cache, req);
    if (vm.metadata.deletionTimestamp) return;
    const o: VmObservation = { problems: [], pendingChanges: [], restartedAt: vm.status?.restartedAt, migratedAt: vm.status?.migratedAt, now: this.now() };
    const shape = vm.spec.replicas === undefined ? this.single : this.group;
    const resolved = resolve(this.cache, vm);
    let applied = false;
    if ('problem' in resolved) o.problems.push(resolved.problem);
    else {
      o.heldBy = resolved.heldBy;
      try {
        applied = await shape.apply(vm, resolved, o);
      } catch (err) {
        if (!(err instanceof ChildConflictError)) throw err;
        o.problems.push(stuck(Stuck.ChildConflict, err.message));
      }
    }
    shape.observe(vm, o);
    if (applied) {
      await shape.restart(vm, o, ctx);
      await shape.move(vm, o, ctx);
    }
    const status = vmStatus(vm, o);
    const result = await this.statuses.write(VirtualMachines, vm, status);
    // Said once, with the status that tells it (a status change that waits is told when written).
    if (result.written) for (const e of dayTwoEvents(vm.status, status)) this.events.event(vm, e.type, e.reason, e.note);
    return result;
  }
}
