// Address pools on secondary Networks (pure), for owners whose instances
// share one template: an App's pods, a VM group's members. Such instances
// cannot each be told an address. Instead the owner gets a pool on every
// Network it attaches to: IPAllocations made by the Network's allocator (so
// no other VM, App or group can hold the same address), and an attachment
// definition whose whereabouts IPAM leases exactly those addresses to its
// instances.
import type { Network, NetworkSegmentStatus } from '../../pkg/api/types.generated.js';
import type { KubeObject } from '../../pkg/meta/object.js';
import { attachmentDefinition, cniConfig, poolIpam } from './attachments.js';

/** Allocation interface names of pool members: pool-0, pool-1, … */
const memberPrefix = 'pool-';

/** What owns a pool: "app" (an App) or "group" (a VirtualMachine with replicas). */
export type PoolKind = 'app' | 'group';

/**
 * Addresses a pool needs: one per instance and interface on the Network,
 * plus the instances a rolling update or a replacement adds before old
 * ones are gone (25 % of the instances, rounded up, as a Deployment's
 * default maxSurge). At least one, so the attachment definition always has
 * a range.
 */
export function poolSize(instances: number, perInstance = 1): number {
  return Math.max(1, (instances + Math.ceil(instances / 4)) * perInstance);
}

/** The owner's attachment definition for a Network; the dots keep it apart from any Network's own. */
export function poolNadName(kind: PoolKind, owner: string, network: string): string {
  return `${network}.${kind}.${owner}`;
}

export interface PoolMember {
  /** The allocation's interface name (pool-N). */
  interface: string;
  address: string;
}

export interface PoolPlan {
  /** Members that stay. */
  keep: PoolMember[];
  /** Interface names to allocate new addresses for. */
  add: string[];
}

function memberIndex(name: string): number {
  return name.startsWith(memberPrefix) ? Number(name.slice(memberPrefix.length)) : Number.NaN;
}

/**
 * Which members a pool of `size` keeps and which it adds. An address an
 * instance holds is always kept, even past `size` (scaling down frees it
 * only once that instance is gone); then the lowest-numbered others.
 */
export function planPool(existing: PoolMember[], held: Set<string>, size: number): PoolPlan {
  const byIndex = [...existing].sort((a, b) => memberIndex(a.interface) - memberIndex(b.interface));
  const keep = byIndex.filter((m) => held.has(m.address));
  for (const m of byIndex) {
    if (keep.length >= size) break;
    if (!held.has(m.address)) keep.push(m);
  }
  const used = new Set(existing.map((m) => m.interface));
  const add: string[] = [];
  for (let i = 0; keep.length + add.length < size; i++) {
    const name = `${memberPrefix}${i}`;
    if (!used.has(name)) add.push(name);
  }
  return { keep, add };
}

export function desiredPoolNad(
  name: string,
  namespace: string | undefined,
  labels: Record<string, string>,
  network: Network,
  segment: NetworkSegmentStatus,
  addresses: string[],
): KubeObject {
  return attachmentDefinition(name, namespace, labels, cniConfig(network, segment, poolIpam(network, addresses)));
}
