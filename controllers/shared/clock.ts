// The time the controllers schedule by (snapshot schedules, image refreshes):
// the wall clock, or in tests one that runs faster, so a schedule's minutes
// pass in seconds. A delay on this clock becomes a requeue in real time.
export interface Clock {
  now(): number;
  /** Real milliseconds until `ms` of this clock have passed. */
  realDelay(ms: number): number;
}

export const wallClock: Clock = { now: () => Date.now(), realDelay: (ms) => ms };
