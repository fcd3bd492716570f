// One vocabulary, in every kind, for what keeps an object from its spec: it
// waits for something that comes by itself (kstatus Reconciling), or it is
// stuck until someone changes something (Stalled) — with one reason per
// situation, whichever kind meets it.
import type { Summary } from '../../pkg/runtime/conditions/conditions.js';

/** Situations that resolve by themselves. */
export const Waiting = {
  /** A Volume it uses does not exist or is not Ready. */
  Volume: 'WaitingForVolume',
  /** A Network it attaches to does not exist or is not Ready (or an address on it is being taken). */
  Network: 'WaitingForNetwork',
  /** An object in dependsOn is not Ready. */
  Dependency: 'WaitingForDependency',
  /** A Scaler's target does not exist. */
  Target: 'WaitingForTarget',
  /** What an object is made from is not there or not Ready yet: the Volume a clone copies, a DiskImage, a Snapshot (for a Volume or a Restore), the VM or Volume a Snapshot copies. */
  Source: 'WaitingForSource',
  /** A restore in place waits until its VM is stopped (no consent to stop it). */
  Stop: 'WaitingForStop',
  /** Deletion waits until nothing uses the object. */
  DeletionBlocked: 'DeletionBlocked',
  /** A route is not accepted by its Gateway yet, or its listeners not programmed (a certificate to come). */
  Route: 'WaitingForRoute',
} as const;

/** Situations that need someone to change something. */
export const Stuck = {
  /** A child's name is taken by an object Stratus does not own. */
  ChildConflict: 'ChildConflict',
  /** A fixed address is taken, or outside the Network. */
  AddressConflict: 'AddressConflict',
  /** A Network has fewer free addresses than the instances need. */
  AddressesExhausted: 'AddressesExhausted',
  /** A Network's allocation range holds no address. */
  InvalidRange: 'InvalidRange',
  /** A provider VLAN lies in the tenant pool. */
  SegmentConflict: 'SegmentConflict',
  /** The tenant VLAN pool is used up. */
  SegmentsExhausted: 'SegmentsExhausted',
  /** A Scaler's target cannot be scaled (no such kind, no scale subresource); a Restore's target is not what its Snapshot was taken of. */
  InvalidTarget: 'InvalidTarget',
  /** What an object is made from cannot serve: a VM group to snapshot, storage that cannot snapshot, a Snapshot without the disk asked for. */
  InvalidSource: 'InvalidSource',
  /** KubeVirt or the CSI driver failed a snapshot. */
  SnapshotFailed: 'SnapshotFailed',
  /** KubeVirt failed a restore. */
  RestoreFailed: 'RestoreFailed',
  /** CDI keeps failing to import a disk. */
  ImportFailed: 'ImportFailed',
  /** A cron schedule the controller cannot read. */
  InvalidSchedule: 'InvalidSchedule',
  /** A dependency cannot give what the App asks of it. */
  InvalidDependency: 'InvalidDependency',
  /** A Volume's access mode does not fit how it is used. */
  VolumeAccessMode: 'VolumeAccessMode',
  /** Instances cannot be placed on any node (the scheduler's reason in the message): KubeVirt's word for it, so an App says it as a VM does. */
  Unschedulable: 'ErrorUnschedulable',
  /** Traffic names a revision that does not exist. */
  RevisionNotFound: 'RevisionNotFound',
  /** A route names a Gateway the settings do not offer. */
  GatewayNotOffered: 'GatewayNotOffered',
  /** A progressive rollout found the new revision failing and moved the traffic back. */
  RolledBack: 'RolledBack',
} as const;

/**
 * Work in progress on a running object that ends by itself: like Waiting,
 * kstatus Reconciling, but nothing is missing.
 */
export const Progress = {
  /** A VM's instance is moving to another node (requested, a node drain, a live update). */
  Migration: 'Migrating',
  /** Spec changes are being applied to a running VM without a restart. */
  LiveUpdate: 'LiveUpdating',
} as const;

export type WaitingReason = (typeof Waiting)[keyof typeof Waiting];
export type StuckReason = (typeof Stuck)[keyof typeof Stuck];

export type Problem = { stuck: false; reason: WaitingReason; message: string } | { stuck: true; reason: StuckReason; message: string };

export const waiting = (reason: WaitingReason, message: string): Problem => ({ stuck: false, reason, message });
export const stuck = (reason: StuckReason, message: string): Problem => ({ stuck: true, reason, message });

export function problemSummary(p: Problem): Summary {
  return { state: p.stuck ? 'stalled' : 'progressing', reason: p.reason, message: p.message };
}

/** The first stuck problem, else the first one waiting. */
export function firstProblem(problems: readonly Problem[]): Problem | undefined {
  return problems.find((x) => x.stuck) ?? problems[0];
}

/** The summary of the first problem (stuck ones first), else `otherwise`. */
export function summaryWith(problems: readonly Problem[], otherwise: Summary): Summary {
  const p = firstProblem(problems);
  return p ? problemSummary(p) : otherwise;
}
