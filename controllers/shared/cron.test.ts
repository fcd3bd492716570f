import { readCron } from './cron.js';

describe('readCron', () => {
  it.each(['@midnight', '@Daily', ' @hourly ', '@weekly'])('reads the macro %j, as admission accepts it', (cron) => {
    expect(() => readCron(cron, 'UTC')).not.toThrow();
  });

  it('reads @midnight as @daily, in the time zone given', () => {
    const from = Date.parse('2026-12-01T12:00:00Z');
    expect(readCron('@midnight', 'Europe/Berlin', from).next().toISOString()).toBe('2026-12-01T23:00:00.000Z');
    expect(readCron('0 0 * * *', 'Europe/Berlin', from).next().toISOString()).toBe('2026-12-01T23:00:00.000Z');
  });

  it('throws for an expression it cannot read', () => {
    expect(() => readCron('every day', undefined)).toThrow();
  });
});
