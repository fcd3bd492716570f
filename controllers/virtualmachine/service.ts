// The Service exposing a VM's ports (one VM or every member of a group). Pure.
import type { VirtualMachine } from '../../pkg/api/types.generated.js';
import type { Service } from '../../pkg/kube/core-types.js';
import { childLabels } from '../shared/labels.js';
import { groupSelector } from './desired.js';

export function serviceName(vm: VirtualMachine): string {
  return vm.metadata.name!;
}

export function desiredService(vm: VirtualMachine): Service | undefined {
  if (!vm.spec.ports?.length) return undefined;
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: serviceName(vm), namespace: vm.metadata.namespace, labels: childLabels('virtualMachine', vm.metadata.name!) },
    spec: {
      type: vm.spec.expose?.type ?? 'ClusterIP',
      selector: groupSelector(vm),
      ports: vm.spec.ports.map((p) => ({ name: p.name, port: p.port, targetPort: p.port, protocol: p.protocol })),
    },
  };
}
