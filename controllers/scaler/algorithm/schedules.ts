// Scheduled minimum replicas: while `now` is inside [occurrence,
// occurrence + duration) of a schedule, the minimum is raised to its
// minReplicas (the highest of all active schedules wins).

import { readCron } from '../../shared/cron.js';

export interface ScheduleSpec {
  /** Cron expression, 5 fields (or 6 with seconds). */
  cron: string;
  /** IANA time zone the expression is read in; defaults to UTC. */
  timezone?: string;
  durationSeconds: number;
  minReplicas: number;
}

export class ScheduleError extends Error {
  override readonly name = 'ScheduleError';
}

function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

const isNonNegativeInteger = (n: unknown) => typeof n === 'number' && Number.isInteger(n) && n >= 0;

/** Problems of each schedule, as "spec.schedules[i].field: …" messages. */
export function validateSchedules(schedules: readonly ScheduleSpec[], path = 'spec.schedules'): string[] {
  const errors: string[] = [];
  schedules.forEach((s, i) => {
    const at = `${path}[${i}]`;
    const tzValid = s.timezone === undefined || (typeof s.timezone === 'string' && isValidTimeZone(s.timezone));
    if (!tzValid) errors.push(`${at}.timezone: invalid time zone "${String(s.timezone)}"`);
    if (typeof s.cron !== 'string' || s.cron.trim() === '') {
      errors.push(`${at}.cron: invalid cron expression "${String(s.cron)}"`);
    } else {
      try {
        readCron(s.cron, tzValid ? s.timezone : undefined);
      } catch (e) {
        errors.push(`${at}.cron: invalid cron expression "${s.cron}": ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    if (!isNonNegativeInteger(s.durationSeconds) || s.durationSeconds === 0) {
      errors.push(`${at}.durationSeconds: must be a positive integer, got ${String(s.durationSeconds)}`);
    }
    if (!isNonNegativeInteger(s.minReplicas)) {
      errors.push(`${at}.minReplicas: must be a non-negative integer, got ${String(s.minReplicas)}`);
    }
  });
  return errors;
}

/** Start of the latest occurrence at or before `now`, or undefined if there is none. */
export function latestOccurrence(schedule: ScheduleSpec, now: number): number | undefined {
  // prev() is strictly before currentDate; one millisecond later includes an occurrence at `now` itself.
  const expression = readCron(schedule.cron, schedule.timezone, now + 1);
  try {
    return expression.prev().getTime();
  } catch {
    return undefined;
  }
}

export interface ScheduleState {
  /** Highest minReplicas of the active schedules; undefined when none is active. */
  minReplicas?: number;
  /** Indices of the active schedules. */
  active: number[];
}

/** Which schedules are active at `now`. Throws ScheduleError naming the field of the first invalid schedule. */
export function activeSchedules(
  schedules: readonly ScheduleSpec[] | undefined,
  now: number,
  path = 'spec.schedules',
): ScheduleState {
  const state: ScheduleState = { active: [] };
  if (!schedules || schedules.length === 0) return state;
  const errors = validateSchedules(schedules, path);
  if (errors.length > 0) throw new ScheduleError(errors[0]);
  schedules.forEach((s, i) => {
    const start = latestOccurrence(s, now);
    // Only the latest occurrence matters: an earlier one with the same duration ended before it.
    if (start !== undefined && now < start + s.durationSeconds * 1000) {
      state.active.push(i);
      state.minReplicas = Math.max(state.minReplicas ?? 0, s.minReplicas);
    }
  });
  return state;
}
