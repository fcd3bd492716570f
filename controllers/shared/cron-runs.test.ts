import { decideRun } from './cron-runs.js';

const at = (iso: string) => Date.parse(iso);

describe('decideRun (CronJob semantics)', () => {
  const hourly = { cron: '0 * * * *' };

  it.each<[string, Parameters<typeof decideRun>[0], string, string, { due?: string; missed: number; next: string }]>([
    ['nothing due before the first time', hourly, '2026-01-01T10:00:00Z', '2026-01-01T10:30:00Z', { missed: 0, next: '2026-01-01T11:00:00Z' }],
    ['the time itself is due', hourly, '2026-01-01T10:00:00Z', '2026-01-01T11:00:00Z', { due: '2026-01-01T11:00:00Z', missed: 0, next: '2026-01-01T12:00:00Z' }],
    ['a macro as admission accepts it (@Midnight)', { cron: '@Midnight', timezone: 'Europe/Berlin' }, '2026-01-01T10:00:00Z', '2026-01-01T23:00:10Z', { due: '2026-01-01T23:00:00Z', missed: 0, next: '2026-01-02T23:00:00Z' }],
    ['due a little late', hourly, '2026-01-01T10:00:00Z', '2026-01-01T11:00:20Z', { due: '2026-01-01T11:00:00Z', missed: 0, next: '2026-01-01T12:00:00Z' }],
    ['after an outage over two times: one catch-up, the latest', hourly, '2026-01-01T10:00:00Z', '2026-01-01T12:40:00Z', { due: '2026-01-01T12:00:00Z', missed: 1, next: '2026-01-01T13:00:00Z' }],
    [
      'a starting deadline lets a too-late time go',
      { ...hourly, startingDeadlineSeconds: 600 },
      '2026-01-01T10:00:00Z',
      '2026-01-01T12:40:00Z',
      { missed: 2, next: '2026-01-01T13:00:00Z' },
    ],
    [
      'within the deadline the latest still runs',
      { ...hourly, startingDeadlineSeconds: 3600 },
      '2026-01-01T10:00:00Z',
      '2026-01-01T12:40:00Z',
      { due: '2026-01-01T12:00:00Z', missed: 1, next: '2026-01-01T13:00:00Z' },
    ],
    [
      'read in its time zone',
      { cron: '0 2 * * *', timezone: 'Europe/Berlin' },
      '2026-01-01T00:00:00Z',
      '2026-01-01T01:00:00Z',
      { due: '2026-01-01T01:00:00Z', missed: 0, next: '2026-01-02T01:00:00Z' },
    ],
  ])('%s', (_, schedule, since, now, want) => {
    const d = decideRun(schedule, at(since), at(now));
    expect({ due: d.due === undefined ? undefined : new Date(d.due).toISOString().replace('.000', ''), missed: d.missed, next: new Date(d.next).toISOString().replace('.000', '') }).toEqual({
      due: want.due,
      missed: want.missed,
      next: want.next,
    });
  });

  it('does not run twice for the same time: the last run is the new since', () => {
    const first = decideRun(hourly, at('2026-01-01T10:00:00Z'), at('2026-01-01T11:00:05Z'));
    expect(decideRun(hourly, first.due!, at('2026-01-01T11:00:30Z')).due).toBeUndefined();
  });

  it('counts a long outage up to a bound and still runs once, the latest', () => {
    const d = decideRun({ cron: '* * * * *' }, at('2026-01-01T00:00:00Z'), at('2026-01-03T00:00:30Z'));
    expect(new Date(d.due!).toISOString()).toBe('2026-01-03T00:00:00.000Z');
    expect(d.missed).toBe(99);
  });
});
