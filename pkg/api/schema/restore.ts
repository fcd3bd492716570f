// Restore: brings a VirtualMachine's disks back to a Snapshot, in place
// (a KubeVirt VirtualMachineRestore) or into a new VM.
import { array, boolean, enumOf, object, rule, string } from './builder.js';
import { conditions, objectName, observedGeneration } from './common.js';
import { ageColumn, readyColumn, type KindDefinition } from './kind.js';
import { snapshots, virtualMachines, volumes } from './reference-targets.js';

const target = object(
  {
    virtualMachine: objectName(
      "Restore in place: the VirtualMachine the Snapshot was taken of, named again on purpose. Its disks in the Snapshot get the Snapshot's data; its configuration stays what its spec says.",
    ),
    newVirtualMachine: objectName(
      'Restore into a new VirtualMachine of this name (it must not exist): Stratus makes it, with a new Volume per disk of the Snapshot, from the spec the VM had when the Snapshot was taken, without its fixed addresses. Both are yours afterwards; Stratus does not change them again.',
    ),
  },
  {
    name: 'RestoreTarget',
    description: 'Where the data goes: exactly one of virtualMachine and newVirtualMachine.',
    rules: [rule('has(self.virtualMachine) != has(self.newVirtualMachine)', 'set exactly one of virtualMachine and newVirtualMachine')],
  },
);

const spec = object(
  {
    snapshot: objectName('The Snapshot to restore from, in the same namespace.'),
    target,
    stopVirtualMachine: boolean({
      description:
        'Consent to stop the target VM if it runs: Stratus stops it for the restore and starts it again afterwards as its powerState says. Without it, the restore waits until the VM is stopped.',
      default: false,
    }),
  },
  {
    name: 'RestoreSpec',
    required: ['snapshot', 'target'],
    rules: [rule('!self.stopVirtualMachine || has(self.target.virtualMachine)', 'stopVirtualMachine applies to a restore in place (target.virtualMachine)', { fieldPath: '.stopVirtualMachine' })],
  },
);

const restoredVolume = object(
  {
    name: string({ description: 'The disk (rootdisk, or the name in spec.disks).' }),
    volume: string({ description: 'The Volume that holds it now.' }),
    claimName: string({ description: 'The PersistentVolumeClaim restored from the Snapshot.' }),
  },
  { name: 'RestoredVolume', required: ['name'] },
);

const status = object(
  {
    observedGeneration: observedGeneration(),
    conditions: conditions(),
    phase: enumOf(['Pending', 'Stopping', 'Restoring', 'Succeeded', 'Failed'], { description: 'Where the restore stands.' }),
    virtualMachine: string({ description: 'The VirtualMachine restored to.' }),
    volumes: array(restoredVolume, { description: 'The disks restored.', mapKeys: ['name'] }),
    restoreTime: string({ description: 'When the data was back.', format: 'date-time' }),
  },
  { name: 'RestoreStatus' },
);

export const restore: KindDefinition = {
  kind: 'Restore',
  plural: 'restores',
  singular: 'restore',
  shortNames: ['srestore'],
  categories: ['stratus'],
  description: "Brings a VirtualMachine's disks back to a Snapshot: in place (the VM stopped for it, then started again as its powerState says), or into a new VirtualMachine.",
  spec,
  status,
  specRules: [rule('self == oldSelf', 'a Restore cannot change: make a new one')],
  printerColumns: [
    readyColumn,
    { name: 'Phase', type: 'string', jsonPath: '.status.phase' },
    { name: 'Snapshot', type: 'string', jsonPath: '.spec.snapshot' },
    { name: 'VM', type: 'string', jsonPath: '.status.virtualMachine' },
    { name: 'Restored', type: 'date', jsonPath: '.status.restoreTime', priority: 1 },
    ageColumn,
  ],
  references: [
    { path: 'spec.snapshot', target: snapshots },
    // A restore in place writes over the VM's disks: as much as changing the VM.
    { path: 'spec.target.virtualMachine', target: virtualMachines, verb: 'update' },
  ],
  scopeReferences: [
    { path: 'spec.target.newVirtualMachine', target: virtualMachines, verb: 'create' },
    { path: 'spec.target.newVirtualMachine', target: volumes, verb: 'create' },
  ],
};
