// NetworkSegment: a VLAN on a bridge that one tenant Network holds. Named
// <bridge>.<vlan> and cluster-scoped, so the apiserver's name uniqueness
// makes the allocation race-free across namespaces, workers and processes;
// the Network's finalizer releases it when the Network goes (a cluster-scoped
// object cannot be owned by a namespaced one).
import { integer, object, objectName, string, immutable } from './builder.js';
import { ageColumn, type KindDefinition } from './kind.js';

const spec = object(
  {
    bridge: string({ description: 'The bridge on the nodes.', maxLength: 15 }),
    vlan: integer({ description: 'The VLAN ID.', minimum: 1, maximum: 4094 }),
    network: object(
      {
        namespace: string({ description: 'The Network namespace.', maxLength: 63 }),
        name: objectName('The Network.'),
        uid: string({ description: 'The Network UID.', maxLength: 64 }),
      },
      { name: 'NetworkSegmentHolder', required: ['namespace', 'name', 'uid'] },
    ),
  },
  { name: 'NetworkSegmentSpec', required: ['bridge', 'vlan', 'network'], rules: [immutable('spec')] },
);

export const networkSegment: KindDefinition = {
  kind: 'NetworkSegment',
  plural: 'networksegments',
  singular: 'networksegment',
  shortNames: ['sseg'],
  categories: ['stratus-internal'],
  description: 'A VLAN on a bridge held by one tenant Network (internal: written by the Network controller, read-only for users).',
  spec,
  internal: true,
  scope: 'Cluster',
  printerColumns: [
    { name: 'Bridge', type: 'string', jsonPath: '.spec.bridge' },
    { name: 'VLAN', type: 'integer', jsonPath: '.spec.vlan' },
    { name: 'Namespace', type: 'string', jsonPath: '.spec.network.namespace' },
    { name: 'Network', type: 'string', jsonPath: '.spec.network.name' },
    ageColumn,
  ],
};
