// When a cron schedule runs, as a CronJob does (kube-controller-manager's
// cronjob controller): the latest scheduled time since the last run is due,
// once, however many were missed while the controller was down (no burst of
// catch-up runs); with a starting deadline, times older than it are let go.
import { readCron } from './cron.js';

export interface CronSchedule {
  cron: string;
  /** IANA time zone; default UTC. */
  timezone?: string;
  startingDeadlineSeconds?: number;
}

export interface RunDecision {
  /** The scheduled time to run now, if one is due. */
  due?: number;
  /** Scheduled times since the last run that will not run (before `due`, or past the deadline). */
  missed: number;
  /** The next scheduled time after `now`. */
  next: number;
}

/** Missed times are counted up to this, as the CronJob controller does before it gives up counting. */
const maxCounted = 100;

function parse(s: CronSchedule, from: number) {
  return readCron(s.cron, s.timezone, from);
}

/**
 * `since`: the scheduled time of the last run, or when the schedule was made
 * (a new schedule does not run for times before it existed).
 */
export function decideRun(s: CronSchedule, since: number, now: number): RunDecision {
  const next = parse(s, now).next().getTime();
  const earliest = s.startingDeadlineSeconds !== undefined ? Math.max(since, now - s.startingDeadlineSeconds * 1000) : since;
  const times: number[] = [];
  const it = parse(s, earliest);
  let missedBeforeDeadline = 0;
  if (earliest > since) {
    // Times between the last run and the deadline are let go, and counted as missed.
    const old = parse(s, since);
    for (let t = old.next().getTime(); t <= earliest && missedBeforeDeadline < maxCounted; t = old.next().getTime()) missedBeforeDeadline++;
  }
  for (let t = it.next().getTime(); t <= now && times.length <= maxCounted; t = it.next().getTime()) times.push(t);
  if (!times.length) return { missed: missedBeforeDeadline, next };
  // The latest is due; when more than the cap were missed, find the latest directly.
  const due = times.length > maxCounted ? parse(s, now + 1).prev().getTime() : times[times.length - 1]!;
  return { due, missed: missedBeforeDeadline + Math.min(times.length, maxCounted) - 1, next };
}
