// What a VM's run strategy asks for, given its VMI and pending start/stop
// requests (KubeVirt's VM controller rules).
import type { VirtualMachine as KubeVirtVirtualMachine, StateChangeRequest, VirtualMachineInstance } from '../../contracts/kubevirt/index.js';

/** The run strategies the simulated virt-controller plays (v1.RunStrategy* but WaitAsReceiver, which migrations between clusters use). */
const runStrategies = ['Always', 'RerunOnFailure', 'Manual', 'Halted', 'Once'] as const;
export type RunStrategy = (typeof runStrategies)[number];

const isRunStrategy = (s: string): s is RunStrategy => (runStrategies as readonly string[]).includes(s);

export type VmiAction = 'create' | 'delete' | 'none';

export interface RunDecision {
  action: VmiAction;
  startExpected: boolean;
  stopExpected: boolean;
  /** Requests this decision carries out, to be removed from status. */
  handled: StateChangeRequest[];
}

export function runStrategyOf(vm: KubeVirtVirtualMachine): RunStrategy {
  if (vm.spec.running !== undefined && vm.spec.runStrategy !== undefined) {
    throw new Error('running and runstrategy are mutually exclusive');
  }
  const strategy = vm.spec.runStrategy;
  if (strategy) {
    if (!isRunStrategy(strategy)) throw new Error(`unsupported run strategy ${strategy}`);
    return strategy;
  }
  return vm.spec.running ? 'Always' : 'Halted';
}

export function decide(strategy: RunStrategy, vmi: VirtualMachineInstance | undefined, requests: StateChangeRequest[] = []): RunDecision {
  const phase = vmi?.status?.phase;
  const final = phase === 'Succeeded' || phase === 'Failed';
  const deleting = !!vmi?.metadata.deletionTimestamp;
  const stop = requests.find((r) => r.action === 'Stop' && (!r.uid || r.uid === vmi?.metadata.uid));
  const start = requests.find((r) => r.action === 'Start');
  const none = (startExpected: boolean, stopExpected = false): RunDecision => ({ action: 'none', startExpected, stopExpected, handled: [] });
  switch (strategy) {
    case 'Always':
      if (vmi && (final || stop) && !deleting) return { action: 'delete', startExpected: true, stopExpected: !!stop, handled: stop ? [stop] : [] };
      if (!vmi) return { action: 'create', startExpected: true, stopExpected: false, handled: start ? [start] : [] };
      return none(true);
    case 'RerunOnFailure':
      if (vmi && !deleting && (phase === 'Failed' || stop)) return { action: 'delete', startExpected: phase === 'Failed', stopExpected: !!stop, handled: stop ? [stop] : [] };
      if (!vmi) return { action: 'create', startExpected: true, stopExpected: false, handled: start ? [start] : [] };
      return none(phase !== 'Succeeded');
    case 'Manual':
      if (vmi && stop && !deleting) return { action: 'delete', startExpected: false, stopExpected: true, handled: [stop] };
      if (!vmi && start) return { action: 'create', startExpected: true, stopExpected: false, handled: [start] };
      return none(vmi ? !final : false);
    case 'Halted':
      if (vmi && !deleting) return { action: 'delete', startExpected: false, stopExpected: true, handled: stop ? [stop] : [] };
      return none(false, !!vmi);
    case 'Once':
      if (!vmi) return { action: 'create', startExpected: true, stopExpected: false, handled: [] };
      return none(!final);
  }
}
