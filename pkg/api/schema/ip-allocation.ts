// IPAllocation: one address taken on a Network. Stratus keeps address
// management in these objects: the name is derived from network and address,
// so the API server's name uniqueness makes allocation race-free across
// workers and processes; the owner reference releases the address when its
// owner goes.
import { object, objectName, string, integer } from './builder.js';
import { ageColumn, type KindDefinition } from './kind.js';
import { immutable } from './builder.js';

const spec = object(
  {
    network: objectName('The Network.'),
    address: string({ description: 'The IPv4 address.', maxLength: 15 }),
    owner: object(
      {
        kind: string({ description: 'VirtualMachine or App.', maxLength: 63 }),
        name: objectName('The owner.'),
        uid: string({ description: 'The owner UID.', maxLength: 64 }),
        interface: string({ description: 'The interface (or App instance) holding the address.', maxLength: 253 }),
        index: integer({ description: 'For groups: the member the address belongs to.', minimum: 0 }),
      },
      { name: 'IPAllocationOwner', required: ['kind', 'name', 'uid', 'interface'] },
    ),
  },
  { name: 'IPAllocationSpec', required: ['network', 'address', 'owner'], rules: [immutable('spec')] },
);

export const ipAllocation: KindDefinition = {
  kind: 'IPAllocation',
  plural: 'ipallocations',
  singular: 'ipallocation',
  shortNames: ['sipa'],
  categories: ['stratus-internal'],
  description: 'An address Stratus allocated on a Network (internal: written by the Network controller, read-only for users).',
  spec,
  internal: true,
  printerColumns: [
    { name: 'Network', type: 'string', jsonPath: '.spec.network' },
    { name: 'Address', type: 'string', jsonPath: '.spec.address' },
    { name: 'Owner', type: 'string', jsonPath: '.spec.owner.name' },
    { name: 'Interface', type: 'string', jsonPath: '.spec.owner.interface' },
    ageColumn,
  ],
};
