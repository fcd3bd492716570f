// SnapshotSchedule: Snapshots of VirtualMachines and Volumes on a cron
// schedule, with retention.
import { array, boolean, enumOf, integer, object, rule, string } from './builder.js';
import { conditions, labelSelector, objectName, observedGeneration } from './common.js';
import { ageColumn, readyColumn, type KindDefinition } from './kind.js';
import { virtualMachines, volumes } from './reference-targets.js';
import { cronField, startingDeadlineField, timezoneField } from './schedule-fields.js';

const source = object(
  {
    virtualMachine: objectName('A VirtualMachine, by name.'),
    volume: objectName('A Volume, by name.'),
    virtualMachineSelector: { ...labelSelector, description: 'Every VirtualMachine whose labels match, at each run.' },
    volumeSelector: { ...labelSelector, description: 'Every Volume whose labels match, at each run.' },
  },
  {
    name: 'SnapshotScheduleSource',
    rules: [
      rule(
        '[has(self.virtualMachine), has(self.volume), has(self.virtualMachineSelector), has(self.volumeSelector)].filter(x, x).size() == 1',
        'set exactly one of virtualMachine, volume, virtualMachineSelector and volumeSelector',
      ),
    ],
  },
);

const retention = object(
  {
    keep: integer({ description: 'Keep the newest this many ready Snapshots of each source.', minimum: 1, maximum: 1000 }),
    maxAge: string({
      description: "Delete Snapshots older than this, e.g. 168h or 36h30m (hours, minutes, seconds); a source's newest ready Snapshot is kept whatever its age.",
      maxLength: 32,
      pattern: '^([0-9]+(h|m|s))+$',
      rules: [rule("duration(self) >= duration('60s')", 'must be at least 60s')],
    }),
  },
  {
    name: 'SnapshotRetention',
    description: 'Which Snapshots the schedule keeps; it never deletes one a Restore or a Volume is being restored from, nor one still in progress.',
    rules: [rule('has(self.keep) || has(self.maxAge)', 'set keep, maxAge or both')],
  },
);

const spec = object(
  {
    cron: cronField('When to take the Snapshots'),
    timezone: timezoneField(),
    startingDeadlineSeconds: startingDeadlineField(),
    suspend: boolean({ description: 'Take no Snapshots while true (retention still applies).', default: false }),
    sources: array(source, { description: 'What to snapshot, by name or label selector.', minItems: 1, maxItems: 16 }),
    retention,
    deletionPolicy: enumOf(['Delete', 'Retain'], { description: 'The deletionPolicy of the Snapshots it takes.', default: 'Delete' }),
  },
  { name: 'SnapshotScheduleSpec', required: ['cron', 'sources', 'retention'] },
);

const status = object(
  {
    observedGeneration: observedGeneration(),
    conditions: conditions(),
    lastScheduleTime: string({ description: 'The scheduled time of the last run.', format: 'date-time' }),
    nextScheduleTime: string({ description: 'When the next run is due.', format: 'date-time' }),
    lastSuccessfulTime: string({ description: 'The scheduled time of the newest run whose Snapshots are all ready.', format: 'date-time' }),
    snapshots: integer({ description: 'Snapshots it has taken that exist now.' }),
    sources: array(string(), { description: 'What the last run snapshotted, as Kind/name (the first 100).', maxItems: 100 }),
  },
  { name: 'SnapshotScheduleStatus' },
);

export const snapshotSchedule: KindDefinition = {
  kind: 'SnapshotSchedule',
  plural: 'snapshotschedules',
  singular: 'snapshotschedule',
  shortNames: ['ssched'],
  categories: ['stratus'],
  description: 'Snapshots of VirtualMachines and Volumes (by name or label selector) on a cron schedule, keeping the newest N and/or those younger than a maximum age.',
  spec,
  status,
  printerColumns: [
    readyColumn,
    { name: 'Cron', type: 'string', jsonPath: '.spec.cron' },
    { name: 'Last', type: 'date', jsonPath: '.status.lastScheduleTime' },
    { name: 'Next', type: 'string', jsonPath: '.status.nextScheduleTime', priority: 1 },
    { name: 'Snapshots', type: 'integer', jsonPath: '.status.snapshots' },
    ageColumn,
  ],
  references: [
    { path: 'spec.sources[].virtualMachine', target: virtualMachines },
    { path: 'spec.sources[].volume', target: volumes },
  ],
  scopeReferences: [
    { path: 'spec.sources[].virtualMachineSelector', target: virtualMachines, verb: 'list' },
    { path: 'spec.sources[].volumeSelector', target: volumes, verb: 'list' },
  ],
};
