import type { VirtualMachine } from '../../pkg/api/types.generated.js';
import type { VirtualMachine as KubeVirtVirtualMachine, VirtualMachineInstance } from '../../pkg/contracts/kubevirt/index.js';
import { appliedSpec, appliedSpecAnnotation, restartAnnotation } from './template.js';
import { planGroupRestart } from './group-restart.js';

const t1 = '2026-11-26T08:00:00Z';
const group = (spec: Partial<VirtualMachine['spec']> = {}): VirtualMachine =>
  ({
    apiVersion: 'stratus.dev/v1alpha1',
    kind: 'VirtualMachine',
    metadata: { name: 'workers', namespace: 'ns', generation: 2 },
    spec: { replicas: 3, powerState: 'Running', cpu: { cores: 2, dedicated: false }, memory: '2Gi', rootDisk: { image: 'img' }, restartRequestedAt: t1, ...spec },
  }) as VirtualMachine;

/** A member whose template carries `annotations`. */
const member = (i: number, annotations: Record<string, string>): KubeVirtVirtualMachine =>
  ({ metadata: { name: `workers-${i}`, uid: `m${i}` }, spec: { template: { metadata: { annotations }, spec: {} } }, status: { ready: true, created: true } }) as unknown as KubeVirtVirtualMachine;
const vmi = (i: number, annotations: Record<string, string>, o: { deleting?: boolean; ready?: boolean } = {}): VirtualMachineInstance =>
  ({
    metadata: { name: `workers-${i}`, annotations, ...(o.deleting ? { deletionTimestamp: t1 } : {}) },
    // Started with a fixed topology: its CPU changes wait for a restart.
    spec: { domain: { cpu: { cores: 2 }, devices: {} } },
    status: { conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True' }] },
  }) as unknown as VirtualMachineInstance;

const vm = group();
const applied = appliedSpec(vm);
const newTemplate = { [restartAnnotation]: t1, [appliedSpecAnnotation]: applied };
const old = { [appliedSpecAnnotation]: applied };
const fresh = { [restartAnnotation]: t1, [appliedSpecAnnotation]: applied };
const members = [0, 1, 2].map((i) => member(i, newTemplate));

describe('planGroupRestart', () => {
  it('restarts the lowest-numbered member not yet restarted, once every member is ready', () => {
    const plan = planGroupRestart(vm, members, [vmi(0, fresh), vmi(2, old), vmi(1, old)], undefined);
    expect(plan).toMatchObject({ restart: 'workers-1', reason: `restart requested at ${t1}`, progress: 'restarting: 1/3 VMs restarted' });
    expect(plan.restartedAt).toBeUndefined();
  });

  it('waits while a member is down or a VMI is going: one member at a time', () => {
    // workers-1's fresh VMI is not ready yet (its VM status may still say ready: the VMI decides).
    expect(planGroupRestart(vm, members, [vmi(0, fresh), vmi(1, fresh, { ready: false }), vmi(2, old)], undefined).restart).toBeUndefined();
    expect(planGroupRestart(vm, members, [vmi(0, fresh), vmi(1, old, { deleting: true }), vmi(2, old)], undefined).restart).toBeUndefined();
    // workers-1's VMI is gone and the new one not there yet.
    expect(planGroupRestart(vm, members, [vmi(0, fresh), vmi(2, old)], undefined).restart).toBeUndefined();
  });

  it('waits until the pool has brought the members up to the template', () => {
    const plan = planGroupRestart(vm, [member(0, old), member(1, old), member(2, old)], [vmi(0, old), vmi(1, old), vmi(2, old)], undefined);
    expect(plan).toMatchObject({ progress: 'restarting: 0/3 VMs restarted' });
    expect(plan.restart).toBeUndefined();
  });

  it('is done when every member runs a VMI carrying the request, and then asks nothing more', () => {
    const all = [vmi(0, fresh), vmi(1, fresh), vmi(2, fresh)];
    expect(planGroupRestart(vm, members, all, undefined)).toEqual({ restartedAt: t1, pending: [] });
    expect(planGroupRestart(vm, members, all, t1)).toEqual({ pending: [] });
  });

  it('counts a stopped group as restarted', () => {
    expect(planGroupRestart(group({ powerState: 'Stopped' }), members, [], undefined)).toEqual({ restartedAt: t1, pending: [] });
  });

  it('lists changes the running members were not started with, and rolls them out under updatePolicy Automatic', () => {
    const bigger = group({ restartRequestedAt: undefined, cpu: { cores: 4, dedicated: false } });
    const biggerApplied = { [appliedSpecAnnotation]: appliedSpec(bigger) };
    const updated = [0, 1, 2].map((i) => member(i, biggerApplied));
    const running = [vmi(0, old), vmi(1, old), vmi(2, old)];
    expect(planGroupRestart(bigger, updated, running, undefined)).toEqual({ pending: ['spec.cpu'] });
    const automatic = group({ restartRequestedAt: undefined, cpu: { cores: 4, dedicated: false }, updatePolicy: 'Automatic' });
    const plan = planGroupRestart(automatic, updated, [vmi(0, biggerApplied), vmi(1, old), vmi(2, old)], undefined);
    expect(plan).toMatchObject({ restart: 'workers-1', reason: 'applying spec.cpu (updatePolicy Automatic)', progress: 'applying spec.cpu: 1/3 VMs updated', pending: ['spec.cpu'] });
  });
});
