// CDI's API (kubevirt.io/containerized-data-importer, pinned in
// hack/upstream/go.mod): types generated from its CRDs, resource handles and
// the annotations it reads.
export type * from './generated/index.js';
export type * from './types.js';
export * from './resources.js';
export * from './annotations.js';
