// A group's members off a node being drained, one at a time (pure). The
// members' eviction strategy is External: KubeVirt refuses the eviction of
// their launcher pods and marks each VMI for evacuation
// (status.evacuationNodeName), and leaves the move to Stratus. The next
// member goes only once no member is moving and every member is ready: one
// that can live-migrate moves; one that cannot restarts on another node
// (evictionStrategy LiveMigrateIfPossible) or keeps its node and holds the
// drain (LiveMigrate).
import type { VirtualMachine } from '../../pkg/api/types.generated.js';
import { conditionOf, hasCondition, isMigrationFinal, isVmiMigrating, type VirtualMachineInstance, type VirtualMachineInstanceMigration } from '../../pkg/contracts/kubevirt/index.js';

export interface DrainPlan {
  /** The member to migrate now. */
  migrate?: { vmi: VirtualMachineInstance; node: string };
  /** The member to restart now, and why. */
  restart?: { vmi: string; why: string };
  /** Members that cannot move and keep their node (LiveMigrate), with KubeVirt's reason. */
  held: { vmi: string; why: string }[];
  /** While members are being drained: how far. */
  progress?: string;
}

const memberIndex = (name: string): number => Number(/-(\d+)$/.exec(name)?.[1] ?? Number.NaN);

/** Members marked for evacuation that are still on the node being drained. */
export function evacuating(vmis: VirtualMachineInstance[]): VirtualMachineInstance[] {
  return vmis
    .filter((v) => !v.metadata.deletionTimestamp && v.status?.evacuationNodeName && v.status.evacuationNodeName === v.status.nodeName)
    .sort((a, b) => memberIndex(a.metadata.name!) - memberIndex(b.metadata.name!));
}

/** `vmis`: the live VMIs of the group's `members` members; `migrations`: theirs. */
export function planGroupDrain(vm: VirtualMachine, members: number, vmis: VirtualMachineInstance[], migrations: VirtualMachineInstanceMigration[]): DrainPlan {
  const plan: DrainPlan = { held: [] };
  const marked = evacuating(vmis);
  if (!marked.length) return plan;
  const holds = vm.spec.evictionStrategy === 'LiveMigrate';
  const movable: VirtualMachineInstance[] = [];
  for (const v of marked) {
    const migratable = conditionOf(v, 'LiveMigratable');
    if (migratable?.status === 'True' || !holds) movable.push(v);
    else plan.held.push({ vmi: v.metadata.name!, why: `${migratable?.reason || 'NotMigratable'}: ${migratable?.message || 'KubeVirt has not found it migratable'}` });
  }
  const node = marked[0]!.status!.evacuationNodeName!;
  const next = movable[0];
  if (next) plan.progress = `draining node ${node}: ${movable.length} VMs to move`;
  const settled =
    vmis.length === members &&
    !migrations.some((m) => !isMigrationFinal(m)) &&
    vmis.every((v) => !v.metadata.deletionTimestamp && v.status?.phase === 'Running' && hasCondition(v, 'Ready') && !isVmiMigrating(v));
  if (!next || !settled) return plan;
  if (hasCondition(next, 'LiveMigratable')) plan.migrate = { vmi: next, node };
  else {
    const why = conditionOf(next, 'LiveMigratable');
    plan.restart = { vmi: next.metadata.name!, why: `node ${node} is being drained and ${next.metadata.name} cannot live-migrate (${why?.reason || 'NotMigratable'}: ${why?.message || 'KubeVirt has not found it migratable'})` };
  }
  return plan;
}
