import { CronExpressionParser } from 'cron-parser';
import { timeZones } from './time-zones.js';

describe('timeZones', () => {
  it('are all readable by the controller (Intl and cron-parser), so admission never lets through one it cannot use', () => {
    const unreadable = timeZones.filter((tz) => {
      try {
        new Intl.DateTimeFormat('en-US', { timeZone: tz });
        CronExpressionParser.parse('0 8 * * *', { tz }).next();
        return false;
      } catch {
        return true;
      }
    });
    expect(unreadable).toEqual([]);
  });

  it('hold the names people write, links included', () => {
    for (const tz of ['UTC', 'Europe/Berlin', 'America/New_York', 'US/Eastern', 'Asia/Kolkata', 'Etc/GMT+5']) expect(timeZones).toContain(tz);
    expect(timeZones).not.toContain('Local');
  });
});
