import { resourceOf } from './rest-client.js';

describe('resourceOf', () => {
  it.each([
    ['/api/v1/namespaces/ns/pods', '/pods'],
    ['/api/v1/namespaces/ns/pods/p-1/status', '/pods/status'],
    ['/api/v1/namespaces/ns', '/namespaces'],
    ['/api/v1/namespaces', '/namespaces'],
    ['/api/v1/nodes/stratus-node-1?timeout=5s', '/nodes'],
    ['/apis/apps/v1/namespaces/ns/deployments/web/scale', 'apps/deployments/scale'],
    ['/apis/stratus.dev/v1alpha1/namespaces/ns/virtualmachines', 'stratus.dev/virtualmachines'],
    ['/apis/coordination.k8s.io/v1/namespaces/stratus-system/leases/stratus-controllers', 'coordination.k8s.io/leases'],
    ['/apis/apiextensions.k8s.io/v1/customresourcedefinitions/apps.stratus.dev', 'apiextensions.k8s.io/customresourcedefinitions'],
    ['/apis', ''],
    ['/version', ''],
  ])('%s → %s', (path, want) => {
    expect(resourceOf(path)).toBe(want);
  });
});
