// Allocates addresses on Networks for single VMs' interfaces and the address
// pools of Apps and VM groups. Each address is an IPAllocation named <network>.<address>: creating
// it is the allocation, and the apiserver refuses a second object of the
// same name, so two workers (or two controller processes) can never hand out
// one address twice. The objects live in the API, so a restart loses
// nothing; their owner reference releases them when the owner is deleted.
import { IPAllocations, Networks } from '../../pkg/api/resources.js';
import type { IPAllocation, Network } from '../../pkg/api/types.generated.js';
import { ipToInt } from '../../pkg/net/ipv4.js';
import { isAlreadyExists } from '../../pkg/runtime/client/api-error.js';
import type { Cache } from '../../pkg/runtime/cache/cache.js';
import type { Client } from '../../pkg/runtime/client/client.js';
import { isTrue } from '../../pkg/runtime/conditions/conditions.js';
import type { KubeObject } from '../../pkg/meta/object.js';

import { managedBy } from '../shared/labels.js';
import { allocationName, allocationRange, firstFree, fixedAddressProblem } from './ranges.js';

export const allocationLabels = {
  network: 'stratus.dev/network',
  ownerUid: 'stratus.dev/owner-uid',
  interface: 'stratus.dev/interface',
} as const;

export const allocationsByNetwork = 'stratus-allocations-by-network';
export const allocationsByOwner = 'stratus-allocations-by-owner';

export interface AddressRequest {
  network: string;
  /** Names the interface; for group members include the member index. */
  interface: string;
  /** A fixed address; undefined to take any free one. */
  address?: string;
}

export type AllocationResult = { address: string } | { conflict: string } | { waiting: string };

const maxAttempts = 32;

export function registerAllocationIndexes(cache: Cache): void {
  const informer = cache.informer<IPAllocation>(IPAllocations);
  informer.addIndex(allocationsByNetwork, (a) => [`${a.metadata.namespace}/${a.spec.network}`]);
  informer.addIndex(allocationsByOwner, (a) => [a.spec.owner.uid]);
}

/** How long an address this process is claiming stays out of other workers' reach without showing in the cache. */
const claimingMs = 10_000;

export class IpAllocator {
  /** Addresses being claimed by this process, per namespace/network: address → until when. */
  private readonly claiming = new Map<string, Map<number, number>>();

  constructor(
    private readonly client: Client,
    private readonly cache: Cache,
  ) {
    registerAllocationIndexes(cache);
  }

  /** Addresses held on a Network. */
  taken(network: Network): Set<number> {
    const key = `${network.metadata.namespace}/${network.metadata.name}`;
    const taken = new Set(this.cache.byIndex<IPAllocation>(IPAllocations, allocationsByNetwork, key).map((a) => ipToInt(a.spec.address)));
    const now = Date.now();
    const claiming = this.claiming.get(key);
    for (const [address, until] of claiming ?? []) {
      if (until < now || taken.has(address)) claiming!.delete(address);
      else taken.add(address);
    }
    return taken;
  }

  /**
   * Marks an address as being claimed by this process, so that other
   * workers here pick another one instead of racing for it; the mark lasts
   * until the cache shows the allocation (or a few seconds, if it never does).
   */
  private markClaiming(network: Network, address: string): void {
    const key = `${network.metadata.namespace}/${network.metadata.name}`;
    const claiming = this.claiming.get(key) ?? new Map<number, number>();
    claiming.set(ipToInt(address), Date.now() + claimingMs);
    this.claiming.set(key, claiming);
  }

  /** The owner's allocations as the API has them now (the cache may lag creates of a moment ago). */
  async liveAllocations(owner: KubeObject): Promise<IPAllocation[]> {
    const live = await this.client.list<IPAllocation>(IPAllocations, {
      namespace: owner.metadata.namespace,
      labelSelector: `${allocationLabels.ownerUid}=${owner.metadata.uid}`,
    });
    return live.items;
  }

  cachedAllocations(owner: KubeObject): IPAllocation[] {
    return this.cache.byIndex<IPAllocation>(IPAllocations, allocationsByOwner, owner.metadata.uid!);
  }

  /** The owner's allocations, from the cache, or from the API when the cache shows none (it may lag a fresh create). */
  private async held(owner: KubeObject): Promise<IPAllocation[]> {
    const cached = this.cachedAllocations(owner);
    return cached.length ? cached : this.liveAllocations(owner);
  }


  async ensure(owner: KubeObject, request: AddressRequest): Promise<AllocationResult> {
    const ns = owner.metadata.namespace;
    const network = this.cache.get<Network>(Networks, ns, request.network);
    if (!network) return { waiting: `Network ${request.network} does not exist` };
    if (network.metadata.deletionTimestamp) return { waiting: `Network ${request.network} is being deleted` };
    if (!isTrue(network.status?.conditions, 'Ready')) return { waiting: `Network ${request.network} is not Ready` };

    const mine = (await this.held(owner)).find((a) => a.spec.network === request.network && a.spec.owner.interface === request.interface);
    if (mine && (!request.address || mine.spec.address === request.address)) return { address: mine.spec.address };
    if (mine) await this.delete(mine); // the requested fixed address changed

    if (request.address) {
      const problem = fixedAddressProblem(network, request.address);
      if (problem) return { conflict: problem };
      return this.claim(owner, network, request, request.address);
    }
    const range = allocationRange(network);
    if ('error' in range) return { conflict: range.error };
    const taken = this.taken(network);
    for (let attempt = 0; attempt < maxAttempts; attempt++) {
      const address = firstFree(range, taken);
      if (!address) return { conflict: `Network ${request.network} has no free addresses` };
      this.markClaiming(network, address);
      const result = await this.claim(owner, network, request, address);
      if (!('conflict' in result)) return result;
      taken.add(ipToInt(address));
    }
    return { waiting: `Network ${request.network}: addresses are contended; retrying` };
  }

  private async claim(owner: KubeObject, network: Network, request: AddressRequest, address: string): Promise<AllocationResult> {
    const name = allocationName(request.network, address);
    // Known taken: answer from the cache, without a create that must fail.
    const known = this.cache.get<IPAllocation>(IPAllocations, owner.metadata.namespace, name);
    if (known && known.spec.owner.uid !== owner.metadata.uid) return this.takenBy(known, address, request.network);
    const allocation: IPAllocation = {
      apiVersion: 'stratus.dev/v1alpha1',
      kind: 'IPAllocation',
      metadata: {
        name,
        namespace: owner.metadata.namespace,
        labels: {
          ...managedBy,
          [allocationLabels.network]: request.network,
          [allocationLabels.ownerUid]: owner.metadata.uid!,
          [allocationLabels.interface]: request.interface,
        },
        ownerReferences: [{ apiVersion: owner.apiVersion!, kind: owner.kind!, name: owner.metadata.name!, uid: owner.metadata.uid!, controller: true }],
      },
      spec: {
        network: network.metadata.name!,
        address,
        owner: { kind: owner.kind!, name: owner.metadata.name!, uid: owner.metadata.uid!, interface: request.interface },
      },
    };
    try {
      await this.client.create(IPAllocations, allocation);
      return { address };
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
    }
    const holder = await this.client.tryGet<IPAllocation>(IPAllocations, owner.metadata.namespace, name);
    if (holder && holder.spec.owner.uid === owner.metadata.uid && holder.spec.owner.interface === request.interface) return { address };
    return this.takenBy(holder, address, request.network);
  }

  private takenBy(holder: IPAllocation | undefined, address: string, network: string): AllocationResult {
    const who = holder ? `${holder.spec.owner.kind} ${holder.spec.owner.name}` : 'another object';
    return { conflict: `${address} on Network ${network} is taken by ${who}` };
  }

  /**
   * Releases every allocation of `owner` whose network/interface is not in
   * `keep`. Reads the cache only: an allocation it has not seen yet is
   * released on a later pass.
   */
  async release(owner: KubeObject, keep: Set<string>): Promise<number> {
    let released = 0;
    for (const a of this.cache.byIndex<IPAllocation>(IPAllocations, allocationsByOwner, owner.metadata.uid!)) {
      if (keep.has(`${a.spec.network}/${a.spec.owner.interface}`)) continue;
      await this.delete(a);
      released++;
    }
    return released;
  }

  private async delete(a: IPAllocation): Promise<void> {
    await this.client.deleteExact(IPAllocations, a);
  }
}
