// Gives tenant Networks their VLANs. A VLAN is held by a cluster-scoped
// NetworkSegment named <bridge>.<vlan>: creating it is the allocation, and
// the apiserver refuses a second object of that name, so Networks in
// different namespaces (or reconciled by different processes) can never get
// the same one. Segments live in the API, so a restart loses nothing; the
// Network controller releases a Network's segment before its finalizer goes.
import { NetworkSegments } from '../../pkg/api/resources.js';
import type { Network, NetworkSegment } from '../../pkg/api/types.generated.js';
import type { VlanRange } from '../../pkg/api/settings.js';
import { isAlreadyExists } from '../../pkg/runtime/client/api-error.js';
import type { Cache } from '../../pkg/runtime/cache/cache.js';
import type { Client } from '../../pkg/runtime/client/client.js';

import { managedBy } from '../shared/labels.js';
import { describeRanges, firstFreeVlan, segmentName } from './segment.js';

const holderLabel = 'stratus.dev/network-uid';
const byHolder = 'stratus-segments-by-network';
const byBridge = 'stratus-segments-by-bridge';
const maxAttempts = 16;

export type SegmentResult = { vlan: number } | { exhausted: string };

export class SegmentAllocator {
  constructor(
    private readonly client: Client,
    private readonly cache: Cache,
  ) {
    const informer = cache.informer<NetworkSegment>(NetworkSegments);
    informer.addIndex(byHolder, (s) => [s.spec.network.uid]);
    informer.addIndex(byBridge, (s) => [s.spec.bridge]);
  }

  /** The Network's segment as the cache has it, else as the API has it (the cache may lag a create of a moment ago). */
  private async held(network: Network): Promise<NetworkSegment | undefined> {
    const cached = this.cache.byIndex<NetworkSegment>(NetworkSegments, byHolder, network.metadata.uid!)[0];
    if (cached) return cached;
    const live = await this.client.list<NetworkSegment>(NetworkSegments, { labelSelector: `${holderLabel}=${network.metadata.uid}` });
    return live.items[0];
  }

  async ensure(network: Network, bridge: string, ranges: VlanRange[]): Promise<SegmentResult> {
    const mine = await this.held(network);
    // Kept even if the pool or the tenant bridge changed since: moving a live Network would cut it off.
    if (mine) return { vlan: mine.spec.vlan };
    const taken = new Set(this.cache.byIndex<NetworkSegment>(NetworkSegments, byBridge, bridge).map((s) => s.spec.vlan));
    for (let attempt = 0; attempt < maxAttempts; attempt++) {
      const vlan = firstFreeVlan(ranges, taken);
      if (vlan === undefined) return { exhausted: `every VLAN of the tenant pool (${describeRanges(ranges)} on bridge ${bridge}) is held by another Network` };
      if (await this.claim(network, bridge, vlan)) return { vlan };
      taken.add(vlan);
    }
    return { exhausted: `VLANs on bridge ${bridge} are contended; retrying` };
  }

  private async claim(network: Network, bridge: string, vlan: number): Promise<boolean> {
    const segment: NetworkSegment = {
      apiVersion: 'stratus.dev/v1alpha1',
      kind: 'NetworkSegment',
      metadata: { name: segmentName(bridge, vlan), labels: { ...managedBy, [holderLabel]: network.metadata.uid! } },
      spec: { bridge, vlan, network: { namespace: network.metadata.namespace!, name: network.metadata.name!, uid: network.metadata.uid! } },
    };
    try {
      await this.client.create(NetworkSegments, segment);
      return true;
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
      return false;
    }
  }

  /** Releases the Network's segment, if it holds one. */
  async release(network: Network): Promise<void> {
    const mine = await this.held(network);
    if (mine) await this.client.deleteExact(NetworkSegments, mine);
  }
}
