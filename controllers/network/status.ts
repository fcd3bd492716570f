// A Network's status: its attachment definition, address counts and users.
import { summaryWith, Waiting, type Problem } from '../shared/problems.js';
import type { Network, NetworkSegmentStatus, NetworkStatus, NetworkUser } from '../../pkg/api/types.generated.js';
import { summarize, type Summary } from '../../pkg/runtime/conditions/conditions.js';
import { describeUsers, listedUsers } from '../shared/users.js';

export interface NetworkObservation {
  nadName?: string;
  segment?: NetworkSegmentStatus;
  allocated: number;
  free: number;
  users: NetworkUser[];
  /** What it waits for (a Network its rules name) or what blocks it (a clash, a VLAN it cannot have). */
  problems: Problem[];
  deleting: boolean;
  now: number;
}

export function networkStatus(network: Network, o: NetworkObservation): NetworkStatus {
  const usedBy = describeUsers(o.users);
  const summary: Summary =
    o.deleting && o.users.length
      ? { state: 'progressing', reason: Waiting.DeletionBlocked, message: `deletion waits until nothing is attached; attached: ${usedBy}` }
      : summaryWith(o.problems, { state: 'ready', reason: 'Available', message: `${o.allocated} addresses allocated, ${o.free} free` });
  const status: NetworkStatus = {
    observedGeneration: network.metadata.generation,
    conditions: summarize(network.status?.conditions, summary, network.metadata.generation, o.now),
    allocated: o.allocated,
    free: o.free,
  };
  if (o.nadName) status.networkAttachmentDefinition = o.nadName;
  if (o.segment) status.segment = o.segment;
  if (o.users.length) {
    status.usedBy = listedUsers(o.users);
    status.userCount = o.users.length;
  }
  return status;
}
