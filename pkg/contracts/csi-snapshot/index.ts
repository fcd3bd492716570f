// CSI snapshots (kubernetes-csi/external-snapshotter client/v8, pinned in
// hack/upstream/go.mod): types generated from the CRDs, resource handles and
// accessors.
export type * from './generated/index.js';
export * from './resources.js';
export * from './accessors.js';
