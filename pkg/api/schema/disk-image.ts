// DiskImage: a golden image, imported once (a CDI DataVolume behind a CDI
// DataSource), from which VirtualMachines and Volumes start by cloning.
import { enumOf, integer, object, quantity, rule, string } from './builder.js';
import { conditions, localObjectReference, observedGeneration } from './common.js';
import { ageColumn, readyColumn, type KindDefinition } from './kind.js';
import { secrets } from './reference-targets.js';
import { cronField, startingDeadlineField, timezoneField } from './schedule-fields.js';

const source = object(
  {
    http: object(
      {
        url: string({
          description: 'Where to download the image (raw, qcow2, optionally compressed).',
          maxLength: 2048,
          rules: [rule("isURL(self) && (url(self).getScheme() == 'http' || url(self).getScheme() == 'https')", 'must be an http or https URL')],
        }),
        checksum: string({
          description: 'The checksum the download must have, e.g. sha256:3b1f…: CDI verifies it, and the image is then pinned (a refresh cannot change it).',
          maxLength: 200,
          pattern: '^(sha256|sha512|sha1|md5):[0-9a-fA-F]+$',
        }),
        secretRef: localObjectReference,
      },
      { name: 'DiskImageHttpSource', description: 'Import over HTTP(S).', required: ['url'] },
    ),
    registry: object(
      {
        url: string({
          description: 'A container image holding the disk, e.g. docker://quay.io/containerdisks/fedora:41; with @sha256:… the image is pinned.',
          maxLength: 2048,
          rules: [rule("self.startsWith('docker://') || self.startsWith('oci-archive://')", 'must start with docker:// or oci-archive://')],
        }),
      },
      { name: 'DiskImageRegistrySource', description: 'Import from a container registry.', required: ['url'] },
    ),
  },
  {
    name: 'DiskImageSource',
    description: 'Where the image comes from; changing it imports a new revision.',
    rules: [rule('has(self.http) != has(self.registry)', 'set exactly one of http and registry')],
  },
);

const refresh = object(
  {
    cron: cronField('When to import the source again'),
    timezone: timezoneField(),
    startingDeadlineSeconds: startingDeadlineField(),
  },
  {
    name: 'DiskImageRefresh',
    description:
      'Import the source again on a schedule, as a new revision; VMs and Volumes made from it keep the disks they have, new ones clone the new revision once it is ready. A pinned source (checksum or digest) is not refreshed.',
    required: ['cron'],
  },
);

const spec = object(
  {
    source,
    size: quantity({
      description: 'The size of the imported disk, e.g. 10Gi (at least the image’s virtual size). Clones are at least this big.',
      rules: [rule("quantity(string(self)).compareTo(quantity('1Mi')) >= 0", 'must be at least 1Mi')],
    }),
    storageClassName: string({ description: 'The StorageClass of the imported disk (default: the cluster default). Immutable.', maxLength: 253 }),
    refresh,
  },
  { name: 'DiskImageSpec', required: ['source', 'size'] },
);

const status = object(
  {
    observedGeneration: observedGeneration(),
    conditions: conditions(),
    phase: enumOf(['Pending', 'Importing', 'Ready', 'Failed'], { description: 'Where the image stands (Ready: VMs and Volumes can start from it).' }),
    revision: integer({ description: 'The revision clones are made from now.' }),
    importingRevision: integer({ description: 'A newer revision being imported (first import, refresh, or a new source).' }),
    progress: string({ description: 'Import progress of the revision being imported, e.g. "45.00%".' }),
    size: string({ description: 'The capacity of the current revision.' }),
    checksum: string({ description: "The source checksum CDI verified the current revision's download against." }),
    digest: string({ description: "The registry digest the current revision was imported from, when the URL names one." }),
    dataSource: string({ description: 'The CDI DataSource clones name (sourceRef).' }),
    clones: integer({ description: 'Clones from the image in progress; the image is not deleted while any is.' }),
    lastRefreshTime: string({ description: 'The scheduled time of the last refresh.', format: 'date-time' }),
    nextRefreshTime: string({ description: 'When the next refresh is due.', format: 'date-time' }),
  },
  { name: 'DiskImageStatus' },
);

export const diskImage: KindDefinition = {
  kind: 'DiskImage',
  plural: 'diskimages',
  singular: 'diskimage',
  shortNames: ['simg'],
  categories: ['stratus'],
  description: 'A golden image: imported once (HTTP or registry, optionally refreshed on a schedule); VirtualMachines and Volumes start from it by cloning, without an import of their own.',
  spec,
  status,
  specRules: [
    rule('has(self.storageClassName) == has(oldSelf.storageClassName) && (!has(self.storageClassName) || self.storageClassName == oldSelf.storageClassName)', 'storageClassName is immutable', {
      fieldPath: '.storageClassName',
    }),
  ],
  printerColumns: [
    readyColumn,
    { name: 'Phase', type: 'string', jsonPath: '.status.phase' },
    { name: 'Size', type: 'string', jsonPath: '.status.size' },
    { name: 'Revision', type: 'integer', jsonPath: '.status.revision' },
    { name: 'Progress', type: 'string', jsonPath: '.status.progress', priority: 1 },
    { name: 'Clones', type: 'integer', jsonPath: '.status.clones', priority: 1 },
    ageColumn,
  ],
  references: [{ path: 'spec.source.http.secretRef.name', target: secrets }],
};
