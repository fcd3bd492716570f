import type { Pod } from '../../pkg/kube/core-types.js';
import { cachedPod } from './cached-pod.js';

describe('cachedPod', () => {
  it("keeps metadata and status whole, and of the spec only the resources of the pod, its containers and init containers", () => {
    const pod: Pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web-1', namespace: 'ns', labels: { app: 'web' }, annotations: { 'k8s.v1.cni.cncf.io/network-status': '[]' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: 'u' }] },
      spec: {
        nodeName: 'node-1',
        tolerations: [{ key: 'k', operator: 'Exists' }],
        volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }],
        resources: { requests: { memory: '1Gi' } },
        initContainers: [{ name: 'proxy', image: 'envoy', restartPolicy: 'Always', args: ['--v'], resources: { requests: { cpu: '50m' } } }],
        containers: [
          { name: 'app', image: 'nginx', command: ['nginx'], env: [{ name: 'A', value: '1' }], resources: { requests: { cpu: '100m' } } },
          { name: 'sidecar', image: 'envoy' },
        ],
      },
      status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }], containerStatuses: [{ name: 'app', ready: true, restartCount: 2, image: 'nginx', imageID: 'sha256:1', state: { running: {} }, lastState: {} }] },
    };
    expect(cachedPod(pod)).toEqual({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: pod.metadata,
      spec: {
        containers: [{ name: 'app', resources: { requests: { cpu: '100m' } } }, { name: 'sidecar' }],
        initContainers: [{ name: 'proxy', restartPolicy: 'Always', resources: { requests: { cpu: '50m' } } }],
        resources: { requests: { memory: '1Gi' } },
      },
      status: pod.status,
    });
  });
});
