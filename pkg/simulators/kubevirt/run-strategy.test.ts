import { decide, runStrategyOf } from './run-strategy.js';
import type { VirtualMachineInstance } from '../../contracts/kubevirt/index.js';

const vmi = (phase?: string, deleting = false): VirtualMachineInstance =>
  ({
    metadata: { name: 'vm', uid: 'vmi-1', ...(deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}) },
    spec: { domain: {} },
    status: phase ? { phase } : {},
  }) as VirtualMachineInstance;

describe('runStrategyOf', () => {
  it('maps the deprecated running field and refuses both at once', () => {
    expect(runStrategyOf({ metadata: {}, spec: { running: true, template: { spec: { domain: { devices: {} } } } } })).toBe('Always');
    expect(runStrategyOf({ metadata: {}, spec: { running: false, template: { spec: { domain: { devices: {} } } } } })).toBe('Halted');
    expect(() => runStrategyOf({ metadata: {}, spec: { running: true, runStrategy: 'Always', template: { spec: { domain: { devices: {} } } } } })).toThrow(
      'mutually exclusive',
    );
  });
});

describe('decide', () => {
  it.each([
    ['Always', undefined, [], 'create'],
    ['Always', 'Running', [], 'none'],
    ['Always', 'Failed', [], 'delete'],
    ['Always', 'Succeeded', [], 'delete'],
    ['RerunOnFailure', 'Failed', [], 'delete'],
    ['RerunOnFailure', 'Succeeded', [], 'none'],
    ['Manual', undefined, [], 'none'],
    ['Manual', undefined, [{ action: 'Start' }], 'create'],
    ['Manual', 'Running', [{ action: 'Stop', uid: 'vmi-1' }], 'delete'],
    ['Manual', 'Running', [{ action: 'Stop', uid: 'other' }], 'none'],
    ['Halted', 'Running', [], 'delete'],
    ['Halted', undefined, [], 'none'],
    ['Once', undefined, [], 'create'],
    ['Once', 'Succeeded', [], 'none'],
  ] as const)('%s with VMI %s and requests %j → %s', (strategy, phase, requests, action) => {
    expect(decide(strategy, phase === undefined ? undefined : vmi(phase), [...requests]).action).toBe(action);
  });

  it('never deletes a VMI that is already being deleted', () => {
    expect(decide('Halted', vmi('Running', true)).action).toBe('none');
    expect(decide('Halted', vmi('Running', true)).stopExpected).toBe(true);
  });
});
