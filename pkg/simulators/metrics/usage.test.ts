import type { Pod } from '../../kube/core-types.js';
import { podUsage } from './usage.js';

const pod = (name: string, labels: Record<string, string>, cpu = '200m', memory = '128Mi'): Pod => ({
  metadata: { name, namespace: 'ns', labels },
  spec: { containers: [{ name: 'app', resources: { requests: { cpu, memory } } }] },
  status: { phase: 'Running', containerStatuses: [{ name: 'app', image: 'x', imageID: '', ready: true, restartCount: 0, state: { running: {} }, lastState: {} }] },
});

describe('podUsage', () => {
  it('uses a tenth of the CPU request and half the memory request without load', () => {
    expect(podUsage(pod('a', {}), {}, [])).toEqual([{ name: 'app', usage: { cpu: '20m', memory: '64Mi' } }]);
  });

  it('shares the selected total evenly among the matching pods', () => {
    const pods = [pod('a', { app: 'web' }), pod('b', { app: 'web' }), pod('c', { app: 'db' })];
    const load = { web: '1500m app=web', broken: 'lots app=' };
    expect(podUsage(pods[0]!, load, pods)[0]!.usage.cpu).toBe('750m');
    expect(podUsage(pods[2]!, load, pods)[0]!.usage.cpu).toBe('20m');
  });
});
