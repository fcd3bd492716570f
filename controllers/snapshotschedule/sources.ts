// What a schedule snapshots at a run: the VMs and Volumes it names that
// exist, and those its selectors match now. VM groups are left out (a
// Snapshot takes a single VM; snapshot a group's Volumes instead).
import { VirtualMachines, Volumes } from '../../pkg/api/resources.js';
import type { SnapshotSchedule, VirtualMachine } from '../../pkg/api/types.generated.js';
import { parseLabelSelector } from '../../pkg/meta/labels.js';
import type { Cache } from '../../pkg/runtime/cache/cache.js';
import type { ScheduleSource } from './desired.js';

export function resolveSources(cache: Cache, schedule: SnapshotSchedule): { sources: ScheduleSource[]; missing: string[] } {
  const namespace = schedule.metadata.namespace;
  const found = new Map<string, ScheduleSource>();
  const missing: string[] = [];
  const add = (kind: ScheduleSource['kind'], name: string) => found.set(`${kind}/${name}`, { kind, name });
  const single = (vm: VirtualMachine | undefined) => !!vm && vm.spec.replicas === undefined;
  for (const s of schedule.spec.sources) {
    if (s.virtualMachine) {
      const vm = cache.get<VirtualMachine>(VirtualMachines, namespace, s.virtualMachine);
      if (single(vm)) add('VirtualMachine', s.virtualMachine);
      else missing.push(`VirtualMachine ${s.virtualMachine} ${vm ? 'is a group' : 'does not exist'}`);
    }
    if (s.volume) {
      if (cache.get(Volumes, namespace, s.volume)) add('Volume', s.volume);
      else missing.push(`Volume ${s.volume} does not exist`);
    }
    if (s.virtualMachineSelector) {
      for (const vm of cache.list<VirtualMachine>(VirtualMachines, { namespace, labelSelector: parseLabelSelector(s.virtualMachineSelector) })) if (single(vm)) add('VirtualMachine', vm.metadata.name!);
    }
    if (s.volumeSelector) for (const v of cache.list(Volumes, { namespace, labelSelector: parseLabelSelector(s.volumeSelector) })) add('Volume', v.metadata.name!);
  }
  return { sources: [...found.values()].sort((a, b) => a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name)), missing };
}
