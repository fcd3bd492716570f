// Status conditions as the simulated implementation writes them: the
// transition time kept while the status holds, the generation observed.
import type { Condition } from '../../meta/object.js';
import { conditionTime } from '../../runtime/conditions/conditions.js';

export interface ConditionInput {
  type: string;
  status: boolean;
  reason: string;
  message: string;
}

export function conditionsFor(existing: readonly Condition[] | undefined, inputs: ConditionInput[], generation: number | undefined, now: number): Condition[] {
  return inputs.map((c) => {
    const status = c.status ? 'True' : 'False';
    const before = existing?.find((e) => e.type === c.type);
    return {
      type: c.type,
      status,
      reason: c.reason,
      message: c.message,
      lastTransitionTime: before?.status === status ? before.lastTransitionTime : conditionTime(now),
      ...(generation !== undefined ? { observedGeneration: generation } : {}),
    };
  });
}
