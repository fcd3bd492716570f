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
  /** The Volume a clone copies is not Ready. */
  Source: 'WaitingForSource',
  /** Deletion waits until nothing uses the object. */
  DeletionBlocked: 'DeletionBlocked',
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
  /** A Scaler's target cannot be scaled (no such kind, no scale subresource). */
  InvalidTarget: 'InvalidTarget',
  /** A dependency cannot give what the App asks of it. */
  InvalidDependency: 'InvalidDependency',
  /** A Volume's access mode does not fit how it is used. */
  VolumeAccessMode: 'VolumeAccessMode',
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
