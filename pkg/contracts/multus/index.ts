// Multus (network-attachment-definition-client and multi-networkpolicy,
// pinned in hack/upstream/go.mod): types generated from the CRDs, resource
// handles, the pod annotations and whereabouts' IPAM configuration.
export type * from './generated/index.js';
export * from './resources.js';
export * from './annotations.js';
export type * from './whereabouts.js';
