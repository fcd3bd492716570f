// Network reconcile: deletion protection, the segment (a VLAN of its own
// for a tenant Network), the attachment definitions (with the addresses
// Stratus allocated excluded from pod IPAM), the policies, and status.
import { usersOf } from '../shared/users.js';
import { stuck, Stuck, waiting, Waiting } from '../shared/problems.js';
import { IPAllocations, Networks } from '../../pkg/api/resources.js';
import type { IPAllocation, Network, NetworkSegmentStatus } from '../../pkg/api/types.generated.js';
import { NetworkPolicies } from '../../pkg/kube/resources.js';
import { MultiNetworkPolicies, NetworkAttachmentDefinitions } from '../../pkg/contracts/multus/index.js';
import type { Cache } from '../../pkg/runtime/cache/cache.js';
import type { Client } from '../../pkg/runtime/client/client.js';
import { networkFinalizer } from '../../pkg/api/finalizers.js';
import { addFinalizer, hasFinalizer, removeFinalizer } from '../../pkg/runtime/client/finalizers.js';
import { SettlingStatusWriter } from '../../pkg/runtime/client/status-writer.js';
import type { Reconciler, Request, Result } from '../../pkg/runtime/controller/types.js';
import { isControlledBy } from '../../pkg/meta/object.js';
import {applyChild, ChildConflictError } from '../shared/children.js';
import { networkIndex } from '../shared/references.js';
import type { SettingsSource } from '../shared/settings.js';
import { allocationsByNetwork } from '../ipam/allocator.js';
import { allocationRange, rangeSize } from '../ipam/ranges.js';
import { desiredNad, desiredVmNad, nadName } from '../ipam/attachments.js';
import { desiredMultiNetworkPolicy, desiredNetworkPolicy, hasRules, peerNetworks, policyName } from './policies.js';
import { chooseSegment } from './segment.js';
import type { SegmentAllocator } from './segments.js';
import { networkStatus, type NetworkObservation } from './status.js';

export class NetworkReconciler implements Reconciler {
  private readonly statuses: SettlingStatusWriter;

  constructor(
    private readonly client: Client,
    private readonly cache: Cache,
    private readonly segments: SegmentAllocator,
    private readonly settings: SettingsSource,
    private readonly now: () => number = Date.now,
  ) {
    this.statuses = new SettlingStatusWriter(client);
  }

  async reconcile(req: Request): Promise<Result | void> {
    const network = this.cache.get<Network>(Networks, req.namespace, req.name);
    if (!network) return;
    const users = usersOf(this.cache, networkIndex, req.key);
    const allocations = this.cache.byIndex<IPAllocation>(IPAllocations, allocationsByNetwork, req.key).map((a) => a.spec.address);
    const range = allocationRange(network);
    const counts = { allocated: allocations.length, free: 'error' in range ? 0 : Math.max(0, rangeSize(range) - allocations.length) };

    if (network.metadata.deletionTimestamp) {
      if (!hasFinalizer(network, networkFinalizer)) return;
      if (users.length) {
        return this.statuses.write(Networks, network, networkStatus(network, { ...counts, users, problems: [], segment: network.status?.segment, deleting: true, now: this.now() }));
      }
      await this.segments.release(network);
      await removeFinalizer(this.client, Networks, network, networkFinalizer);
      return;
    }
    if (await addFinalizer(this.client, Networks, network, networkFinalizer)) return;

    const o: NetworkObservation = { ...counts, users, problems: [], deleting: false, now: this.now() };
    if ('error' in range) o.problems.push(stuck(Stuck.InvalidRange, range.error));
    o.segment = await this.segment(network, o);
    try {
      if (o.segment) {
        await Promise.all([
          applyChild(this.client, this.cache, NetworkAttachmentDefinitions, network, desiredNad(network, o.segment, allocations)),
          applyChild(this.client, this.cache, NetworkAttachmentDefinitions, network, desiredVmNad(network, o.segment)),
        ]);
        o.nadName = nadName(network);
      }
      await this.ensurePolicies(network, o);
    } catch (err) {
      if (!(err instanceof ChildConflictError)) throw err;
      o.problems.push(stuck(Stuck.ChildConflict, err.message));
    }
    return this.statuses.write(Networks, network, networkStatus(network, o));
  }

  /** The segment the Network is on, allocating a tenant VLAN; undefined (and the problem noted) when it has none. */
  private async segment(network: Network, o: NetworkObservation): Promise<NetworkSegmentStatus | undefined> {
    const settings = this.settings.current;
    const choice = chooseSegment(network, settings);
    if ('conflict' in choice) {
      o.problems.push(stuck(Stuck.SegmentConflict, choice.conflict));
      return undefined;
    }
    if ('provider' in choice) return choice.provider;
    const result = await this.segments.ensure(network, choice.tenant.bridge, settings.tenantVlans);
    if ('exhausted' in result) {
      o.problems.push(stuck(Stuck.SegmentsExhausted, result.exhausted));
      return undefined;
    }
    return { provider: false, bridge: choice.tenant.bridge, vlan: result.vlan };
  }

  private async ensurePolicies(network: Network, o: NetworkObservation): Promise<void> {
    const ns = network.metadata.namespace;
    if (!hasRules(network)) {
      // Rules removed: remove the policies we made.
      for (const type of [NetworkPolicies, MultiNetworkPolicies]) {
        const existing = this.cache.get(type, ns, policyName(network));
        if (existing && isControlledBy(existing, network.metadata.uid)) await this.client.deleteExact(type, existing);
      }
      return;
    }
    const cidrOf = (name: string): string | undefined => this.cache.get<Network>(Networks, ns, name)?.spec.cidr;
    const missing = peerNetworks(network).filter((n) => !cidrOf(n));
    await applyChild(this.client, this.cache, NetworkPolicies, network, desiredNetworkPolicy(network, cidrOf));
    await applyChild(this.client, this.cache, MultiNetworkPolicies, network, desiredMultiNetworkPolicy(network, cidrOf));
    if (missing.length) {
      o.problems.push(waiting(Waiting.Network, `rules name Network ${missing.join(', ')}, which does not exist; those rules allow nothing on secondary interfaces until it does`));
    }
  }
}
