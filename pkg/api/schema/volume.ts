// Volume: a persistent disk (a PVC, or a CDI DataVolume when its data is imported or cloned).
import { enumOf, object, quantity, rule, string } from './builder.js';
import { conditions, label, localObjectReference, objectName, observedGeneration } from './common.js';
import { ageColumn, readyColumn, type KindDefinition } from './kind.js';
import { diskImages, secrets, snapshots, volumes } from './reference-targets.js';
import { array, integer } from './builder.js';

const source = object(
  {
    blank: object({}, { description: 'An empty disk (the default).' }),
    http: object(
      {
        url: string({
          description: 'Where to download the image (raw, qcow2, optionally compressed).',
          maxLength: 2048,
          rules: [rule("isURL(self) && (url(self).getScheme() == 'http' || url(self).getScheme() == 'https')", 'must be an http or https URL')],
        }),
        secretRef: localObjectReference,
      },
      { name: 'HttpSource', description: 'Import a disk image over HTTP(S).', required: ['url'] },
    ),
    registry: object(
      {
        url: string({
          description: 'A container image holding the disk, e.g. docker://quay.io/containerdisks/fedora:41.',
          maxLength: 2048,
          rules: [rule("self.startsWith('docker://') || self.startsWith('oci-archive://')", 'must start with docker:// or oci-archive://')],
        }),
      },
      { name: 'RegistrySource', description: 'Import a disk from a container registry.', required: ['url'] },
    ),
    volume: object({ name: objectName('The Volume to copy, in the same namespace.') }, { name: 'VolumeCloneSource', description: 'Clone another Volume.', required: ['name'] }),
    snapshot: object(
      {
        name: objectName('The Snapshot, in the same namespace.'),
        disk: label("For a Snapshot of a VirtualMachine: which of its disks (rootdisk, or a name from the VM's spec.disks); may be left out when it has one."),
      },
      { name: 'VolumeSnapshotSource', description: "Restore a Snapshot's data (size must be at least the Snapshot's).", required: ['name'] },
    ),
    diskImage: object({ name: objectName('The DiskImage, in the same namespace.') }, { name: 'VolumeDiskImageSource', description: 'Clone a DiskImage (no import of its own).', required: ['name'] }),
  },
  {
    name: 'VolumeSource',
    description: 'Where the initial data comes from; immutable.',
    rules: [
      rule(
        '[has(self.blank), has(self.http), has(self.registry), has(self.volume), has(self.snapshot), has(self.diskImage)].filter(x, x).size() <= 1',
        'set at most one of blank, http, registry, volume, snapshot and diskImage',
      ),
      { rule: 'self == oldSelf', message: 'source is immutable' },
    ],
  },
);

const spec = object(
  {
    size: quantity({
      description: 'Capacity, e.g. 10Gi. May grow (if the StorageClass allows expansion), never shrink.',
      rules: [
        rule("quantity(string(self)).compareTo(quantity('1Mi')) >= 0", 'must be at least 1Mi'),
        rule('quantity(string(self)).compareTo(quantity(string(oldSelf))) >= 0', 'size may not shrink'),
      ],
    }),
    storageClassName: string({ description: 'The StorageClass (default: the cluster default). Immutable.', maxLength: 253 }),
    accessMode: enumOf(['ReadWriteOnce', 'ReadWriteMany', 'ReadOnlyMany', 'ReadWriteOncePod'], {
      description: 'How nodes may attach it. Immutable.',
      default: 'ReadWriteOnce',
    }),
    volumeMode: enumOf(['Filesystem', 'Block'], { description: 'A filesystem or a raw block device. Immutable.', default: 'Filesystem' }),
    source,
    reclaimPolicy: enumOf(['Delete', 'Retain'], {
      description: 'When the Volume is deleted: Delete its claim and data, or Retain the claim (without an owner) for later use.',
      default: 'Delete',
    }),
  },
  { name: 'VolumeSpec', required: ['size'] },
);

const status = object(
  {
    observedGeneration: observedGeneration(),
    conditions: conditions(),
    phase: enumOf(['Pending', 'Importing', 'Restoring', 'Available', 'InUse', 'Resizing', 'Failed'], { description: 'Where the Volume stands (Restoring: a Restore is bringing back its data).' }),
    capacity: string({ description: 'The capacity the claim has now.' }),
    claimName: string({ description: 'The PersistentVolumeClaim holding the data.' }),
    progress: string({ description: 'Import or clone progress, e.g. "45.00%".' }),
    usedBy: array(
      object(
        { kind: string(), name: string() },
        { name: 'VolumeUser', required: ['kind', 'name'] },
      ),
      { description: 'The VirtualMachines and Apps that use the Volume (the first 100 by kind and name); it is not deleted while any does.', maxItems: 100 },
    ),
    userCount: integer({ description: 'How many VirtualMachines and Apps use the Volume.' }),
    restarts: integer({ description: 'How often the import was retried.' }),
  },
  { name: 'VolumeStatus' },
);

export const volume: KindDefinition = {
  kind: 'Volume',
  plural: 'volumes',
  singular: 'volume',
  shortNames: ['svol'],
  categories: ['stratus'],
  description: 'A persistent disk for VirtualMachines and Apps: blank, imported over HTTP or from a registry, cloned from another Volume or a DiskImage, or restored from a Snapshot.',
  spec,
  status,
  specRules: [
    rule('has(self.storageClassName) == has(oldSelf.storageClassName) && (!has(self.storageClassName) || self.storageClassName == oldSelf.storageClassName)', 'storageClassName is immutable', {
      fieldPath: '.storageClassName',
    }),
    rule('self.accessMode == oldSelf.accessMode', 'accessMode is immutable', { fieldPath: '.accessMode' }),
    rule('self.volumeMode == oldSelf.volumeMode', 'volumeMode is immutable', { fieldPath: '.volumeMode' }),
    rule('has(self.source) == has(oldSelf.source)', 'source is immutable', { fieldPath: '.source' }),
  ],
  printerColumns: [
    readyColumn,
    { name: 'Phase', type: 'string', jsonPath: '.status.phase' },
    { name: 'Size', type: 'string', jsonPath: '.spec.size' },
    { name: 'Capacity', type: 'string', jsonPath: '.status.capacity' },
    { name: 'Progress', type: 'string', jsonPath: '.status.progress', priority: 1 },
    { name: 'Claim', type: 'string', jsonPath: '.status.claimName', priority: 1 },
    ageColumn,
  ],
  references: [
    { path: 'spec.source.http.secretRef.name', target: secrets },
    { path: 'spec.source.volume.name', target: volumes },
    { path: 'spec.source.snapshot.name', target: snapshots },
    { path: 'spec.source.diskImage.name', target: diskImages },
  ],
};
