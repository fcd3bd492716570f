import type { VirtualMachine } from '../../pkg/api/types.generated.js';
import type { VirtualMachine as KubeVirtVirtualMachine, VirtualMachineInstance } from '../../pkg/contracts/kubevirt/index.js';
import { changesOf } from './live-update.js';
import { appliedSpec, appliedSpecAnnotation } from './template.js';

type Spec = Partial<VirtualMachine['spec']>;
const vm = (spec: Spec = {}): VirtualMachine =>
  ({
    apiVersion: 'stratus.dev/v1alpha1',
    kind: 'VirtualMachine',
    metadata: { name: 'web', namespace: 'ns', generation: 2 },
    spec: { powerState: 'Running', updatePolicy: 'Manual', evictionStrategy: 'LiveMigrateIfPossible', cpu: { cores: 1, dedicated: false }, memory: '4Gi', rootDisk: { image: 'img' }, ...spec },
  }) as VirtualMachine;

interface Running {
  /** The spec the instance started from (default: vm()). */
  started?: Spec;
  sockets?: number;
  maxSockets?: number | undefined;
  currentSockets?: number;
  guest?: string;
  maxGuest?: string | undefined;
  guestCurrent?: string;
  migratable?: boolean;
  conditions?: string[];
  volumes?: { name: string; hotpluggable?: boolean }[];
  volumeStatus?: { name: string; phase: string }[];
  interfaces?: string[];
  interfaceStatus?: { name: string; infoSource: string }[];
}

/** A running VMI as KubeVirt reports it: started from `started`, with the given topology and devices. */
function vmi(r: Running = {}): VirtualMachineInstance {
  const sockets = r.sockets ?? 1;
  return {
    metadata: { name: 'web', annotations: { [appliedSpecAnnotation]: appliedSpec(vm(r.started)) } },
    spec: {
      domain: {
        cpu: { sockets, cores: 1, threads: 1, ...('maxSockets' in r && r.maxSockets === undefined ? {} : { maxSockets: r.maxSockets ?? 4 }) },
        memory: { guest: r.guest ?? '4Gi', ...('maxGuest' in r && r.maxGuest === undefined ? {} : { maxGuest: r.maxGuest ?? '16Gi' }) },
        devices: { interfaces: (r.interfaces ?? ['default']).map((name) => ({ name, ...(name === 'default' ? { masquerade: {} } : { bridge: {} }) })) },
      },
      volumes: (r.volumes ?? []).map((v) => ({ name: v.name, persistentVolumeClaim: { claimName: v.name, ...(v.hotpluggable ? { hotpluggable: true } : {}) } })),
    },
    status: {
      phase: 'Running',
      currentCPUTopology: { sockets: r.currentSockets ?? sockets, cores: 1, threads: 1 },
      memory: { guestAtBoot: '4Gi', guestCurrent: r.guestCurrent ?? r.guest ?? '4Gi', guestRequested: r.guest ?? '4Gi' },
      conditions: [
        { type: 'Ready', status: 'True' },
        r.migratable === false
          ? { type: 'LiveMigratable', status: 'False', reason: 'DisksNotLiveMigratable', message: 'cannot migrate VMI: PVC root is not shared' }
          : { type: 'LiveMigratable', status: 'True' },
        ...(r.conditions ?? []).map((type) => ({ type, status: 'True' })),
      ],
      volumeStatus: r.volumeStatus ?? [],
      interfaces: r.interfaceStatus ?? [{ name: 'default', infoSource: 'domain, guest-agent' }],
    },
  } as unknown as VirtualMachineInstance;
}

const restartRequired = { status: { conditions: [{ type: 'RestartRequired', status: 'True' }] } } as unknown as KubeVirtVirtualMachine;
const scratch = [{ name: 'scratch', volume: 'scratch', bus: 'virtio' as const, readOnly: false }];
const side = [{ name: 'default' }, { name: 'side', network: 'side' }];

describe('changesOf', () => {
  it.each<[string, Spec, Running, KubeVirtVirtualMachine | undefined, { field: string; state: string; why?: unknown }[]]>([
    ['nothing changed', {}, {}, undefined, []],
    ['more cores, KubeVirt still moving the VM to a bigger launcher', { cpu: { cores: 2, dedicated: false } }, { sockets: 2, currentSockets: 1, conditions: ['HotVCPUChange'] }, undefined, [{ field: 'spec.cpu', state: 'applying' }]],
    ['more cores, in the guest', { cpu: { cores: 2, dedicated: false } }, { sockets: 2 }, undefined, [{ field: 'spec.cpu', state: 'live' }]],
    ['more cores than the maximum', { cpu: { cores: 8, dedicated: false } }, {}, undefined, [{ field: 'spec.cpu', state: 'pending', why: expect.stringContaining('grow to 4 cores') }]],
    ['fewer cores', { cpu: { cores: 1, dedicated: false } }, { started: { cpu: { cores: 2, dedicated: false } }, sockets: 2 }, undefined, [{ field: 'spec.cpu', state: 'pending', why: 'fewer cores take effect at a restart' }]],
    ['more cores on a VM that cannot migrate', { cpu: { cores: 2, dedicated: false } }, { migratable: false }, undefined, [{ field: 'spec.cpu', state: 'pending', why: expect.stringContaining('DisksNotLiveMigratable') }]],
    ['more cores on a VM started without room for them', { cpu: { cores: 2, dedicated: false } }, { maxSockets: undefined }, undefined, [{ field: 'spec.cpu', state: 'pending', why: expect.stringContaining('without room for more cores') }]],
    ['more cores while another change needs a restart', { cpu: { cores: 2, dedicated: false } }, {}, restartRequired, [{ field: 'spec.cpu', state: 'pending', why: expect.stringContaining('with the restart') }]],
    ['dedicated CPUs', { cpu: { cores: 1, dedicated: true } }, {}, undefined, [{ field: 'spec.cpu', state: 'pending', why: expect.stringContaining('dedicated') }]],
    ['more memory, on its way', { memory: '8Gi' }, { guest: '8Gi', guestCurrent: '4Gi', conditions: ['HotMemoryChange'] }, undefined, [{ field: 'spec.memory', state: 'applying' }]],
    ['more memory, in the guest', { memory: '8Gi' }, { guest: '8Gi', guestCurrent: '8Gi' }, undefined, [{ field: 'spec.memory', state: 'live' }]],
    ['more memory than the maximum', { memory: '32Gi' }, {}, undefined, [{ field: 'spec.memory', state: 'pending', why: expect.stringContaining('grow to 16Gi') }]],
    ['less memory than at boot', { memory: '2Gi' }, {}, undefined, [{ field: 'spec.memory', state: 'pending', why: expect.stringContaining('less memory') }]],
    ['more memory on a VM started without a maximum', { memory: '8Gi' }, { maxGuest: undefined }, undefined, [{ field: 'spec.memory', state: 'pending', why: expect.stringContaining('without room for more memory') }]],
    ['a data disk being attached', { disks: scratch }, { volumes: [{ name: 'scratch', hotpluggable: true }], volumeStatus: [{ name: 'scratch', phase: 'AttachedToNode' }] }, undefined, [{ field: 'spec.disks', state: 'applying' }]],
    ['a data disk attached', { disks: scratch }, { volumes: [{ name: 'scratch', hotpluggable: true }], volumeStatus: [{ name: 'scratch', phase: 'Ready' }] }, undefined, [{ field: 'spec.disks', state: 'live' }]],
    ['a SATA data disk', { disks: [{ ...scratch[0]!, bus: 'sata' }] }, {}, undefined, [{ field: 'spec.disks', state: 'pending', why: expect.stringContaining('only virtio and scsi') }]],
    ['a hotplugged disk being detached', {}, { started: { disks: scratch }, volumes: [{ name: 'scratch', hotpluggable: true }], volumeStatus: [{ name: 'scratch', phase: 'Detaching' }] }, undefined, [{ field: 'spec.disks', state: 'applying' }]],
    ['a hotplugged disk gone', {}, { started: { disks: scratch } }, undefined, [{ field: 'spec.disks', state: 'live' }]],
    ['a disk attached at boot removed', {}, { started: { disks: scratch }, volumes: [{ name: 'scratch' }] }, undefined, [{ field: 'spec.disks', state: 'pending', why: expect.stringContaining('attached at boot') }]],
    ['a secondary interface being plugged', { networks: side }, {}, undefined, [{ field: 'spec.networks', state: 'applying' }]],
    ['a secondary interface in the guest', { networks: side }, { interfaces: ['default', 'side'], interfaceStatus: [{ name: 'default', infoSource: 'domain' }, { name: 'side', infoSource: 'domain, multus-status' }] }, undefined, [{ field: 'spec.networks', state: 'live' }]],
    ['a secondary interface unplugged', { networks: [{ name: 'default' }] }, { started: { networks: side } }, undefined, [{ field: 'spec.networks', state: 'live' }]],
    ['the pod network removed', { networks: [{ name: 'side', network: 'side' }] }, { started: { networks: side }, interfaces: ['default', 'side'] }, undefined, [{ field: 'spec.networks', state: 'pending', why: expect.stringContaining('on the pod network') }]],
    ['another root disk', { rootDisk: { image: 'other', bus: 'virtio' } }, {}, undefined, [{ field: 'spec.rootDisk', state: 'pending', why: 'spec.rootDisk takes effect at a restart' }]],
  ])('%s', (_name, spec, running, kubevirtVm, want) => {
    expect(changesOf(vm(spec), vmi(running), kubevirtVm)).toEqual(want);
  });

  it('reads a record older than maxMemory and evictionStrategy as no change to them', () => {
    const old = vmi();
    const record = JSON.parse(old.metadata.annotations![appliedSpecAnnotation]!) as Record<string, unknown>;
    delete record.maxMemory;
    delete record.evictionStrategy;
    old.metadata.annotations![appliedSpecAnnotation] = JSON.stringify(record);
    expect(changesOf(vm({ evictionStrategy: 'LiveMigrate' }), old)).toEqual([]);
  });

  it('knows nothing of an instance without a record, or of none', () => {
    const bare = vmi();
    bare.metadata.annotations = {};
    expect(changesOf(vm({ memory: '8Gi' }), bare)).toEqual([]);
    expect(changesOf(vm({ memory: '8Gi' }), undefined)).toEqual([]);
  });
});
