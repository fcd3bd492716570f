// Carrying out spec.migrateRequestedAt (pure): each running VMI of the VM —
// one, or a group's members in order — moves once through a migration named
// after the request, one at a time: the next only when the previous has
// finished and every instance is ready again, and none while KubeVirt moves
// one for another reason. A VMI that cannot live-migrate is not asked to
// (KubeVirt's admission would refuse it); the request is done when every VMI
// moved or could not.
import type { VirtualMachine } from '../../pkg/api/types.generated.js';
import { conditionOf, hasCondition, isMigrationFinal, isVmiMigrating, type VirtualMachineInstance, type VirtualMachineInstanceMigration } from '../../pkg/contracts/kubevirt/index.js';
import { moveName } from './migration.js';

export interface MovePlan {
  /** The VMI whose migration to create now. */
  create?: string;
  /** Set when the request has been carried out for every VMI. */
  movedAt?: string;
  /** VMIs that cannot move, and KubeVirt's reason. */
  cannot: { vmi: string; why: string }[];
  /** While the request is carried out: how far. */
  progress?: string;
}

/**
 * `vmis`: the VM's live VMIs in order, of `expected` (1, or a group's
 * replicas); `migrations`: every migration of them; `recordedAt`:
 * status.migratedAt.
 */
export function planMoves(vm: VirtualMachine, vmis: VirtualMachineInstance[], expected: number, migrations: VirtualMachineInstanceMigration[], recordedAt: string | undefined): MovePlan {
  const requested = vm.spec.migrateRequestedAt;
  const plan: MovePlan = { cannot: [] };
  if (!requested || requested === recordedAt) return plan;
  if (vm.spec.powerState === 'Stopped') return { ...plan, movedAt: requested };
  if (vmis.length < expected) return { ...plan, progress: `waiting for ${expected - vmis.length} of ${expected} VMs to run before moving them` };
  const byName = new Map(migrations.map((m) => [m.metadata.name!, m]));
  const busy = migrations.some((m) => !isMigrationFinal(m)) || vmis.some((v) => v.status?.phase !== 'Running' || !hasCondition(v, 'Ready') || isVmiMigrating(v));
  let moved = 0;
  for (const vmi of vmis) {
    const mine = byName.get(moveName(vmi.metadata.name!, requested));
    if (mine && isMigrationFinal(mine)) {
      moved++;
      continue;
    }
    if (mine) return { ...plan, progress: `moving ${vmi.metadata.name} (${moved}/${vmis.length} moved): ${mine.status?.phase || 'Pending'}` };
    const migratable = conditionOf(vmi, 'LiveMigratable');
    if (migratable?.status === 'False') {
      plan.cannot.push({ vmi: vmi.metadata.name!, why: `${migratable.reason}: ${migratable.message}` });
      continue;
    }
    if (busy || !migratable) return { ...plan, progress: `waiting to move ${vmi.metadata.name} (${moved}/${vmis.length} moved)` };
    return { ...plan, create: vmi.metadata.name, progress: `moving ${vmi.metadata.name} (${moved}/${vmis.length} moved)` };
  }
  return { ...plan, movedAt: requested };
}
