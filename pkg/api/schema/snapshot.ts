// Snapshot: a point-in-time copy of a VirtualMachine's disks (a KubeVirt
// VirtualMachineSnapshot) or of a Volume (a CSI VolumeSnapshot).
import { array, boolean, enumOf, object, rule, string } from './builder.js';
import { conditions, objectName, observedGeneration } from './common.js';
import { ageColumn, readyColumn, type KindDefinition } from './kind.js';
import { virtualMachines, volumes } from './reference-targets.js';

const source = object(
  {
    virtualMachine: objectName('A VirtualMachine (a single VM, not a group), in the same namespace: every persistent disk it has.'),
    volume: objectName('A Volume, in the same namespace.'),
  },
  {
    name: 'SnapshotSource',
    description: 'What to snapshot: exactly one of virtualMachine and volume.',
    rules: [rule('has(self.virtualMachine) != has(self.volume)', 'set exactly one of virtualMachine and volume')],
  },
);

const spec = object(
  {
    source,
    deletionPolicy: enumOf(['Delete', 'Retain'], {
      description:
        "When the Snapshot is deleted: Delete its data, or Retain it (the KubeVirt VirtualMachineSnapshotContent, or the CSI VolumeSnapshotContent, stays for a cluster administrator).",
      default: 'Delete',
    }),
  },
  { name: 'SnapshotSpec', required: ['source'] },
);

const volumeStatus = object(
  {
    name: string({ description: 'The disk of the VM (rootdisk, or the name in spec.disks), or the Volume.' }),
    volume: string({ description: 'The Volume holding the disk, when it is one.' }),
    claimName: string({ description: 'The PersistentVolumeClaim that was snapshotted.' }),
    volumeSnapshot: string({ description: 'The CSI VolumeSnapshot holding the copy.' }),
    size: string({ description: 'The smallest size a disk restored from it can have.' }),
    readyToUse: boolean({ description: 'Whether the copy can be restored from.' }),
  },
  { name: 'SnapshotVolumeStatus', required: ['name'] },
);

const status = object(
  {
    observedGeneration: observedGeneration(),
    conditions: conditions(),
    phase: enumOf(['Pending', 'InProgress', 'Succeeded', 'Failed'], { description: 'Where the Snapshot stands.' }),
    readyToUse: boolean({ description: 'Whether the Snapshot can be restored from.' }),
    creationTime: string({ description: 'The point in time the data is from.', format: 'date-time' }),
    size: string({ description: 'The size of all its disks together.' }),
    consistency: enumOf(['Application', 'Crash', 'Offline'], {
      description:
        "Application: the guest agent froze the VM's filesystems; Crash: taken while the disk was in use without that (as after a power cut); Offline: nothing was running on the disk.",
    }),
    indications: array(string(), { description: "KubeVirt's indications of the VM's state when it was taken (Online, GuestAgent, NoGuestAgent, Paused, QuiesceTimeout)." }),
    volumes: array(volumeStatus, { description: 'The disks in the Snapshot.', mapKeys: ['name'] }),
    excludedDisks: array(string(), { description: 'Disks of the VM that are not in the Snapshot (container disks, cloud-init).' }),
    sourceUID: string({ description: 'The uid of the VirtualMachine or Volume it was taken of: a restore in place goes only to that very object.' }),
  },
  { name: 'SnapshotStatus' },
);

export const snapshot: KindDefinition = {
  kind: 'Snapshot',
  plural: 'snapshots',
  singular: 'snapshot',
  shortNames: ['ssnap'],
  categories: ['stratus'],
  description: "A point-in-time copy of a VirtualMachine's disks (a KubeVirt VirtualMachineSnapshot) or of a Volume (a CSI VolumeSnapshot).",
  spec,
  status,
  specRules: [rule('self == oldSelf', 'a Snapshot cannot change: make a new one')],
  printerColumns: [
    readyColumn,
    { name: 'Phase', type: 'string', jsonPath: '.status.phase' },
    { name: 'VM', type: 'string', jsonPath: '.spec.source.virtualMachine' },
    { name: 'Volume', type: 'string', jsonPath: '.spec.source.volume' },
    { name: 'Size', type: 'string', jsonPath: '.status.size' },
    { name: 'Consistency', type: 'string', jsonPath: '.status.consistency' },
    { name: 'Taken', type: 'date', jsonPath: '.status.creationTime', priority: 1 },
    ageColumn,
  ],
  references: [
    { path: 'spec.source.virtualMachine', target: virtualMachines },
    { path: 'spec.source.volume', target: volumes },
  ],
};
