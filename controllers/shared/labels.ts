// Labels and annotations Stratus puts on the objects it makes.
import { createHash } from 'node:crypto';

export const managedBy = { 'app.kubernetes.io/managed-by': 'stratus' } as const;

export const labelKeys = {
  volume: 'stratus.dev/volume',
  network: 'stratus.dev/network',
  virtualMachine: 'stratus.dev/virtualmachine',
  app: 'stratus.dev/app',
  snapshot: 'stratus.dev/snapshot',
  restore: 'stratus.dev/restore',
  /** On the Snapshots a SnapshotSchedule takes (they outlive it: backups are not deleted with their schedule). */
  snapshotSchedule: 'stratus.dev/snapshotschedule',
  diskImage: 'stratus.dev/diskimage',
  /** Set on VMs of a group: the member index. */
  member: 'stratus.dev/member',
  /** Set on an App's revisions (Deployments, Services, pods): the revision's name. */
  revision: 'stratus.dev/revision',
} as const;

/**
 * The label marking a pod as a member of a Network: net.stratus.dev/<name>.
 * A label name is at most 63 characters; longer Network names are shortened
 * with a hash so the key stays unique.
 */
export function networkMemberLabel(network: string): string {
  const name = network.length <= 63 ? network : `${network.slice(0, 52)}-${createHash('sha256').update(network).digest('hex').slice(0, 10)}`;
  return `net.stratus.dev/${name}`;
}

/** Labels for a child: Stratus's own, plus the owner's key label. */
export function childLabels(key: keyof typeof labelKeys, owner: string): Record<string, string> {
  return { ...managedBy, [labelKeys[key]]: owner };
}
