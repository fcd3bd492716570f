// KubeVirt's snapshot and restore API (snapshot.kubevirt.io/v1beta1,
// pkg/storage/snapshot): the names its controllers use, the values its
// fields take, and the parts of its types passed around on their own.
import type { VirtualMachineRestore } from './generated/virtual-machine-restore.js';
import type { VirtualMachineSnapshotContent } from './generated/virtual-machine-snapshot-content.js';
import type { VirtualMachineSnapshot } from './generated/virtual-machine-snapshot.js';

export const snapshotFinalizers = {
  snapshot: 'snapshot.kubevirt.io/vmsnapshot-protection',
  content: 'snapshot.kubevirt.io/vmsnapshotcontent-protection',
  /** On the VM while a snapshot of it is taken. */
  source: 'snapshot.kubevirt.io/snapshot-source-protection',
  restore: 'snapshot.kubevirt.io/vmrestore-protection',
} as const;

export const snapshotLabels = {
  /** On the VolumeSnapshots of a VM snapshot. */
  sourceVmName: 'snapshot.kubevirt.io/source-vm-name',
  sourceVmNamespace: 'snapshot.kubevirt.io/source-vm-namespace',
  /** On the claims a restore makes. */
  restoreSourceVmName: 'restore.kubevirt.io/source-vm-name',
  restoreSourceVmNamespace: 'restore.kubevirt.io/source-vm-namespace',
} as const;

export const restoreAnnotations = {
  /** On the claims and DataVolumes a restore makes: the VirtualMachineRestore. */
  name: 'restore.kubevirt.io/name',
  /** On a restored VM and its claims: `<restore name>-<restore uid>`. */
  lastRestoreUID: 'restore.kubevirt.io/lastRestoreUID',
} as const;

/** status.indications / sourceIndications[].indication. */
export const snapshotIndications = {
  online: 'Online',
  guestAgent: 'GuestAgent',
  noGuestAgent: 'NoGuestAgent',
  quiesceTimeout: 'QuiesceTimeout',
  paused: 'Paused',
} as const;

/** snapshotv1.DefaultFailureDeadline and DefaultGracePeriod. */
export const snapshotFailureDeadlineMs = 5 * 60_000;
export const restoreGracePeriodMs = 5 * 60_000;

export type VolumeBackup = NonNullable<VirtualMachineSnapshotContent['spec']['volumeBackups']>[number];
export type VolumeRestore = NonNullable<NonNullable<VirtualMachineRestore['status']>['restores']>[number];
export type SnapshotCondition = NonNullable<NonNullable<VirtualMachineSnapshot['status']>['conditions']>[number];
export type VolumeSnapshotStatus = NonNullable<NonNullable<VirtualMachineSnapshotContent['status']>['volumeSnapshotStatus']>[number];
