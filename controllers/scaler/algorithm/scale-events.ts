// Recording and pruning past scale events (storeScaleEvent upstream).
//
// Upstream never deletes an event: once older than the longest policy period
// of its direction it is marked outdated and its slot is reused by the next
// event of that direction. Pruning here must not change any future limit, so:
// - an event no policy of either direction can count again is dropped when
//   its direction's longest period is also the overall longest one (then any
//   slot upstream would reuse holds such an event too, and which one it reuses
//   cannot matter);
// - otherwise the list is kept exactly as upstream keeps it, since the slot
//   choice decides which events the other direction's longer periods see.

import { longestPolicyPeriod, type ResolvedBehavior } from './behavior.js';
import type { ScaleEvent, WorkingHistory } from './history.js';

function markOutdated(events: ScaleEvent[], longestPeriodSeconds: number, now: number): void {
  const cutoff = now - longestPeriodSeconds * 1000;
  for (const e of events) if (e.timestamp < cutoff) e.outdated = true;
}

function store(events: ScaleEvent[], replicaChange: number, longestPeriodSeconds: number, now: number): void {
  markOutdated(events, longestPeriodSeconds, now);
  let slot = -1;
  events.forEach((e, i) => {
    if (e.outdated) slot = i; // the last outdated one, as upstream
  });
  const event: ScaleEvent = { timestamp: now, replicaChange };
  if (slot >= 0) events[slot] = event;
  else events.push(event);
}

/** Records a rescale from `previous` to `next` replicas; nothing is kept without `behavior`. */
export function storeScaleEvent(
  history: WorkingHistory,
  behavior: ResolvedBehavior | undefined,
  previous: number,
  next: number,
  now: number,
): void {
  if (!behavior) return;
  if (next > previous) store(history.scaleUpEvents, next - previous, longestPolicyPeriod(behavior.scaleUp), now);
  else store(history.scaleDownEvents, previous - next, longestPolicyPeriod(behavior.scaleDown), now);
}

/** Drops events that can never be counted again, where that cannot change what upstream would count. */
export function pruneScaleEvents(history: WorkingHistory, behavior: ResolvedBehavior | undefined, now: number): void {
  if (!behavior) return; // upstream neither reads nor writes events then; keep them for when behavior returns
  const up = longestPolicyPeriod(behavior.scaleUp);
  const down = longestPolicyPeriod(behavior.scaleDown);
  const overall = Math.max(up, down);
  const cutoff = now - overall * 1000;
  // Counting uses strict "after cutoff", so an event at the cutoff is already uncountable.
  const countable = (e: ScaleEvent) => e.timestamp > cutoff;
  if (up === overall) history.scaleUpEvents = history.scaleUpEvents.filter(countable);
  if (down === overall) history.scaleDownEvents = history.scaleDownEvents.filter(countable);
}
