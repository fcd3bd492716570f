import type { App } from '../../pkg/api/types.generated.js';
import { desiredTraffic, nextServed, primaryRevision, replicaShares, servedTraffic, wantedReplicas, type Target } from './traffic.js';

const app = (spec: Partial<App['spec']> = {}, status?: App['status']): App => ({
  apiVersion: 'stratus.dev/v1alpha1',
  kind: 'App',
  metadata: { name: 'web', namespace: 'ns' },
  spec: { image: 'x', replicas: 1, ...spec },
  ...(status ? { status } : {}),
});
const t = (revision: string, percent: number, extra: Partial<Target> = {}): Target => ({ revision, percent, ...extra });
const shares = (m: Map<string, number>) => Object.fromEntries(m);

describe('desiredTraffic', () => {
  it('sends everything to the latest revision by default', () => {
    expect(desiredTraffic(app(), 'web-00003')).toEqual([t('web-00003', 100, { latestRevision: true })]);
  });

  it('resolves the latest revision and keeps pinned ones, tags and zero shares', () => {
    const traffic = [{ latestRevision: true, percent: 10, tag: 'canary' }, { revision: 'web-00001', percent: 90 }, { revision: 'web-00002', tag: 'old' }];
    expect(desiredTraffic(app({ traffic }), 'web-00003')).toEqual([t('web-00003', 10, { tag: 'canary', latestRevision: true }), t('web-00001', 90), t('web-00002', 0, { tag: 'old' })]);
  });
});

describe('servedTraffic', () => {
  it('reads status.traffic, and forgets it when a revision in it is gone', () => {
    const a = app({}, { traffic: [{ revision: 'web-00001', percent: 90 }, { revision: 'web-00002', percent: 10, latestRevision: true, tag: 'c', url: 'http://c' }] });
    expect(servedTraffic(a, () => true)).toEqual([t('web-00001', 90), t('web-00002', 10, { tag: 'c', latestRevision: true })]);
    expect(servedTraffic(a, (r) => r !== 'web-00001')).toEqual([]);
  });
});

describe('replicaShares', () => {
  it.each<[string, number, Target[], Record<string, number>]>([
    ['all to one', 3, [t('a', 100)], { a: 3 }],
    ['90/10 of 10', 10, [t('a', 90), t('b', 10)], { a: 9, b: 1 }],
    ['largest remainder adds up', 3, [t('a', 50), t('b', 50)], { a: 1, b: 2 }],
    ['a small share still gets an instance', 2, [t('a', 95), t('b', 5)], { a: 2, b: 1 }],
    ['a tag alone gets one instance', 4, [t('a', 100), t('b', 0, { tag: 'canary' })], { a: 4, b: 1 }],
    ['entries for one revision add up', 4, [t('a', 50, { tag: 'x' }), t('a', 50)], { a: 4 }],
    ['scaled to zero', 0, [t('a', 90), t('b', 10, { tag: 'c' })], { a: 0, b: 0 }],
    ['a zero share without a tag runs nothing', 3, [t('a', 100), t('b', 0)], { a: 3 }],
  ])('%s', (_, total, targets, want) => expect(shares(replicaShares(total, targets))).toEqual(want));
});

describe('wantedReplicas', () => {
  it('keeps the larger share of each revision while traffic moves', () => {
    expect(shares(wantedReplicas(4, [t('a', 100)], [t('b', 100)]))).toEqual({ a: 4, b: 4 });
    expect(shares(wantedReplicas(10, [t('a', 100)], [t('a', 90), t('b', 10)]))).toEqual({ a: 10, b: 1 });
  });
});

describe('nextServed', () => {
  const ready = new Set(['a']);
  const available = (r: string) => ready.has(r);
  it.each<[string, Target[], Target[], Target[]]>([
    ['a new App takes the target at once', [], [t('b', 100)], [t('b', 100)]],
    ['waits for a revision that is not ready', [t('a', 100)], [t('b', 100)], [t('a', 100)]],
    ['moves once every revision it needs is ready', [t('b', 100)], [t('a', 100)], [t('a', 100)]],
    ['a tag on a revision not ready waits too', [t('a', 100)], [t('a', 100), t('b', 0, { tag: 'x' })], [t('a', 100)]],
    ['a zero share without a tag needs nothing', [t('b', 100)], [t('a', 100), t('c', 0)], [t('a', 100), t('c', 0)]],
  ])('%s', (_, served, target, want) => expect(nextServed(served, target, available)).toEqual(want));
});

describe('primaryRevision', () => {
  it('is the largest share, the latest on a tie', () => {
    expect(primaryRevision([t('web-00001', 90), t('web-00002', 10)])).toBe('web-00001');
    expect(primaryRevision([t('web-00001', 50), t('web-00002', 50)])).toBe('web-00002');
    expect(primaryRevision([])).toBeUndefined();
  });
});
