// KubeVirt's API (kubevirt.io/kubevirt, pinned in hack/upstream/go.mod):
// types generated from its CRDs, resource handles, labels and accessors.
export type * from './generated/index.js';
export type * from './types.js';
export * from './resources.js';
export * from './labels.js';
export * from './accessors.js';
export * from './migrations.js';
export * from './snapshots.js';
