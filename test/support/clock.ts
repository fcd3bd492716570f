// A clock for the controllers' schedules that runs `factor` times faster than
// the wall clock from `origin` on: cron minutes pass in seconds. Operators
// started one after another with the same clock see one continuous time.
import type { Clock } from '../../controllers/shared/clock.js';

export function acceleratedClock(factor: number, origin = Date.now()): Clock {
  return {
    now: () => origin + (Date.now() - origin) * factor,
    realDelay: (ms) => Math.ceil(ms / factor),
  };
}
