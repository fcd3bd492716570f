// Scheduled minimum replicas.

import { evaluateScaler, type ScalerInput } from './scaler.js';
import { activeSchedules, latestOccurrence, validateSchedules, type ScheduleSpec } from './schedules.js';
import { EXPIRED_HISTORY, cpuUsages, cpuUtilization, external, externalAverage, pods } from '../../../test/support/scaler-fixtures.js';

// Weekdays 09:00–10:00 Paris time (UTC+2 in June).
const businessHours: ScheduleSpec = { cron: '0 9 * * 1-5', timezone: 'Europe/Paris', durationSeconds: 3600, minReplicas: 5 };
const at = (iso: string) => Date.parse(iso);

describe('activeSchedules', () => {
  it.each([
    ['2024-06-03T07:00:00Z', true], // Monday 09:00 Paris: the start is included
    ['2024-06-03T07:30:00Z', true],
    ['2024-06-03T07:59:59.999Z', true],
    ['2024-06-03T08:00:00Z', false], // 10:00 Paris: the end is excluded
    ['2024-06-03T06:59:59Z', false],
    ['2024-06-08T07:30:00Z', false], // Saturday
  ])('at %s active: %p', (iso, active) => {
    expect(activeSchedules([businessHours], at(iso))).toEqual(active ? { active: [0], minReplicas: 5 } : { active: [] });
  });

  it('reads the expression in UTC without a time zone', () => {
    const utc = { ...businessHours, timezone: undefined };
    expect(activeSchedules([utc], at('2024-06-03T07:30:00Z')).active).toEqual([]);
    expect(activeSchedules([utc], at('2024-06-03T09:30:00Z')).active).toEqual([0]);
  });

  it('takes the highest minimum of overlapping schedules', () => {
    const allDay: ScheduleSpec = { cron: '0 0 * * *', timezone: 'Europe/Paris', durationSeconds: 86400, minReplicas: 3 };
    const peak: ScheduleSpec = { ...businessHours, minReplicas: 8 };
    expect(activeSchedules([allDay, peak, businessHours], at('2024-06-03T07:30:00Z'))).toEqual({ active: [0, 1, 2], minReplicas: 8 });
  });

  it('finds an occurrence exactly at now', () => {
    expect(latestOccurrence(businessHours, at('2024-06-03T07:00:00Z'))).toBe(at('2024-06-03T07:00:00Z'));
  });

  it('follows daylight saving time', () => {
    // 09:00 Paris is 08:00 UTC in January.
    expect(activeSchedules([businessHours], at('2024-01-15T07:30:00Z')).active).toEqual([]);
    expect(activeSchedules([businessHours], at('2024-01-15T08:30:00Z')).active).toEqual([0]);
  });
});

describe('validateSchedules', () => {
  it('names the field of each problem', () => {
    const errors = validateSchedules([
      { ...businessHours, cron: '61 9 * * *' },
      { ...businessHours, timezone: 'Mars/Olympus' },
      { ...businessHours, cron: ' ' },
      { ...businessHours, durationSeconds: 0, minReplicas: -1 },
    ]);
    expect(errors).toEqual([
      expect.stringMatching(/^spec\.schedules\[0\]\.cron: invalid cron expression "61 9 \* \* \*": .+/),
      'spec.schedules[1].timezone: invalid time zone "Mars/Olympus"',
      'spec.schedules[2].cron: invalid cron expression " "',
      'spec.schedules[3].durationSeconds: must be a positive integer, got 0',
      'spec.schedules[3].minReplicas: must be a non-negative integer, got -1',
    ]);
  });

  it('accepts valid schedules', () => {
    expect(validateSchedules([businessHours, { cron: '*/30 * * * * *', durationSeconds: 10, minReplicas: 0 }])).toEqual([]);
  });

  it('throws the first problem from activeSchedules', () => {
    expect(() => activeSchedules([businessHours, { ...businessHours, cron: 'every day' }], 0)).toThrow(/^spec\.schedules\[1\]\.cron: invalid cron expression "every day"/);
  });
});

describe('schedules in the Scaler', () => {
  const base = (current: number, now: number): ScalerInput => ({
    now,
    currentReplicas: current,
    pods: pods(current),
    minReplicas: 1,
    maxReplicas: 10,
    metrics: [cpuUtilization(50)],
    metricValues: [cpuUsages(...Array(current).fill(100))],
    history: EXPIRED_HISTORY,
    schedules: [businessHours],
  });

  it('raises the minimum while a schedule is active', () => {
    const r = evaluateScaler(base(2, at('2024-06-03T07:30:00Z')));
    expect(r).toMatchObject({ desiredReplicas: 5, effectiveMinReplicas: 5, activeSchedules: [0], rescaleReason: 'Current number of replicas below Spec.MinReplicas' });
  });

  it('lets the count fall back after the schedule', () => {
    const r = evaluateScaler({ ...base(5, at('2024-06-03T08:00:00Z')), history: { recommendations: [{ timestamp: at('2024-06-03T07:00:00Z'), replicas: 5 }] } });
    expect(r).toMatchObject({ desiredReplicas: 1, effectiveMinReplicas: 1, activeSchedules: [] });
  });

  it('caps a scheduled minimum at maxReplicas', () => {
    const r = evaluateScaler({ ...base(2, at('2024-06-03T07:30:00Z')), maxReplicas: 4 });
    expect(r).toMatchObject({ desiredReplicas: 4, effectiveMinReplicas: 4 });
  });

  it('wakes a scaler from zero', () => {
    const r = evaluateScaler({
      ...base(0, at('2024-06-03T07:30:00Z')),
      minReplicas: 0,
      metrics: [externalAverage('queue', 10)],
      metricValues: [external(0)],
    });
    expect(r).toMatchObject({ desiredReplicas: 5 });
    expect(r.conditions.find((c) => c.type === 'AbleToScale')).toMatchObject({ reason: 'ScheduledMinimum' });
  });

  it('reports an invalid schedule and changes nothing', () => {
    const r = evaluateScaler({ ...base(2, at('2024-06-03T07:30:00Z')), schedules: [{ ...businessHours, timezone: 'Nowhere/Land' }] });
    expect(r).toMatchObject({ desiredReplicas: 2, rescale: false, history: EXPIRED_HISTORY, error: 'spec.schedules[0].timezone: invalid time zone "Nowhere/Land"' });
    expect(r.conditions).toEqual([
      { type: 'AbleToScale', status: 'True', reason: 'SucceededGetScale', message: "the HPA controller was able to get the target's current scale" },
      { type: 'ScalingActive', status: 'False', reason: 'InvalidSchedule', message: 'spec.schedules[0].timezone: invalid time zone "Nowhere/Land"' },
    ]);
    expect(r.decision.limitedBy).toBe('InvalidSchedule');
  });
});
