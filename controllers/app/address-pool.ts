// An App's addresses on a secondary Network (pure). The pods of a Deployment
// share one template, so they cannot each be told an address. Instead the
// App gets a pool on every Network it attaches to: IPAllocations made by the
// Network's allocator (so no VirtualMachine or other App can hold the same
// address), and an attachment definition whose whereabouts IPAM hands out
// exactly those addresses to its instances.
import type { App, Network } from '../../pkg/api/types.generated.js';
import type { KubeObject } from '../../pkg/runtime/object.js';
import { attachmentDefinition, cniConfig, poolIpam } from '../network/nad.js';
import { childLabels } from '../shared/labels.js';

/** Allocation interface names of pool members: pool-0, pool-1, … */
const memberPrefix = 'pool-';

/**
 * Addresses an App needs on each Network: one per instance, plus the
 * instances a rolling update adds before it removes old ones (a
 * Deployment's default maxSurge, 25 % rounded up). At least one, so the
 * attachment definition always has a range.
 */
export function poolSize(replicas: number): number {
  return Math.max(1, replicas + Math.ceil(replicas / 4));
}

/** The App's attachment definition for a Network; the dots keep it apart from any Network's own. */
export function poolNadName(app: string, network: string): string {
  return `${network}.app.${app}`;
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

export function desiredPoolNad(app: App, network: Network, addresses: string[]): KubeObject {
  return attachmentDefinition(
    poolNadName(app.metadata.name!, network.metadata.name!),
    app.metadata.namespace,
    childLabels('app', app.metadata.name!),
    cniConfig(network, poolIpam(network, addresses)),
  );
}
