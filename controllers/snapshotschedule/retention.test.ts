import { expired, type Taken } from './retention.js';

const hour = 3_600_000;
const now = Date.parse('2026-01-10T00:00:00Z');
const t = (name: string, hoursAgo: number, more: Partial<Taken> = {}): Taken => ({ name, source: 'Volume/data', scheduledAt: now - hoursAgo * hour, ready: true, failed: false, inUse: false, ...more });

describe('expired', () => {
  it.each<[string, Taken[], { keep?: number; maxAgeMs?: number }, string[]]>([
    ['keeps the newest N ready ones', [t('a', 5), t('b', 4), t('c', 3), t('d', 2), t('e', 1)], { keep: 3 }, ['a', 'b']],
    ['keeps N per source', [t('a', 3), t('b', 2), t('x', 3, { source: 'Volume/logs' }), t('y', 2, { source: 'Volume/logs' })], { keep: 1 }, ['a', 'x']],
    ['deletes by age', [t('a', 200), t('b', 100), t('c', 1)], { maxAgeMs: 168 * hour }, ['a']],
    ['keeps the newest ready one whatever its age', [t('a', 300), t('b', 200)], { maxAgeMs: 168 * hour }, ['a']],
    ['both limits: whichever removes more', [t('a', 200), t('b', 3), t('c', 2), t('d', 1)], { keep: 3, maxAgeMs: 168 * hour }, ['a']],
    ['never one in progress, nor one in use', [t('a', 5, { inUse: true }), t('b', 4), t('c', 3), t('d', 0, { ready: false })], { keep: 1 }, ['b']],
    ['a failed one goes once a newer one is ready', [t('a', 3), t('b', 2, { ready: false, failed: true }), t('c', 1, { ready: false, failed: true })], { keep: 5 }, []],
    ['…and then', [t('b', 2, { ready: false, failed: true }), t('c', 1)], { keep: 5 }, ['b']],
    ['failed ones do not count towards keep', [t('a', 4), t('b', 3), t('c', 2, { ready: false, failed: true }), t('d', 1)], { keep: 2 }, ['a', 'c']],
  ])('%s', (_, taken, retention, want) => expect(expired(taken, retention, now)).toEqual(want));
});
