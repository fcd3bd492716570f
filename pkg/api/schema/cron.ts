// The cron syntax a schedule may use, as one RE2 pattern for its CEL rule:
// what both Kubernetes (a CronJob's schedule: robfig/cron's standard parser)
// and the controller (cron-parser) read the same way — five fields of
// numbers, names, ranges, steps and lists (`?` for a day field), or one of
// @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly.
// Numbers out of range are refused here; a range whose start is past its end
// only by the controller.

function field(value: string, question = false): string {
  const atom = `(\\*${question ? '|\\?' : ''}|(${value})(-(${value}))?)(/[1-9][0-9]*)?`;
  return `${atom}(,${atom})*`;
}

const minute = '[0-5]?[0-9]';
const hour = '[01]?[0-9]|2[0-3]';
const dayOfMonth = '0?[1-9]|[12][0-9]|3[01]';
const month = '0?[1-9]|1[0-2]|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec';
const dayOfWeek = '[0-6]|sun|mon|tue|wed|thu|fri|sat';

export const cronPattern = `(?i)^\\s*(@(yearly|annually|monthly|weekly|daily|midnight|hourly)|${[
  field(minute),
  field(hour),
  field(dayOfMonth, true),
  field(month),
  field(dayOfWeek, true),
].join('\\s+')})\\s*$`;
