// Usage-ratio tolerances (HPA configurable tolerance, KEP-4951).

import { parseQuantity } from '../../../pkg/kube/quantity.js';
import type { Behavior } from './types.js';

export interface Tolerances {
  scaleDown: number;
  scaleUp: number;
}

/** No change when 1 − down ≤ ratio ≤ 1 + up; both ends inclusive, as upstream. */
export function isWithinTolerance(t: Tolerances, usageRatio: number): boolean {
  return 1.0 - t.scaleDown <= usageRatio && usageRatio <= 1.0 + t.scaleUp;
}

/** Per-direction tolerances from `behavior`, falling back to the global one (tolerancesForHpa). */
export function tolerancesFor(behavior: Behavior | undefined, globalTolerance: number): Tolerances {
  const t: Tolerances = { scaleDown: globalTolerance, scaleUp: globalTolerance };
  if (!behavior) return t;
  if (behavior.scaleDown?.tolerance !== undefined) t.scaleDown = parseQuantity(behavior.scaleDown.tolerance);
  if (behavior.scaleUp?.tolerance !== undefined) t.scaleUp = parseQuantity(behavior.scaleUp.tolerance);
  return t;
}
