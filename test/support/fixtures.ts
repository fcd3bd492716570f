// The Stratus objects tests start from: a VM booting the Fedora container
// disk, an App running the tiny example image; each test adds what it needs.
import type { App, VirtualMachine } from '../../pkg/api/types.generated.js';

export function testVm(namespace: string, name: string, spec: Partial<VirtualMachine['spec']>, labels?: Record<string, string>): VirtualMachine {
  return {
    apiVersion: 'stratus.dev/v1alpha1',
    kind: 'VirtualMachine',
    metadata: { name, namespace, ...(labels ? { labels } : {}) },
    spec: { rootDisk: { image: 'quay.io/containerdisks/fedora:41' }, ...spec } as VirtualMachine['spec'],
  };
}

export function testApp(namespace: string, name: string, spec: Partial<App['spec']>): App {
  return { apiVersion: 'stratus.dev/v1alpha1', kind: 'App', metadata: { name, namespace }, spec: { image: 'ghcr.io/stratus-examples/tiny:1.0', ...spec } as App['spec'] };
}
