// Restarts of a VM group, one member at a time (pure): a new
// restartRequestedAt, or, under updatePolicy Automatic, restart-relevant
// changes the running members were not started with. A member restarts when
// its VMI is deleted: KubeVirt starts a fresh one from the member's spec,
// which the pool has brought up to the template (updateStrategy
// opportunistic). The next member goes only once every member's VMI is
// ready again, so at most one is down for a restart at any time, and a restart
// is done when every member runs a VMI that carries the request.
import type { VirtualMachine } from '../../pkg/api/types.generated.js';
import { hasCondition, type VirtualMachine as KubeVirtVirtualMachine, type VirtualMachineInstance } from '../../pkg/contracts/kubevirt/index.js';
import { appliedSpec, appliedSpecAnnotation, restartAnnotation } from './template.js';
import { pendingChanges } from './pending.js';

export interface GroupRestart {
  /** The member VMI to delete now, if any. */
  restart?: string;
  /** Why it restarts. */
  reason?: string;
  /** Set when the requested restart has reached every member. */
  restartedAt?: string;
  /** While a restart rolls: how far it is. */
  progress?: string;
  /** spec.<field>s some running member was not started with. */
  pending: string[];
}

const memberIndex = (name: string): number => Number(/-(\d+)$/.exec(name)?.[1] ?? Number.NaN);

export function planGroupRestart(vm: VirtualMachine, members: KubeVirtVirtualMachine[], vmis: VirtualMachineInstance[], restartedAt: string | undefined): GroupRestart {
  const requested = vm.spec.restartRequestedAt;
  const asked = !!requested && requested !== restartedAt;
  if (vm.spec.powerState === 'Stopped') return asked ? { restartedAt: requested, pending: [] } : { pending: [] };

  const live = new Map(vmis.filter((v) => !v.metadata.deletionTimestamp).map((v) => [v.metadata.name!, v]));
  const memberVm = new Map(members.map((m) => [m.metadata.name!, m]));
  const pendingOf = (v: VirtualMachineInstance) => pendingChanges(vm, v, memberVm.get(v.metadata.name!));
  const pending = [...new Set([...live.values()].flatMap(pendingOf))].sort();
  const automatic = vm.spec.updatePolicy === 'Automatic';
  const carriesRequest = (v: VirtualMachineInstance | undefined) => v?.metadata.annotations?.[restartAnnotation] === requested;
  const stale = (v: VirtualMachineInstance) => (asked && !carriesRequest(v)) || (automatic && pendingOf(v).length > 0);

  const out: GroupRestart = { pending };
  const restarted = members.filter((m) => carriesRequest(live.get(m.metadata.name!))).length;
  if (asked && members.every((m) => carriesRequest(live.get(m.metadata.name!)))) out.restartedAt = requested;
  else if (asked) out.progress = `restarting: ${restarted}/${members.length} VMs restarted`;

  const todo = members.map((m) => live.get(m.metadata.name!)).filter((v): v is VirtualMachineInstance => !!v && stale(v));
  if (!todo.length) return out;
  if (automatic && !asked) out.progress = `applying ${pending.join(', ')}: ${members.length - todo.length}/${members.length} VMs updated`;
  // Members must carry the new template first, or their fresh VMI would start from the old one.
  const applied = appliedSpec(vm);
  const current = (m: KubeVirtVirtualMachine) => {
    const annotations = m.spec.template.metadata?.annotations ?? {};
    return (!asked || annotations[restartAnnotation] === requested) && (!automatic || annotations[appliedSpecAnnotation] === applied);
  };
  // Readiness from the VMIs themselves: a member's VM status lags its fresh VMI.
  const ready = (m: KubeVirtVirtualMachine) => hasCondition(live.get(m.metadata.name!), 'Ready');
  const settled = members.every((m) => ready(m) && current(m)) && live.size === vmis.length;
  if (!settled) return out;
  const next = todo.sort((a, b) => memberIndex(a.metadata.name!) - memberIndex(b.metadata.name!))[0]!;
  out.restart = next.metadata.name;
  out.reason = asked ? `restart requested at ${requested}` : `applying ${pendingOf(next).join(', ')} (updatePolicy Automatic)`;
  return out;
}
