import { cachedPod } from '../shared/cached-pod.js';
import type { Pod } from '../../pkg/kube/core-types.js';
import { podInfo } from './input.js';

const pod = (spec: Partial<Pod['spec']>): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web-1', namespace: 'ns' },
  spec: { containers: [{ name: 'app', image: 'nginx', resources: { requests: { cpu: '200m' } } }], ...spec },
  status: { phase: 'Running', startTime: '2026-12-01T10:00:00Z' },
});

describe('podInfo', () => {
  it('counts sidecars (init containers with restartPolicy Always) with the containers, as the HPA does; other init containers not', () => {
    const info = podInfo(
      cachedPod(
        pod({
          initContainers: [
            { name: 'migrate', image: 'tool', resources: { requests: { cpu: '1' } } },
            { name: 'proxy', image: 'envoy', restartPolicy: 'Always', resources: { requests: { cpu: '50m' } } },
          ],
        }),
      ),
    );
    expect(info).toMatchObject({ phase: 'Running', containers: [{ name: 'app', requests: { cpu: '200m' } }], sidecarContainers: [{ name: 'proxy', requests: { cpu: '50m' } }] });
    expect(info.podRequests).toBeUndefined();
  });

  it('passes pod-level requests (PodLevelResources), which the algorithm prefers to the containers', () => {
    const info = podInfo(cachedPod(pod({ resources: { requests: { cpu: '1', memory: '1Gi' } } })));
    expect(info.podRequests).toEqual({ cpu: '1', memory: '1Gi' });
    expect(info.sidecarContainers).toBeUndefined();
  });
});
