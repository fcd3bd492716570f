import { seededRandom } from '../../test/support/random.js';
import type { ScalerHistory as HistoryStatus } from '../../pkg/api/types.generated.js';
import type { ScalerHistory } from './algorithm/history.js';
import { evaluateScaler, type ScalerInput, type ScalerResult } from './algorithm/scaler.js';
import { NOW, SECOND, external, externalAverage, pods } from '../../test/support/scaler-fixtures.js';
import type { Behavior } from './algorithm/types.js';
import { keepUnlessNew, persistHistory, restoreHistory } from './persisted-history.js';

const step = 15 * SECOND;
const behavior: Behavior = {
  scaleUp: { stabilizationWindowSeconds: 30, policies: [{ type: 'Pods', value: 2, periodSeconds: 60 }] },
  scaleDown: { stabilizationWindowSeconds: 120, policies: [{ type: 'Percent', value: 50, periodSeconds: 60 }] },
};

function input(i: number, current: number, queue: number, history: ScalerHistory, minReplicas = 1): ScalerInput {
  return {
    now: NOW + i * step,
    currentReplicas: current,
    pods: pods(current),
    minReplicas,
    maxReplicas: 20,
    cooldownPeriodSeconds: 60,
    metrics: [externalAverage('queue', 10, 5)],
    metricValues: [external(queue)],
    behavior,
    history,
  };
}

const persist = (r: ScalerResult) => persistHistory(r.history, { active: r.activation?.state === 'active', failureThreshold: 3 });

describe('persistHistory', () => {
  it('keeps runs, not one entry per evaluation: an unchanged recommendation changes nothing', () => {
    let history: ScalerHistory = {};
    let current = 4;
    const persisted: HistoryStatus[] = [];
    for (let i = 0; i < 40; i++) {
      const r = evaluateScaler(input(i, current, 40, history));
      history = r.history;
      current = r.desiredReplicas;
      persisted.push(keepUnlessNew(persist(r), persisted.at(-1)));
    }
    expect(new Set(persisted.slice(1).map((p) => JSON.stringify(p))).size).toBe(1);
    expect(persisted.at(-1)).toEqual({ recommendations: [{ replicas: 4 }] });
  });

  it('ends a run when the recommendation changes, with the time (rounded up) it was last made', () => {
    const h: ScalerHistory = {
      recommendations: [
        { timestamp: NOW, replicas: 6 },
        { timestamp: NOW + 15_200, replicas: 6 },
        { timestamp: NOW + 30_000, replicas: 3 },
      ],
    };
    expect(persistHistory(h, { active: false })).toEqual({ recommendations: [{ replicas: 6, until: '2024-01-15T12:00:16Z' }, { replicas: 3 }] });
  });

  it('drops runs a later one dominates both ways (they decide no window)', () => {
    const h: ScalerHistory = {
      recommendations: [2, 5, 3, 5, 4].map((replicas, i) => ({ timestamp: NOW + i * step, replicas })),
    };
    // The first 5: a later 5 is as high and a later 4 as low, so it decides nothing. 2 and 3: nothing later is as low.
    expect(persistHistory(h, { active: false }).recommendations).toEqual([
      { replicas: 2, until: '2024-01-15T12:00:00Z' },
      { replicas: 3, until: '2024-01-15T12:00:30Z' },
      { replicas: 5, until: '2024-01-15T12:00:45Z' },
      { replicas: 4 },
    ]);
  });

  it('keeps activity as a state while active and a time once it ends, and failures up to the threshold', () => {
    expect(persistHistory({ lastActiveTime: NOW + 123 }, { active: true })).toEqual({ active: true });
    expect(persistHistory({ lastActiveTime: NOW + 123 }, { active: false })).toEqual({ lastActiveTime: '2024-01-15T12:00:01Z' });
    expect(persistHistory({ consecutiveFailures: 7 }, { active: false, failureThreshold: 3 })).toEqual({ failures: 3 });
    expect(persistHistory({ consecutiveFailures: 7 }, { active: false })).toEqual({});
  });

  it('merges the oldest runs beyond 64, keeping their highest count until the latest of them', () => {
    const recs = Array.from({ length: 200 }, (_, i) => ({ timestamp: NOW + i * SECOND, replicas: 200 - i }));
    const runs = persistHistory({ recommendations: recs }, { active: false }).recommendations!;
    expect(runs).toHaveLength(64);
    expect(runs[0]).toEqual({ replicas: 200, until: new Date(NOW + 136 * SECOND).toISOString().replace('.000Z', 'Z') });
    expect(runs.at(-1)).toEqual({ replicas: 1 });
  });
});

describe('keepUnlessNew', () => {
  const previous: HistoryStatus = { recommendations: [{ replicas: 6, until: '2024-01-15T12:00:16Z' }, { replicas: 3 }], scaleDownEvents: [{ time: '2024-01-15T12:00:30Z', replicas: 3 }] };
  it('keeps the old history when the new one only lost expired entries', () => {
    expect(keepUnlessNew({ recommendations: [{ replicas: 3 }] }, previous)).toBe(previous);
  });
  it('takes the new one when it says anything new', () => {
    const next = { recommendations: [{ replicas: 3, until: '2024-01-15T12:05:00Z' }, { replicas: 2 }] };
    expect(keepUnlessNew(next, previous)).toBe(next);
    const failing = { ...previous, failures: 1 };
    expect(keepUnlessNew(failing, previous)).toBe(failing);
  });
});

describe('restoreHistory', () => {
  it('reads the current run and an ongoing activity as of now, past runs as they were', () => {
    const now = NOW + 60 * SECOND;
    expect(restoreHistory({ recommendations: [{ replicas: 6, until: '2024-01-15T12:00:16Z' }, { replicas: 3 }], active: true, failures: 2 }, now)).toEqual({
      recommendations: [
        { timestamp: NOW + 16 * SECOND, replicas: 6 },
        { timestamp: now, replicas: 3 },
      ],
      lastActiveTime: now,
      consecutiveFailures: 2,
    });
    expect(restoreHistory(undefined, now)).toEqual({});
  });

  it('ignores what it cannot read (a status from an older Stratus held epoch milliseconds)', () => {
    const old = { recommendations: [{ timestamp: 1796109155236, replicas: 3 }] } as unknown as HistoryStatus;
    expect(restoreHistory(old, NOW)).toEqual({ recommendations: [{ timestamp: NOW, replicas: 3 }] });
  });
});

describe('a restart from the persisted history', () => {
  // Queue lengths that rise and fall in bursts, then (from `tail`) only fall or stay, so that
  // the restarts below land in scale-downs being held back.
  function queueLengths(seed: number, n: number, tail: number): number[] {
    const rnd = seededRandom(seed);
    let level = 60;
    return Array.from({ length: n }, (_, i) => {
      if (i >= tail) return (level = Math.max(0, level - Math.round(rnd() * 15)));
      return (level = rnd() < 0.25 ? Math.round(rnd() * 150) : Math.max(0, level + Math.round((rnd() - 0.5) * 30)));
    });
  }

  function run(queue: number[], restart?: { after: number; outage: number }): { replicas: (number | undefined)[]; persisted: HistoryStatus[] } {
    let history: ScalerHistory = {};
    let current = 6;
    let persisted: HistoryStatus | undefined;
    const out: { replicas: (number | undefined)[]; persisted: HistoryStatus[] } = { replicas: [], persisted: [] };
    queue.forEach((q, i) => {
      if (restart && i > restart.after && i <= restart.after + restart.outage) {
        out.replicas.push(current); // down: nobody evaluates, the target stays
        return;
      }
      if (restart && i === restart.after + restart.outage + 1) history = restoreHistory(persisted, NOW + i * step);
      const result = evaluateScaler(input(i, current, q, history, 0));
      persisted = keepUnlessNew(persist(result), persisted);
      history = result.history;
      current = result.desiredReplicas;
      out.replicas.push(current);
      out.persisted.push(persisted);
    });
    return out;
  }

  it.each([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])('never scales down earlier than the uninterrupted controller (seed %i)', (seed) => {
    const tail = 30;
    const queue = queueLengths(seed, 70, tail);
    const uninterrupted = run(queue).replicas;
    expect(uninterrupted.slice(tail).some((n, i) => n! < uninterrupted[tail + i - 1]!)).toBe(true); // it does scale down
    const rnd = seededRandom(seed * 101);
    for (let trial = 0; trial < 12; trial++) {
      const after = tail - 1 + Math.floor(rnd() * 20);
      const outage = Math.floor(rnd() * 6);
      const restarted = run(queue, { after, outage }).replicas;
      // A scale-down of the restarted controller to fewer replicas than the uninterrupted one has then would be an early one.
      const early = restarted.flatMap((n, i) => (i > after && n! < restarted[i - 1]! && n! < uninterrupted[i]! ? [{ step: i, restarted: n, uninterrupted: uninterrupted[i] }] : []));
      expect({ after, outage, early }).toEqual({ after, outage, early: [] });
    }
  });

  it('holds a scale-down exactly as long as the uninterrupted controller when the high recommendation is a past run', () => {
    const queue = [80, 80, 80, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10];
    const run = (restartAt?: number) => {
      let history: ScalerHistory = {};
      let current = 8;
      return queue.map((q, i) => {
        if (i === restartAt) history = restoreHistory(persistHistory(history, { active: false }), NOW + i * step);
        const r = evaluateScaler(input(i, current, q, history));
        history = r.history;
        current = r.desiredReplicas;
        return current;
      });
    };
    const uninterrupted = run();
    expect(uninterrupted.indexOf(Math.min(...uninterrupted))).toBeGreaterThan(3);
    expect(run(5)).toEqual(uninterrupted);
  });
});
