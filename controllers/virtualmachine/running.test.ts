import type { VirtualMachineInstance } from '../../pkg/contracts/kubevirt/index.js';
import { migratabilityOf } from './running.js';

const vmi = (name: string, status: 'True' | 'False', message = ''): VirtualMachineInstance =>
  ({
    apiVersion: 'kubevirt.io/v1',
    kind: 'VirtualMachineInstance',
    metadata: { name },
    spec: { domain: { devices: {} } },
    status: { conditions: [{ type: 'LiveMigratable', status, reason: status === 'True' ? '' : 'DisksNotLiveMigratable', message }] },
  }) as VirtualMachineInstance;

describe('migratabilityOf', () => {
  it('is True only when every instance can move', () => {
    expect(migratabilityOf([vmi('a', 'True'), vmi('b', 'True')])).toMatchObject({ status: 'True', reason: 'Migratable' });
  });

  it("names the first instance by name that cannot, whatever the order it is given in", () => {
    const blocked = [vmi('workers-2', 'False', 'PVC workers-scratch-2 is not shared'), vmi('workers-0', 'False', 'PVC workers-scratch-0 is not shared')];
    const expected = { status: 'False', reason: 'DisksNotLiveMigratable', message: 'PVC workers-scratch-0 is not shared' };
    expect(migratabilityOf(blocked)).toEqual(expected);
    expect(migratabilityOf([...blocked].reverse())).toEqual(expected);
  });

  it('is unknown while no instance reports it', () => {
    expect(migratabilityOf([])).toBeUndefined();
  });
});
