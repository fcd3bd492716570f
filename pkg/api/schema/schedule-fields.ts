// The schedule fields every kind with a cron schedule shares (the Scaler's
// schedules, snapshot schedules, disk image refreshes): the same cron syntax
// and time zones, checked at admission the same way as Kubernetes checks a
// CronJob's (cron.ts, time-zones.ts).
import { integer, rule, string, type Schema } from './builder.js';
import { cronPattern } from './cron.js';
import { timeZones } from './time-zones.js';

const cronSyntax = '5 fields (minute hour day-of-month month day-of-week), e.g. "0 8 * * 1-5", or @hourly, @daily, @weekly, @monthly, @yearly';

export function cronField(what: string): Schema {
  return string({
    description: `${what}, in cron syntax: ${cronSyntax}.`,
    maxLength: 100,
    rules: [rule(`self.matches(${JSON.stringify(cronPattern)})`, `must be a cron expression: ${cronSyntax}`)],
  });
}

export function timezoneField(): Schema {
  return string({
    description: 'IANA time zone of the cron expression, e.g. Europe/Berlin.',
    default: 'UTC',
    maxLength: 64,
    rules: [rule(`self in ${JSON.stringify(timeZones)}`, 'must be an IANA time zone name, e.g. Europe/Berlin or America/New_York')],
  });
}

/** As a CronJob's: a run that cannot start within this many seconds of its time is skipped. */
export function startingDeadlineField(): Schema {
  return integer({
    description:
      'A run that could not start within this many seconds of its scheduled time (the controller was down) is skipped, as with a CronJob. Unset: the latest missed run is made up once, however late; never more than one.',
    minimum: 10,
    format: 'int64',
  });
}
