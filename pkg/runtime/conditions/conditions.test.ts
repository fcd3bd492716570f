import type { Condition } from '../../meta/object.js';
import { conditionTime, findCondition, removeCondition, setCondition, summarize } from './conditions.js';

const t0 = Date.parse('2026-01-01T00:00:00Z');
const later = t0 + 60_000;

describe('setCondition', () => {
  it('adds a condition with the transition time and observed generation', () => {
    const [c] = setCondition([], { type: 'Ready', status: true, reason: 'Available', message: 'ok' }, 3, t0);
    expect(c).toEqual({ type: 'Ready', status: 'True', reason: 'Available', message: 'ok', lastTransitionTime: '2026-01-01T00:00:00Z', observedGeneration: 3 });
  });

  it('keeps lastTransitionTime when only reason or message change', () => {
    const first = setCondition([], { type: 'Ready', status: false, reason: 'Waiting', message: 'a' }, 1, t0);
    const second = setCondition(first, { type: 'Ready', status: false, reason: 'StillWaiting', message: 'b' }, 2, later);
    expect(findCondition(second, 'Ready')).toMatchObject({ reason: 'StillWaiting', message: 'b', observedGeneration: 2, lastTransitionTime: conditionTime(t0) });
  });

  it('moves lastTransitionTime when the status flips', () => {
    const first = setCondition([], { type: 'Ready', status: false, reason: 'Waiting' }, 1, t0);
    const second = setCondition(first, { type: 'Ready', status: true, reason: 'Available' }, 1, later);
    expect(findCondition(second, 'Ready')?.lastTransitionTime).toBe(conditionTime(later));
  });

  it('never changes its input', () => {
    const input: Condition[] = [{ type: 'Ready', status: 'False', reason: 'X', message: '', lastTransitionTime: conditionTime(t0) }];
    const frozen = JSON.stringify(input);
    setCondition(input, { type: 'Ready', status: true, reason: 'Y' }, 1, later);
    expect(JSON.stringify(input)).toBe(frozen);
  });

  it.each(['', 'not camel', 'Trailing-', '9Lives'])('refuses the reason %j', (reason) => {
    expect(() => setCondition([], { type: 'Ready', status: true, reason }, 1)).toThrow('CamelCase');
  });

  it('removes a condition by type', () => {
    const c = setCondition([], { type: 'Stalled', status: true, reason: 'Broken' }, 1, t0);
    expect(removeCondition(c, 'Stalled')).toEqual([]);
  });
});

describe('summarize (kstatus)', () => {
  it('has Reconciling only while progressing and Stalled only while stalled', () => {
    const progressing = summarize([], { state: 'progressing', reason: 'WaitingForVolume', message: 'Volume data is not ready' }, 1, t0);
    expect(progressing.map((c) => `${c.type}=${c.status}`)).toEqual(['Ready=False', 'Reconciling=True']);
    const stalled = summarize(progressing, { state: 'stalled', reason: 'ErrImagePull', message: 'cannot pull' }, 1, later);
    expect(stalled.map((c) => `${c.type}=${c.status}`)).toEqual(['Ready=False', 'Stalled=True']);
    expect(findCondition(stalled, 'Ready')?.lastTransitionTime).toBe(conditionTime(t0));
    const ready = summarize(stalled, { state: 'ready', reason: 'Running', message: 'running' }, 2, later);
    expect(ready.map((c) => `${c.type}=${c.status}`)).toEqual(['Ready=True']);
    expect(findCondition(ready, 'Ready')).toMatchObject({ observedGeneration: 2, lastTransitionTime: conditionTime(later) });
  });
});
