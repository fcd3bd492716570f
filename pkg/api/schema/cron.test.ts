import { CronExpressionParser } from 'cron-parser';
import { cronPattern } from './cron.js';

// RE2 and JavaScript agree on this pattern once the (?i) flag is moved out.
const matches = (s: string) => new RegExp(cronPattern.replace('(?i)', ''), 'i').test(s);
const readable = (s: string) => {
  try {
    // As controllers/shared/cron.ts hands macros over: lowercase, @midnight as @daily.
    const macro = s.startsWith('@') ? s.toLowerCase().replace('@midnight', '@daily') : s;
    CronExpressionParser.parse(macro, { tz: 'UTC', strict: false });
    return true;
  } catch {
    return false;
  }
};

describe('cronPattern', () => {
  it.each(['0 8 * * 1-5', '*/15 0-6/2 1,15 JAN-MAR mon-fri', '0 0 ? * SUN', '5/10 * * * *', '30 23 31 12 6', ' @hourly ', '@Daily', '@midnight', '@weekly', '@monthly', '@yearly', '@annually'])(
    'accepts %j, which the controller reads',
    (cron) => {
      expect(matches(cron)).toBe(true);
      expect(readable(cron.trim())).toBe(true);
    },
  );

  it.each(['', 'every day', '* * * *', '* * * * * *', '60 * * * *', '0 24 * * *', '0 0 0 * *', '0 0 * 13 *', '0 0 * * 7', '0 0 L * *', '*/0 * * * *', '@every 1h', 'TZ=UTC 0 8 * * *'])(
    'refuses %j, as a CronJob schedule (or the controller) would',
    (cron) => expect(matches(cron)).toBe(false),
  );
});
