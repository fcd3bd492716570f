// The finalizers of the Stratus kinds that stand for something outside
// themselves: each holds its object until the controller has released that
// (the claim, the segment and addresses, the snapshot contents, the clones).
// Admission puts them on at creation where the cluster serves
// MutatingAdmissionPolicies (admission/finalizer-policies.ts), which saves
// the controller a write per object; the controllers add any that is missing.
export const volumeFinalizer = 'stratus.dev/volume-protection';
export const networkFinalizer = 'stratus.dev/network-protection';
export const snapshotFinalizer = 'stratus.dev/snapshot-protection';
export const diskImageFinalizer = 'stratus.dev/diskimage-protection';

/** By kind. */
export const finalizerOfKind: Readonly<Record<string, string>> = {
  Volume: volumeFinalizer,
  Network: networkFinalizer,
  Snapshot: snapshotFinalizer,
  DiskImage: diskImageFinalizer,
};
