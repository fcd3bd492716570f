import type { App } from '../../pkg/api/types.generated.js';
import type { Deployment } from '../../pkg/kube/core-types.js';
import { collect, everReady, nextRevisionNumber, revisionName, revisionNumber, revisionsOf, type Revision } from './revisions.js';

const app = (status?: App['status']): App => ({ apiVersion: 'stratus.dev/v1alpha1', kind: 'App', metadata: { name: 'web', namespace: 'ns' }, spec: { image: 'x', replicas: 1 }, ...(status ? { status } : {}) });
const deployment = (name: string, labels: Record<string, string> = { 'stratus.dev/revision': name }, created = '2026-01-01T00:00:00Z'): Deployment => ({
  metadata: { name, labels, creationTimestamp: created, annotations: { 'stratus.dev/template-hash': `h-${name}` } },
  spec: { replicas: 1, selector: {}, template: { spec: { containers: [] } } },
});
const revision = (n: number, created = '2026-01-01T00:00:00Z'): Revision => ({ name: revisionName(app(), n), number: n, deployment: deployment(revisionName(app(), n), undefined, created), hash: 'h' });

describe('revision names', () => {
  it('are <app>-<five digits or more>', () => {
    expect(revisionName(app(), 7)).toBe('web-00007');
    expect(revisionName(app(), 123456)).toBe('web-123456');
    expect(revisionNumber(app(), 'web-00007')).toBe(7);
    expect(revisionNumber(app(), 'web-7')).toBeUndefined();
    expect(revisionNumber(app(), 'webby-00007')).toBeUndefined();
  });

  it('never reuse the number of a deleted revision the App reported', () => {
    expect(nextRevisionNumber(app(), [])).toBe(1);
    expect(nextRevisionNumber(app({ latestCreatedRevision: 'web-00009' }), [revision(3)])).toBe(10);
    expect(nextRevisionNumber(app({ latestCreatedRevision: 'web-00002' }), [revision(3)])).toBe(4);
  });
});

describe('revisionsOf', () => {
  it('reads the revisions back from the Deployments, oldest first, leaving others out', () => {
    const found = revisionsOf(app(), [deployment('web-00002'), deployment('web'), deployment('web-00010'), deployment('web-00003', { 'stratus.dev/revision': 'other' })]);
    expect(found.map((r) => [r.name, r.number, r.hash])).toEqual([
      ['web-00002', 2, 'h-web-00002'],
      ['web-00010', 10, 'h-web-00010'],
    ]);
  });
});

describe('everReady', () => {
  it('is true once all instances were available, and a retired revision keeps it', () => {
    const r = revision(1);
    r.deployment.metadata.generation = 1;
    r.deployment.status = { observedGeneration: 1, replicas: 1, updatedReplicas: 1, availableReplicas: 1 };
    expect(everReady(app(), r, 1)).toBe(true);
    expect(everReady(app(), { ...r, deployment: { ...r.deployment, spec: { ...r.deployment.spec, replicas: 0 }, status: {} } }, 0)).toBe(false);
    expect(everReady(app({ revisions: [{ name: 'web-00001', created: 'x', ready: true, replicas: 0 }] }), { ...r, deployment: { ...r.deployment, status: {} } }, 0)).toBe(true);
  });
});

describe('collect', () => {
  const now = Date.parse('2026-01-10T00:00:00Z');
  const all = [1, 2, 3, 4, 5, 6].map((n) => revision(n, `2026-01-0${n}T00:00:00Z`));
  const names = (c: ReturnType<typeof collect>) => c.remove.map((r) => r.name);

  it('keeps the newest retired revisions up to the limit, and every kept one', () => {
    expect(names(collect(all, new Set(['web-00006', 'web-00001']), 2, undefined, now))).toEqual(['web-00003', 'web-00002']);
    expect(names(collect(all, new Set(['web-00006']), 10, undefined, now))).toEqual([]);
    expect(names(collect(all, new Set(all.map((r) => r.name)), 0, undefined, now))).toEqual([]);
  });

  it('deletes retired revisions past the age limit, and says when the next one reaches it', () => {
    const c = collect(all, new Set(['web-00006']), 10, 6 * 86400, now);
    expect(names(c)).toEqual(['web-00004', 'web-00003', 'web-00002', 'web-00001']);
    expect(c.nextExpiryMs).toBe(Date.parse('2026-01-11T00:00:00Z'));
  });
});
