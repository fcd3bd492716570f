// Gateway API v1, standard channel (sigs.k8s.io/gateway-api, pinned in
// hack/upstream/go.mod): types generated from the CRDs, resource handles
// and the bundle annotations.
export type * from './generated/index.js';
export * from './resources.js';
export * from './bundle.js';
