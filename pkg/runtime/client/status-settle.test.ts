import type { Condition } from '../../meta/object.js';
import { settle } from './status-settle.js';

function cond(type: string, status: 'True' | 'False', reason: string, message = ''): Condition {
  return { type, status, reason, message, lastTransitionTime: '2026-12-01T00:00:00Z' };
}

const inProgress = (phase: string, reason: string, message = '') => ({ observedGeneration: 1, phase, conditions: [cond('Ready', 'False', reason, message), cond('Reconciling', 'True', reason, message)] });
const provisioning = inProgress('Pending', 'Provisioning');
const starting = inProgress('Starting', 'Starting');
const ready = { observedGeneration: 1, phase: 'Running', conditions: [cond('Ready', 'True', 'Running')] };
const stalled = { observedGeneration: 1, phase: 'Failed', conditions: [cond('Ready', 'False', 'ChildConflict'), cond('Stalled', 'True', 'ChildConflict')] };
const times = { stepMs: 2_000, detailMs: 10_000, progressMs: 10_000 };

describe('settle', () => {
  it('writes at once what a reader acts on', () => {
    expect(settle(undefined, provisioning, undefined, 0, times)).toEqual({ write: true });
    expect(settle(starting, ready, undefined, 0, times)).toEqual({ write: true });
    expect(settle(ready, starting, undefined, 0, times)).toEqual({ write: true });
    expect(settle(provisioning, stalled, undefined, 0, times)).toEqual({ write: true });
    expect(settle(ready, { ...ready, observedGeneration: 2 }, undefined, 0, times)).toEqual({ write: true });
  });

  it('holds news about an object that stays Ready for the step time', () => {
    const readyElsewhere = { ...ready, address: '10.0.0.2' };
    expect(settle(ready, readyElsewhere, undefined, 0, times)).toEqual({ write: false, waitMs: 2_000 });
    expect(settle(ready, readyElsewhere, 0, 2_000, times)).toEqual({ write: true });
    const migratable = { ...ready, conditions: [...ready.conditions, cond('LiveMigratable', 'False', 'DisksNotLiveMigratable')] };
    expect(settle(ready, migratable, 0, 1_500, times)).toEqual({ write: false, waitMs: 500 });
  });

  it('holds a new step for the rest of the step time, then writes it', () => {
    const unobserved = { observedGeneration: 0 };
    expect(settle(unobserved, provisioning, undefined, 10_000, times)).toEqual({ write: false, waitMs: 2_000 });
    expect(settle(provisioning, { ...starting, observedGeneration: 2 }, undefined, 10_000, times)).toEqual({ write: false, waitMs: 2_000 });
    expect(settle(provisioning, starting, 10_000, 11_500, times)).toEqual({ write: false, waitMs: 500 });
    expect(settle(provisioning, starting, 10_000, 12_000, times)).toEqual({ write: true });
  });

  it('holds a detail of the same step longer, unless a new step follows', () => {
    const withAddress = { ...provisioning, ipAddresses: ['10.0.0.2'] };
    expect(settle(provisioning, withAddress, undefined, 0, times)).toEqual({ write: false, waitMs: 10_000 });
    expect(settle(provisioning, withAddress, 0, 9_000, times)).toEqual({ write: false, waitMs: 1_000 });
    expect(settle(provisioning, withAddress, 0, 10_000, times)).toEqual({ write: true });
    // A new message is a new step: what the object waits for now.
    expect(settle(provisioning, inProgress('Pending', 'Provisioning', 'waiting for claim data'), undefined, 0, times)).toEqual({ write: false, waitMs: 2_000 });
    // The detail waited 3 s when the next step came: past the step time, so written.
    expect(settle(provisioning, starting, 0, 3_000, times)).toEqual({ write: true });
  });

  it('reports an object still in progress at most once per progress time', () => {
    // Reported at 10 s; the next step at 11 s waits until 20 s, past its step time.
    expect(settle(provisioning, starting, 11_000, 13_000, times, 10_000)).toEqual({ write: false, waitMs: 7_000 });
    expect(settle(provisioning, starting, 11_000, 20_000, times, 10_000)).toEqual({ write: true });
    // Reported long ago: only the step time counts.
    expect(settle(provisioning, starting, 30_000, 31_000, times, 10_000)).toEqual({ write: false, waitMs: 1_000 });
    // Becoming Ready or Stalled does not wait for it.
    expect(settle(starting, ready, undefined, 11_000, times, 10_000)).toEqual({ write: true });
    expect(settle(starting, stalled, undefined, 11_000, times, 10_000)).toEqual({ write: true });
  });

  it('holds a change to an object that stays Stalled like any step', () => {
    const stalledAgain = { ...stalled, conditions: [cond('Ready', 'False', 'ChildConflict'), cond('Stalled', 'True', 'SegmentConflict')] };
    expect(settle(stalled, stalledAgain, undefined, 0, times)).toEqual({ write: false, waitMs: 2_000 });
  });
});
