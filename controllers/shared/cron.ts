// One reader of cron expressions for every kind, reading what admission
// accepts (pkg/api/schema/cron.ts): five fields, or a macro in any case,
// @midnight included. cron-parser knows macros only in lowercase, and not
// @midnight, which Kubernetes reads as @daily.
import { CronExpressionParser, type CronExpression } from 'cron-parser';

function asParsed(cron: string): string {
  const c = cron.trim();
  if (!c.startsWith('@')) return cron;
  const macro = c.toLowerCase();
  return macro === '@midnight' ? '@daily' : macro;
}

/** The expression in `timezone` (default UTC), iterating from `from` (default now). Throws cron-parser's error for one it cannot read. */
export function readCron(cron: string, timezone: string | undefined, from?: number): CronExpression {
  return CronExpressionParser.parse(asParsed(cron), { tz: timezone ?? 'UTC', strict: false, ...(from !== undefined ? { currentDate: new Date(from) } : {}) });
}
