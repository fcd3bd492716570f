// Gateway API v1, standard channel (sigs.k8s.io/gateway-api, pinned in
// hack/upstream/go.mod): types generated from the CRDs, resource handles,
// the bundle annotations, condition vocabulary and accessors.
export type * from './generated/index.js';
export * from './resources.js';
export * from './bundle.js';
export * from './conditions.js';
export * from './accessors.js';
