import type { App, RolloutStatus } from '../../pkg/api/types.generated.js';
import { progress } from './rollout.js';
import type { Target } from './traffic.js';

const now = Date.parse('2026-01-01T00:10:00Z');
const steps = [
  { percent: 10, pauseSeconds: 60 },
  { percent: 50, pauseSeconds: 120 },
];
const app = (rollout?: RolloutStatus, withSteps = true): App => ({
  apiVersion: 'stratus.dev/v1alpha1',
  kind: 'App',
  metadata: { name: 'web', namespace: 'ns' },
  spec: { image: 'x', replicas: 1, ...(withSteps ? { rollout: { steps } } : {}) },
  ...(rollout ? { status: { rollout } } : {}),
});
const latest = (revision: string, percent = 100): Target => ({ revision, percent, latestRevision: true });
const split = (old: number, fresh: number): Target[] => [{ revision: 'web-00001', percent: old }, latest('web-00002', fresh)];
const desired = [latest('web-00002')];
const fine = () => undefined;
const ready = () => true;
const notReady = () => false;

describe('progress without a rollout', () => {
  it('moves to spec.traffic once its revisions are ready', () => {
    expect(progress(app(undefined, false), desired, [latest('web-00001')], ready, fine, now)).toEqual({ served: desired, target: desired });
    expect(progress(app(undefined, false), desired, [latest('web-00001')], notReady, fine, now)).toEqual({ served: [latest('web-00001')], target: desired });
  });
});

describe('progress with a rollout', () => {
  it('starts at the first step: the new revision gets its part once ready, and the step starts then', () => {
    expect(progress(app(), desired, [latest('web-00001')], notReady, fine, now)).toEqual({ served: [latest('web-00001')], target: split(90, 10), rollout: { revision: 'web-00002', from: 'web-00001', step: 0 } });
    expect(progress(app(), desired, [latest('web-00001')], ready, fine, now)).toEqual({
      served: split(90, 10),
      target: split(90, 10),
      rollout: { revision: 'web-00002', from: 'web-00001', step: 0, stepStartedAt: '2026-01-01T00:10:00Z' },
      requeueAfterMs: 60_000,
    });
  });

  it('holds a step for its pause', () => {
    const rollout = { revision: 'web-00002', from: 'web-00001', step: 0, stepStartedAt: '2026-01-01T00:09:30Z' };
    expect(progress(app(rollout), desired, split(90, 10), ready, fine, now)).toEqual({ served: split(90, 10), target: split(90, 10), rollout, requeueAfterMs: 30_000 });
  });

  it('goes to the next step once the pause is over, then to everything, and is done', () => {
    const first = { revision: 'web-00002', from: 'web-00001', step: 0, stepStartedAt: '2026-01-01T00:09:00Z' };
    expect(progress(app(first), desired, split(90, 10), ready, fine, now)).toMatchObject({ served: split(50, 50), rollout: { step: 1, stepStartedAt: '2026-01-01T00:10:00Z' }, requeueAfterMs: 120_000 });
    const second = { revision: 'web-00002', from: 'web-00001', step: 1, stepStartedAt: '2026-01-01T00:08:00Z' };
    expect(progress(app(second), desired, split(50, 50), ready, fine, now)).toEqual({ served: desired, target: desired });
  });

  it('splits only the latest entry, leaving pinned shares alone', () => {
    const pinned: Target[] = [{ revision: 'web-00000', percent: 50 }, latest('web-00002', 50)];
    const r = progress(app(), pinned, [{ revision: 'web-00000', percent: 50 }, latest('web-00001', 50)], ready, fine, now);
    expect(r.served).toEqual([{ revision: 'web-00000', percent: 50 }, { revision: 'web-00001', percent: 45 }, latest('web-00002', 5)]);
  });

  it('halts and moves the traffic back at once when the new revision fails, and stays back', () => {
    const rollout = { revision: 'web-00002', from: 'web-00001', step: 1, stepStartedAt: '2026-01-01T00:09:00Z' };
    const failing = (r: string) => (r === 'web-00002' ? 'pod web-00002-x: CrashLoopBackOff' : undefined);
    const halted = progress(app(rollout), desired, split(50, 50), ready, failing, now);
    expect(halted).toEqual({
      served: [latest('web-00001')],
      target: [latest('web-00001')],
      rollout: { revision: 'web-00002', from: 'web-00001', step: 1, rolledBack: 'web-00002 failed at step 2 (50%): pod web-00002-x: CrashLoopBackOff; its traffic went back to web-00001' },
    });
    expect(progress(app(halted.rollout), desired, [latest('web-00001')], ready, fine, now)).toEqual({ served: [latest('web-00001')], target: [latest('web-00001')], rollout: halted.rollout });
  });

  it('starts afresh from where traffic is for a newer revision, and not at all for a new App', () => {
    const halted = { revision: 'web-00002', from: 'web-00001', step: 0, rolledBack: 'x' };
    expect(progress(app(halted), [latest('web-00003')], [latest('web-00001')], notReady, fine, now).rollout).toEqual({ revision: 'web-00003', from: 'web-00001', step: 0 });
    expect(progress(app(), [latest('web-00001')], [], notReady, fine, now)).toEqual({ served: [latest('web-00001')], target: [latest('web-00001')] });
  });
});
