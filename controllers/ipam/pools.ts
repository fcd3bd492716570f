// Address pools on secondary Networks, for an App or a VM group: per
// Network, a pool from the Network's allocator and the attachment definition
// that leases the pool's addresses to the instances (see pool.ts).
// Addresses leave the pool only once no instance holds them, and never while
// an instance is still being given one, so an address is never in two hands.
import { Networks } from '../../pkg/api/resources.js';
import type { IPAllocation, Network, NetworkPoolStatus } from '../../pkg/api/types.generated.js';
import type { CachedPod } from '../shared/cached-pod.js';
import { NetworkAttachmentDefinitions, networksAnnotation, networkStatusAnnotation, parseNetworks, reportedNetworks } from '../../pkg/contracts/multus/index.js';
import type { Cache } from '../../pkg/runtime/cache/cache.js';
import type { Client } from '../../pkg/runtime/client/client.js';
import { isControlledBy, type KubeObject } from '../../pkg/meta/object.js';
import type { Predicate } from '../../pkg/runtime/predicate/predicates.js';
import type { IpAllocator } from './allocator.js';
import { desiredPoolNad, planPool, poolNadName, poolSize, type PoolKind } from './pool.js';
import {applyChild } from '../shared/children.js';

/** Addresses listed per Network in status. */
const listedAddresses = 100;

export interface PoolOwner {
  /** The App or VirtualMachine: owner of the allocations and attachment definitions. */
  object: KubeObject;
  kind: PoolKind;
  /** Labels of its attachment definitions. */
  labels: Record<string, string>;
  /** Network → how many interfaces each instance has on it. */
  networks: Map<string, number>;
  instances: number;
  /** Its instances' pods (terminating ones included: they hold their addresses until gone). */
  pods: CachedPod[];
}

export interface Pools {
  /** Network → the owner's attachment definition, for each Network whose pool has addresses. */
  nads: Map<string, string>;
  statuses: NetworkPoolStatus[];
  /** What the pools wait for (a Network that is not Ready, contention). */
  waiting: string[];
  /** Why instances cannot all get an address, if so. */
  shortage?: string;
}

/** A pod event that may let a pool shrink: an attached pod reporting its addresses, or going. */
export const leaseChanged: Predicate<CachedPod> = (e) =>
  !!e.obj.metadata.annotations?.[networksAnnotation] &&
  (e.type === 'delete' || (e.type === 'update' && e.old.metadata.annotations?.[networkStatusAnnotation] !== e.obj.metadata.annotations?.[networkStatusAnnotation]));

/** What instances report: addresses by "<nad namespace/name>|<ip>", and whether one is still being attached. */
export function instanceAddresses(pods: CachedPod[]): { held: Set<string>; attaching: boolean } {
  const held = new Set<string>();
  let attaching = false;
  for (const pod of pods) {
    if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') continue;
    let wanted: string[];
    try {
      wanted = parseNetworks(pod.metadata.annotations?.[networksAnnotation], pod.metadata.namespace!).map((s) => `${s.namespace}/${s.name}`);
    } catch {
      continue;
    }
    const reported = reportedNetworks(pod);
    for (const nad of wanted) {
      const ips = reported.filter((r) => r.name === nad).flatMap((r) => r.ips ?? []);
      if (!ips.length) attaching = true;
      for (const ip of ips) held.add(`${nad}|${ip}`);
    }
  }
  return { held, attaching };
}

export class AddressPools {
  constructor(
    private readonly client: Client,
    private readonly cache: Cache,
    private readonly allocator: IpAllocator,
  ) {}

  async ensure(owner: PoolOwner): Promise<Pools> {
    const o = owner.object;
    const ns = o.metadata.namespace!;
    const name = o.metadata.name!;
    const out: Pools = { nads: new Map(), statuses: [], waiting: [] };
    const owned = this.cache.ownedBy(NetworkAttachmentDefinitions, o.metadata.uid!).filter((n) => isControlledBy(n, o.metadata.uid));
    if (!owner.networks.size && !owned.length && !this.allocator.cachedAllocations(o).length) return out;

    const { held, attaching } = instanceAddresses(owner.pods);
    const isHeld = (a: IPAllocation) => held.has(`${ns}/${poolNadName(owner.kind, name, a.spec.network)}|${a.spec.address}`);
    const allocations = await this.allocator.liveAllocations(o);
    const keep = new Set(allocations.filter(isHeld).map((a) => `${a.spec.network}/${a.spec.owner.interface}`));
    const shortages: string[] = [];

    for (const [networkName, perInstance] of owner.networks) {
      const network = this.cache.get<Network>(Networks, ns, networkName);
      if (!network) continue; // reported by the owner's wait for its Networks
      const segment = network.status?.segment;
      if (!segment) {
        out.waiting.push(`Network ${networkName} has no segment yet`);
        continue;
      }
      const existing = allocations.filter((a) => a.spec.network === networkName);
      const plan = planPool(
        existing.map((a) => ({ interface: a.spec.owner.interface, address: a.spec.address })),
        new Set(existing.filter(isHeld).map((a) => a.spec.address)),
        poolSize(owner.instances, perInstance),
      );
      const addresses = plan.keep.map((m) => m.address);
      for (const m of plan.keep) keep.add(`${networkName}/${m.interface}`);
      for (const member of plan.add) {
        const result = await this.allocator.ensure(o, { network: networkName, interface: member });
        if ('waiting' in result) {
          out.waiting.push(result.waiting);
          break;
        }
        if ('conflict' in result) {
          const needed = owner.instances * perInstance;
          if (addresses.length < needed) {
            shortages.push(`${result.conflict}; ${Math.floor(addresses.length / perInstance)} of ${owner.instances} instances can have an address`);
          }
          break;
        }
        addresses.push(result.address);
        keep.add(`${networkName}/${member}`);
      }
      const nad = poolNadName(owner.kind, name, networkName);
      if (addresses.length) {
        await applyChild(this.client, this.cache, NetworkAttachmentDefinitions, o, desiredPoolNad(nad, ns, owner.labels, network, segment, addresses));
        out.nads.set(networkName, nad);
      }
      const sorted = [...addresses].sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
      out.statuses.push({
        name: networkName,
        ...(addresses.length ? { attachmentDefinition: nad, addresses: sorted.slice(0, listedAddresses) } : {}),
        allocated: addresses.length,
      });
    }
    if (shortages.length) out.shortage = `spec.networks: ${shortages.join('; ')}`;
    // An instance being attached may be leasing any address of its pool.
    if (!attaching && !out.waiting.length) await this.allocator.release(o, keep);
    // Attachment definitions of Networks the owner left (running instances keep their interfaces).
    const wanted = new Set([...owner.networks.keys()].map((n) => poolNadName(owner.kind, name, n)));
    for (const nad of owned) {
      if (wanted.has(nad.metadata.name!)) continue;
      await this.client.deleteExact(NetworkAttachmentDefinitions, nad);
    }
    return out;
  }
}
