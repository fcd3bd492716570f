// Moving a VM's instances, for both shapes: requested moves
// (spec.migrateRequestedAt, moves.ts) — each VMI's migration created once,
// named after the request and held by a finalizer until status.migratedAt
// records the request — and a group's members off a node being drained
// (group-drain.ts); plus what the status says of its migrations.
import type { VirtualMachine } from '../../pkg/api/types.generated.js';
import {
  isMigrationFinal,
  KubeVirtVirtualMachineInstances,
  VirtualMachineInstanceMigrations,
  type VirtualMachineInstance,
  type VirtualMachineInstanceMigration,
} from '../../pkg/contracts/kubevirt/index.js';
import { isAlreadyExists, isConflict, isNotFound } from '../../pkg/runtime/client/api-error.js';
import type { Cache } from '../../pkg/runtime/cache/cache.js';
import type { Client } from '../../pkg/runtime/client/client.js';
import { removeFinalizer } from '../../pkg/runtime/client/finalizers.js';
import type { ReconcileContext } from '../../pkg/runtime/controller/types.js';
import type { EventRecorder } from '../../pkg/runtime/events/recorder.js';
import { labelKeys } from '../shared/labels.js';
import { unseenWritesOf } from '../shared/unseen-writes.js';
import { planGroupDrain } from './group-drain.js';
import { desiredMove, drainMove, drainNodeAnnotation, latestMigration, migrationProgress, moveFinalizer, moveRequestAnnotation } from './migration.js';
import { planMoves } from './moves.js';
import type { VmObservation } from './status.js';

export class Mover {
  constructor(
    private readonly client: Client,
    private readonly cache: Cache,
    private readonly events: EventRecorder,
  ) {}

  /** The migrations of the VM's VMIs (by name), and those Stratus made for it. */
  private migrationsOf(vm: VirtualMachine, vmiNames: Set<string>): VirtualMachineInstanceMigration[] {
    return this.cache
      .list<VirtualMachineInstanceMigration>(VirtualMachineInstanceMigrations, { namespace: vm.metadata.namespace })
      .filter((m) => vmiNames.has(m.spec.vmiName ?? '') || m.metadata.labels?.[labelKeys.virtualMachine] === vm.metadata.name);
  }

  /** status.migration and, while one runs, what it does; the previous status stays when KubeVirt kept no migration. */
  observe(vm: VirtualMachine, vmis: VirtualMachineInstance[], o: VmObservation): void {
    const byName = new Map(vmis.map((v) => [v.metadata.name!, v]));
    const latest = latestMigration(this.migrationsOf(vm, new Set(byName.keys())), byName, vm.spec.replicas !== undefined);
    o.migration = latest ?? vm.status?.migration;
    if (latest && latest.phase !== 'Succeeded' && latest.phase !== 'Failed') o.migrating = migrationProgress(latest);
  }

  /** Carries out spec.migrateRequestedAt: one VMI at a time, each once. */
  async move(vm: VirtualMachine, vmis: VirtualMachineInstance[], expected: number, o: VmObservation, ctx: ReconcileContext): Promise<void> {
    const migrations = this.migrationsOf(vm, new Set(vmis.map((v) => v.metadata.name!)));
    await this.release(vm, migrations);
    const plan = planMoves(vm, vmis, expected, migrations, vm.status?.migratedAt);
    if (plan.movedAt) {
      o.migratedAt = plan.movedAt;
      for (const c of plan.cannot) this.events.event(vm, 'Warning', 'CannotMigrate', `${c.vmi} stays on its node: it cannot live-migrate (${c.why})`);
      return;
    }
    if (plan.progress && !o.migrating) o.migrating = plan.progress;
    if (!plan.create) return;
    if (await this.create(desiredMove(vm, plan.create, vm.spec.migrateRequestedAt!))) {
      ctx.log.info('moving', { vmi: plan.create, requestedAt: vm.spec.migrateRequestedAt });
      this.events.event(vm, 'Normal', 'Migrating', `moving ${plan.create} to another node, live (requested at ${vm.spec.migrateRequestedAt})`);
    }
  }

  /**
   * Creates a migration unless this one was created already: by this
   * process and not yet in the cache (KubeVirt's admission would refuse a
   * second create of it as another migration in flight before the apiserver
   * could say it exists), or found to exist. Returns whether it created it.
   */
  private async create(m: VirtualMachineInstanceMigration): Promise<boolean> {
    const unseen = unseenWritesOf(this.cache);
    if (unseen.unseen(VirtualMachineInstanceMigrations, m, m.metadata.name!)) return false;
    try {
      unseen.wrote(VirtualMachineInstanceMigrations, await this.client.create(VirtualMachineInstanceMigrations, m), m.metadata.name!);
      return true;
    } catch (err) {
      // Made before (the cache had not shown it yet): it exists, once.
      if (!isAlreadyExists(err)) throw err;
      return false;
    }
  }

  /**
   * Lets go of requested moves' migrations once the status records their
   * request, or once they finished for a request no longer asked for. Not
   * sooner, even when KubeVirt already deletes one (it keeps the newest five
   * finished migrations of a VMI): until the record is written, the
   * migration is the only sign the move happened, and without it the next
   * reconcile would move the VM again.
   */
  private async release(vm: VirtualMachine, migrations: VirtualMachineInstanceMigration[]): Promise<void> {
    for (const m of migrations) {
      const request = m.metadata.annotations?.[moveRequestAnnotation];
      if (!request || !m.metadata.finalizers?.includes(moveFinalizer)) continue;
      const recorded = vm.status?.migratedAt === request;
      const superseded = vm.spec.migrateRequestedAt !== request && isMigrationFinal(m);
      if (recorded || superseded) await releaseMove(this.client, m);
    }
  }

  /** A group's members off a node being drained, one at a time. */
  async drain(vm: VirtualMachine, members: number, vmis: VirtualMachineInstance[], o: VmObservation, ctx: ReconcileContext): Promise<void> {
    const migrations = this.migrationsOf(vm, new Set(vmis.map((v) => v.metadata.name!)));
    const plan = planGroupDrain(vm, members, vmis, migrations);
    o.heldOnDrain = plan.held;
    if (plan.progress && !o.migrating) o.migrating = plan.progress;
    if (plan.migrate) {
      const member = plan.migrate.vmi.metadata.name;
      const failed = migrations.filter((m) => m.spec.vmiName === member && m.status?.phase === 'Failed' && m.metadata.annotations?.[drainNodeAnnotation] === plan.migrate!.node).length;
      if (await this.create(drainMove(vm, plan.migrate.vmi, plan.migrate.node, failed))) {
        ctx.log.info('moving a group member off a draining node', { member, node: plan.migrate.node });
        this.events.event(vm, 'Normal', 'Evacuating', `moving ${member} off node ${plan.migrate.node}, which is being drained`);
      }
    }
    if (plan.restart) {
      const vmi = vmis.find((v) => v.metadata.name === plan.restart!.vmi)!;
      if (!(await this.client.deleteExact(KubeVirtVirtualMachineInstances, vmi))) return;
      ctx.log.info('restarting a group member off a draining node', { member: plan.restart.vmi });
      this.events.event(vm, 'Normal', 'Restarting', `restarting ${plan.restart.vmi} on another node: ${plan.restart.why}`);
    }
  }
}

/** Takes Stratus's finalizer off a requested move's migration (a conflict retries with the next event). */
export async function releaseMove(client: Client, m: VirtualMachineInstanceMigration): Promise<void> {
  await removeFinalizer(client, VirtualMachineInstanceMigrations, m, moveFinalizer).catch((err: unknown) => {
    if (!isNotFound(err) && !isConflict(err)) throw err;
  });
}

/** A deleted VM's requested moves: their migrations go with it (garbage collection) once Stratus lets go of them. */
export async function releaseMoves(client: Client, cache: Cache, vm: { namespace?: string; name: string }): Promise<void> {
  const mine = cache.list<VirtualMachineInstanceMigration>(VirtualMachineInstanceMigrations, { namespace: vm.namespace, labelSelector: { matchLabels: { [labelKeys.virtualMachine]: vm.name } } });
  for (const m of mine) if (m.metadata.finalizers?.includes(moveFinalizer)) await releaseMove(client, m);
}
