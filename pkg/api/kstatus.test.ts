import type { KubeObject } from '../meta/object.js';
import { health } from './kstatus.js';

const t = '2026-01-01T00:00:00Z';
const obj = (status: Record<string, unknown> | undefined, generation = 2, extra: Partial<KubeObject['metadata']> = {}): KubeObject => ({
  apiVersion: 'stratus.dev/v1alpha1',
  kind: 'App',
  metadata: { name: 'x', generation, ...extra },
  ...(status ? { status } : {}),
});
const cond = (type: string, status: string, reason = 'R', message = 'm') => ({ type, status, reason, message, lastTransitionTime: t });

describe('health', () => {
  it.each<[string, KubeObject | undefined, string]>([
    ['missing', undefined, 'NotFound'],
    ['deleting', obj({}, 2, { deletionTimestamp: t }), 'Terminating'],
    ['no status yet, kind with status', obj({ phase: 'x' }), 'InProgress'],
    ['a ConfigMap', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } }, 'Current'],
    ['not observed yet', obj({ observedGeneration: 1, conditions: [cond('Ready', 'True')] }), 'InProgress'],
    ['stalled', obj({ observedGeneration: 2, conditions: [cond('Ready', 'False'), cond('Stalled', 'True', 'ErrImagePull', 'no such image')] }), 'Failed'],
    ['reconciling', obj({ observedGeneration: 2, conditions: [cond('Ready', 'False'), cond('Reconciling', 'True')] }), 'InProgress'],
    ['ready', obj({ observedGeneration: 2, conditions: [cond('Ready', 'True')] }), 'Current'],
  ])('%s', (_, o, status) => expect(health(o).status).toBe(status));

  it('explains failures with the Stalled condition', () => {
    expect(health(obj({ observedGeneration: 2, conditions: [cond('Stalled', 'True', 'ErrImagePull', 'no such image')] })).message).toBe('ErrImagePull: no such image');
  });

  it('reads Deployments by their replica counts', () => {
    const d = (status: Record<string, unknown>): KubeObject => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', generation: 1 }, spec: { replicas: 2 }, status: { observedGeneration: 1, ...status } });
    expect(health(d({ replicas: 2, updatedReplicas: 2, availableReplicas: 2 })).status).toBe('Current');
    expect(health(d({ replicas: 2, updatedReplicas: 1, availableReplicas: 1 })).status).toBe('InProgress');
    expect(health(d({ conditions: [cond('Progressing', 'False', 'ProgressDeadlineExceeded', 'stuck')] })).status).toBe('Failed');
  });
});
