import type { VirtualMachine } from '../../pkg/api/types.generated.js';
import type { VirtualMachineInstance, VirtualMachineInstanceMigration } from '../../pkg/contracts/kubevirt/index.js';
import { planGroupDrain } from './group-drain.js';

const node = 'node-2';
const group = (spec: Partial<VirtualMachine['spec']> = {}): VirtualMachine =>
  ({ metadata: { name: 'workers', namespace: 'ns' }, spec: { replicas: 3, powerState: 'Running', evictionStrategy: 'LiveMigrateIfPossible', ...spec } }) as VirtualMachine;

interface Member {
  on?: string;
  evacuate?: boolean;
  migratable?: boolean;
  ready?: boolean;
  migrating?: boolean;
}

const vmi = (i: number, m: Member = {}): VirtualMachineInstance =>
  ({
    metadata: { name: `workers-${i}` },
    spec: { domain: { devices: {} } },
    status: {
      phase: 'Running',
      nodeName: m.on ?? node,
      ...(m.evacuate ? { evacuationNodeName: node } : {}),
      ...(m.migrating ? { migrationState: { migrationUid: 'u', completed: false } } : {}),
      conditions: [
        { type: 'Ready', status: m.ready === false ? 'False' : 'True' },
        m.migratable === false ? { type: 'LiveMigratable', status: 'False', reason: 'DisksNotLiveMigratable', message: 'PVC data is not shared' } : { type: 'LiveMigratable', status: 'True' },
      ],
    },
  }) as unknown as VirtualMachineInstance;

const running = (phase: string): VirtualMachineInstanceMigration => ({ metadata: { name: 'm' }, spec: { vmiName: 'workers-0' }, status: { phase } }) as VirtualMachineInstanceMigration;

describe('planGroupDrain', () => {
  it('does nothing while no member is marked for evacuation', () => {
    expect(planGroupDrain(group(), 3, [vmi(0), vmi(1), vmi(2)], [])).toEqual({ held: [] });
  });

  it('migrates the lowest-numbered marked member once every member is ready and nothing moves', () => {
    const vmis = [vmi(2, { evacuate: true }), vmi(0, { on: 'node-1' }), vmi(1, { evacuate: true })];
    const plan = planGroupDrain(group(), 3, vmis, []);
    expect(plan.migrate).toEqual({ vmi: vmis[2], node });
    expect(plan.progress).toBe('draining node node-2: 2 VMs to move');
  });

  it('waits while a migration runs, a member is not ready or missing, or a VMI reports a migration its object has not shown yet', () => {
    const marked = [vmi(0, { evacuate: true }), vmi(1, { on: 'node-1' }), vmi(2, { on: 'node-1' })];
    expect(planGroupDrain(group(), 3, marked, [running('Running')]).migrate).toBeUndefined();
    expect(planGroupDrain(group(), 3, [marked[0]!, vmi(1, { on: 'node-1', ready: false }), marked[2]!], []).migrate).toBeUndefined();
    expect(planGroupDrain(group(), 3, marked.slice(0, 2), []).migrate).toBeUndefined();
    expect(planGroupDrain(group(), 3, [marked[0]!, vmi(1, { on: 'node-1', migrating: true }), marked[2]!], []).migrate).toBeUndefined();
    expect(planGroupDrain(group(), 3, marked, [running('Succeeded')]).migrate).toBeDefined();
  });

  it('restarts a member that cannot migrate elsewhere (LiveMigrateIfPossible), saying why', () => {
    const plan = planGroupDrain(group(), 1, [vmi(0, { evacuate: true, migratable: false })], []);
    expect(plan.restart).toEqual({ vmi: 'workers-0', why: 'node node-2 is being drained and workers-0 cannot live-migrate (DisksNotLiveMigratable: PVC data is not shared)' });
  });

  it('keeps a member that cannot migrate on its node under LiveMigrate, and says why', () => {
    const plan = planGroupDrain(group({ evictionStrategy: 'LiveMigrate' }), 2, [vmi(0, { evacuate: true, migratable: false }), vmi(1, { evacuate: true })], []);
    expect(plan.held).toEqual([{ vmi: 'workers-0', why: 'DisksNotLiveMigratable: PVC data is not shared' }]);
    expect(plan.migrate?.vmi.metadata.name).toBe('workers-1');
    expect(plan.restart).toBeUndefined();
  });

  it('forgets the mark once the member left the node', () => {
    expect(planGroupDrain(group(), 1, [vmi(0, { evacuate: true, on: 'node-1' })], [])).toEqual({ held: [] });
  });
});
