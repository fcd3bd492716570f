// The working history the algorithm hands back carries all its state as plain
// JSON, and pruning it changes no decision upstream would make. (What status
// keeps of it, and restarts from that, are in ../persisted-history.test.ts.)

import { seededRandom } from '../../../test/support/random.js';
import type { ScalerHistory } from './history.js';
import { evaluateHpa } from './hpa.js';
import { evaluateScaler, type ScalerInput, type ScalerResult } from './scaler.js';
import { NOW, SECOND, cpuUsages, cpuUtilization, external, externalAverage, pods } from '../../../test/support/scaler-fixtures.js';
import type { Behavior, MetricSpec, ScalingPolicy, SelectPolicy } from './types.js';

describe('restart safety', () => {
  // CPU per pod over time, and a queue that drains to zero and comes back.
  const cpu = [900, 950, 800, 400, 200, 150, 150, 100, 100, 600, 900, 900, 300, 100, 100, 100, 100, 100, 100, 100];
  const queue = [40, 60, 20, 10, 0, 0, 0, 0, 0, 30, 80, 80, 10, 0, 0, 0, 0, 0, 0, 0];
  const behavior: Behavior = {
    scaleUp: { stabilizationWindowSeconds: 30, policies: [{ type: 'Pods', value: 2, periodSeconds: 30 }] },
    scaleDown: { stabilizationWindowSeconds: 60, policies: [{ type: 'Percent', value: 50, periodSeconds: 60 }] },
  };
  const metrics: MetricSpec[] = [cpuUtilization(50), externalAverage('queue', 10, 5)];

  function step(i: number, current: number, history: ScalerHistory | undefined): ScalerResult {
    const input: ScalerInput = {
      now: NOW + i * 30 * SECOND,
      currentReplicas: current,
      pods: pods(current),
      minReplicas: 0,
      maxReplicas: 12,
      cooldownPeriodSeconds: 90,
      metrics,
      metricValues: [cpuUsages(...Array(current).fill(cpu[i]!)), external(queue[i]!)],
      behavior,
      history,
      fallback: { failureThreshold: 2, replicas: 3 },
    };
    return evaluateScaler(input);
  }

  function run(persist: (history: ScalerHistory, i: number) => ScalerHistory | undefined): ScalerResult[] {
    let current = 2;
    let history: ScalerHistory | undefined;
    return cpu.map((_, i) => {
      const r = step(i, current, history);
      current = r.desiredReplicas;
      history = persist(r.history, i);
      return r;
    });
  }

  const inMemory = run((h) => h);

  it('gives the same decisions when the history goes through JSON at every step', () => {
    expect(run((h) => JSON.parse(JSON.stringify(h)) as ScalerHistory)).toEqual(inMemory);
  });

  it('gives the same decisions after a restart in the middle (persisted status only)', () => {
    expect(run((h, i) => (i === 7 ? (JSON.parse(JSON.stringify(h)) as ScalerHistory) : structuredClone(h)))).toEqual(inMemory);
  });

  it('exercises the stateful parts (so the comparison means something)', () => {
    const reasons = new Set(inMemory.flatMap((r) => r.conditions.map((c) => c.reason)));
    for (const reason of ['ScaleUpLimit', 'ScaleDownStabilized', 'ScaleToZero', 'ScaleFromZero']) expect(reasons.has(reason)).toBe(true);
    // Losing the history at the restart point changes later decisions.
    const amnesic = run((h, i) => (i === 7 ? undefined : h));
    expect(amnesic.map((r) => r.desiredReplicas)).not.toEqual(inMemory.map((r) => r.desiredReplicas));
  });

  it('keeps the persisted history bounded', () => {
    let current = 4;
    let history: ScalerHistory | undefined;
    let longest = 0;
    for (let i = 0; i < 500; i++) {
      const usage = i % 20 < 10 ? 900 : 100;
      const r = evaluateHpa({
        now: NOW + i * 15 * SECOND,
        currentReplicas: current,
        pods: pods(current),
        maxReplicas: 20,
        metrics: [cpuUtilization(50)],
        metricValues: [cpuUsages(...Array(current).fill(usage))],
        behavior: {},
        history,
      });
      current = r.desiredReplicas;
      history = r.history;
      longest = Math.max(longest, JSON.stringify(history).length);
    }
    // 300 s of recommendations at one per 15 s, plus events of the last 15 s.
    expect(history!.recommendations!.length).toBeLessThanOrEqual(21);
    expect(longest).toBeLessThan(2000);
  });
});

// A transcription of upstream's in-memory bookkeeping, without any pruning:
// it overwrites the last expired recommendation / outdated event slot in place.
class UpstreamReference {
  recommendations: { t: number; r: number }[] | undefined;
  up: { t: number; c: number; outdated: boolean }[] = [];
  down: { t: number; c: number; outdated: boolean }[] = [];

  constructor(
    private readonly b: { up: Rules; down: Rules },
    private readonly min: number,
    private readonly max: number,
  ) {}

  private change(period: number, events: { t: number; c: number }[], now: number): number {
    return events.filter((e) => e.t > now - period * 1000).reduce((s, e) => s + e.c, 0);
  }

  private limit(current: number, rules: Rules, now: number, upward: boolean): number {
    if (rules.select === 'Disabled') return current;
    const pickMin = (rules.select === 'Min') === upward;
    let result = pickMin ? 2147483647 : -2147483648;
    for (const p of rules.policies) {
      const start = current - this.change(p.periodSeconds, this.up, now) + this.change(p.periodSeconds, this.down, now);
      let proposed: number;
      if (upward) proposed = p.type === 'Pods' ? start + p.value : Math.ceil(start * (1 + p.value / 100));
      else proposed = p.type === 'Pods' ? start - p.value : Math.trunc(start * (1 - p.value / 100));
      result = pickMin ? Math.min(result, proposed) : Math.max(result, proposed);
    }
    return result;
  }

  step(now: number, current: number, desired: number): number {
    this.recommendations ??= [{ t: now, r: current }];
    const upCutoff = now - this.b.up.window * 1000;
    const downCutoff = now - this.b.down.window * 1000;
    let upRec = desired;
    let downRec = desired;
    let old = -1;
    this.recommendations.forEach((rec, i) => {
      if (rec.t > upCutoff) upRec = Math.min(rec.r, upRec);
      if (rec.t > downCutoff) downRec = Math.max(rec.r, downRec);
      if (rec.t < upCutoff && rec.t < downCutoff) old = i;
    });
    let stabilized = Math.min(Math.max(current, upRec), downRec);
    if (old >= 0) this.recommendations[old] = { t: now, r: desired };
    else this.recommendations.push({ t: now, r: desired });

    if (stabilized > current) {
      const limit = Math.max(this.limit(current, this.b.up, now, true), current);
      stabilized = Math.min(stabilized, Math.min(this.max, limit));
    } else if (stabilized < current) {
      const limit = Math.min(this.limit(current, this.b.down, now, false), current);
      stabilized = Math.max(stabilized, Math.max(this.min, limit));
    }
    if (stabilized !== current) {
      const [list, rules, change] = stabilized > current ? [this.up, this.b.up, stabilized - current] : [this.down, this.b.down, current - stabilized];
      const longest = Math.max(0, ...rules.policies.map((p) => p.periodSeconds));
      list.forEach((e) => {
        if (e.t < now - longest * 1000) e.outdated = true;
      });
      const slot = list.map((e) => e.outdated).lastIndexOf(true);
      if (slot >= 0) list[slot] = { t: now, c: change, outdated: false };
      else list.push({ t: now, c: change, outdated: false });
    }
    return stabilized;
  }
}

interface Rules {
  window: number;
  select: SelectPolicy;
  policies: ScalingPolicy[];
}

describe('pruned history against upstream bookkeeping', () => {
  const randomRules = (next: () => number, window: number): Rules => {
    const count = 1 + Math.floor(next() * 2);
    const policies: ScalingPolicy[] = Array.from({ length: count }, () => ({
      type: next() < 0.5 ? 'Pods' : 'Percent',
      value: 1 + Math.floor(next() * 60),
      periodSeconds: [15, 30, 60, 120, 600][Math.floor(next() * 5)]!,
    }));
    const select = (['Max', 'Max', 'Min', 'Disabled'] as const)[Math.floor(next() * 4)]!;
    return { window, select, policies };
  };

  // Seeds 34, 49 and 52 catch a pruning that drops every uncountable event of both directions:
  // it reorders upstream's slots and later keeps a different event.
  it.each([...Array.from({ length: 30 }, (_, i) => i + 1), 34, 49, 52, 103, 133])('random run %i takes the same decisions', (seed) => {
    const next = seededRandom(seed);
    const up = randomRules(next, [0, 0, 30, 90][Math.floor(next() * 4)]!);
    const down = randomRules(next, [0, 60, 300][Math.floor(next() * 3)]!);
    const behavior: Behavior = {
      scaleUp: { stabilizationWindowSeconds: up.window, selectPolicy: up.select, policies: up.policies },
      scaleDown: { stabilizationWindowSeconds: down.window, selectPolicy: down.select, policies: down.policies },
    };
    const reference = new UpstreamReference({ up, down }, 1, 25);
    // An Object metric with an AverageValue target of 1 and no tolerance proposes exactly its value.
    const metric: MetricSpec = {
      type: 'Object',
      object: { describedObject: { kind: 'Queue', name: 'q' }, metric: { name: 'depth' }, target: { type: 'AverageValue', averageValue: 1 } },
    };
    let now = NOW;
    let current = 5;
    let history: ScalerHistory | undefined;
    const ours: number[] = [];
    const theirs: number[] = [];
    for (let i = 0; i < 200; i++) {
      now += (1 + Math.floor(next() * 40)) * SECOND;
      const proposal = Math.floor(next() * 30);
      const r = evaluateHpa({
        now,
        currentReplicas: current,
        pods: [],
        minReplicas: 1,
        maxReplicas: 25,
        metrics: [metric],
        metricValues: [{ kind: 'object', value: proposal }],
        behavior,
        history: JSON.parse(JSON.stringify(history ?? {})) as ScalerHistory,
        config: { tolerance: 0 },
      });
      theirs.push(reference.step(now, current, proposal));
      ours.push(r.desiredReplicas);
      current = r.desiredReplicas;
      history = r.history;
    }
    expect(ours).toEqual(theirs);
  });
});
