// What a Stratus VirtualMachine becomes in KubeVirt: a VirtualMachine, or a
// VirtualMachinePool for a group, from the shared template (template.ts).
// Pure functions of the spec and the resolved references.
import type { VirtualMachine } from '../../pkg/api/types.generated.js';
import type { VirtualMachine as KubeVirtVirtualMachine, VirtualMachinePool } from '../../pkg/contracts/kubevirt/index.js';
import { childLabels, labelKeys, managedBy } from '../shared/labels.js';
import { kubevirtSpec, type ResolvedReferences } from './template.js';

export function desiredKubeVirtVm(vm: VirtualMachine, refs: ResolvedReferences): KubeVirtVirtualMachine {
  return {
    apiVersion: 'kubevirt.io/v1',
    kind: 'VirtualMachine',
    metadata: { name: vm.metadata.name, namespace: vm.metadata.namespace, labels: childLabels('virtualMachine', vm.metadata.name!) },
    spec: kubevirtSpec(vm, refs, 'single'),
  };
}

export function groupSelector(vm: VirtualMachine): Record<string, string> {
  return { [labelKeys.virtualMachine]: vm.metadata.name! };
}

export function desiredPool(vm: VirtualMachine, refs: ResolvedReferences): VirtualMachinePool {
  return {
    apiVersion: 'pool.kubevirt.io/v1beta1',
    kind: 'VirtualMachinePool',
    metadata: { name: vm.metadata.name, namespace: vm.metadata.namespace, labels: childLabels('virtualMachine', vm.metadata.name!) },
    spec: {
      replicas: vm.spec.replicas ?? 1,
      selector: { matchLabels: groupSelector(vm) },
      // Template changes reach the members' specs; Stratus restarts members itself, one at a time (group-restart.ts).
      updateStrategy: { opportunistic: {} },
      virtualMachineTemplate: { metadata: { labels: { ...managedBy, ...groupSelector(vm) } }, spec: kubevirtSpec(vm, refs, 'group') },
    },
  };
}

