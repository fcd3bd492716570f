// An App's attachments to secondary Networks: per Network, an address pool
// from the Network's allocator and the attachment definition that hands
// the pool's addresses to the instances (see address-pool.ts). Addresses
// leave the pool only once no instance holds them, and never while an
// instance is still being given one, so an address is never in two hands.
import { Networks } from '../../pkg/api/resources.js';
import type { App, AppNetworkStatus, IPAllocation, Network } from '../../pkg/api/types.generated.js';
import type { Pod } from '../../pkg/kube/core-types.js';
import { NetworkAttachmentDefinitions, Pods } from '../../pkg/kube/resources.js';
import { isConflict, isNotFound } from '../../pkg/runtime/client/api-error.js';
import type { Cache } from '../../pkg/runtime/cache/cache.js';
import type { Client } from '../../pkg/runtime/client/client.js';
import { isControlledBy, keyOf } from '../../pkg/runtime/object.js';
import { networkStatusAnnotation, networksAnnotation, parseNetworks, type NetworkStatus } from '../../pkg/simulators/kubelet/multus.js';
import type { IpAllocator } from '../network/allocator.js';
import { applyChild } from '../shared/children.js';
import { desiredPoolNad, planPool, poolNadName, poolSize } from './address-pool.js';
import { appPodIndex } from './indexes.js';

/** Addresses listed per Network in status. */
const listedAddresses = 100;

export interface Attachments {
  /** Network → the App's attachment definition, for each Network whose pool has addresses. */
  nads: Map<string, string>;
  statuses: AppNetworkStatus[];
  /** What the pools wait for (a Network that is not Ready, contention). */
  waiting: string[];
  /** Why instances cannot all get an address, if so. */
  shortage?: string;
}

/** What the App's instances report: addresses by "<nad namespace/name>|<ip>", and whether one is still being attached. */
export function instanceAddresses(pods: Pod[]): { held: Set<string>; attaching: boolean } {
  const held = new Set<string>();
  let attaching = false;
  for (const pod of pods) {
    if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') continue;
    let wanted: string[];
    let reported: NetworkStatus[];
    try {
      wanted = parseNetworks(pod.metadata.annotations?.[networksAnnotation], pod.metadata.namespace!).map((s) => `${s.namespace}/${s.name}`);
      reported = JSON.parse(pod.metadata.annotations?.[networkStatusAnnotation] ?? '[]') as NetworkStatus[];
    } catch {
      continue;
    }
    for (const nad of wanted) {
      const ips = reported.find((r) => r.name === nad)?.ips ?? [];
      if (!ips.length) attaching = true;
      for (const ip of ips) held.add(`${nad}|${ip}`);
    }
  }
  return { held, attaching };
}

export class AppAttachments {
  constructor(
    private readonly client: Client,
    private readonly cache: Cache,
    private readonly allocator: IpAllocator,
  ) {}

  async ensure(app: App): Promise<Attachments> {
    const ns = app.metadata.namespace!;
    const out: Attachments = { nads: new Map(), statuses: [], waiting: [] };
    const owned = this.cache.ownedBy(NetworkAttachmentDefinitions, app.metadata.uid!);
    if (!app.spec.networks?.length && !owned.length && !this.allocator.cachedAllocations(app).length) return out;
    const replicas = app.spec.replicas ?? 1;
    const size = poolSize(replicas);
    const { held, attaching } = instanceAddresses(this.cache.byIndex<Pod>(Pods, appPodIndex, keyOf(app)));
    const isHeld = (a: IPAllocation) => held.has(`${ns}/${poolNadName(app.metadata.name!, a.spec.network)}|${a.spec.address}`);
    const allocations = await this.allocator.liveAllocations(app);
    const keep = new Set(allocations.filter(isHeld).map((a) => `${a.spec.network}/${a.spec.owner.interface}`));
    const shortages: string[] = [];

    for (const { name } of app.spec.networks ?? []) {
      const network = this.cache.get<Network>(Networks, ns, name);
      if (!network) continue; // reported by the App's wait for its Networks
      const existing = allocations.filter((a) => a.spec.network === name);
      const plan = planPool(
        existing.map((a) => ({ interface: a.spec.owner.interface, address: a.spec.address })),
        new Set(existing.filter(isHeld).map((a) => a.spec.address)),
        size,
      );
      const addresses = plan.keep.map((m) => m.address);
      for (const m of plan.keep) keep.add(`${name}/${m.interface}`);
      for (const member of plan.add) {
        const result = await this.allocator.ensure(app, { network: name, interface: member });
        if ('waiting' in result) {
          out.waiting.push(result.waiting);
          break;
        }
        if ('conflict' in result) {
          if (addresses.length < replicas) shortages.push(`spec.networks[${name}]: ${addresses.length} of ${replicas} instances can have an address: ${result.conflict}`);
          break;
        }
        addresses.push(result.address);
        keep.add(`${name}/${member}`);
      }
      const nad = poolNadName(app.metadata.name!, name);
      if (addresses.length) {
        await applyChild(this.client, this.cache, NetworkAttachmentDefinitions, app, desiredPoolNad(app, network, addresses));
        out.nads.set(name, nad);
      }
      const sorted = [...addresses].sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
      out.statuses.push({
        name,
        ...(addresses.length ? { attachmentDefinition: nad } : {}),
        allocated: addresses.length,
        ...(addresses.length ? { addresses: sorted.slice(0, listedAddresses) } : {}),
      });
    }
    if (shortages.length) out.shortage = shortages.join('; ');
    // An instance being attached may be leasing any address of its pool.
    if (!attaching && !out.waiting.length) await this.allocator.release(app, keep);
    // Attachment definitions of Networks the App left (running instances keep their interfaces).
    const wanted = new Set((app.spec.networks ?? []).map((n) => poolNadName(app.metadata.name!, n.name)));
    for (const nad of owned) {
      if (wanted.has(nad.metadata.name!) || !isControlledBy(nad, app.metadata.uid)) continue;
      await this.client.delete(NetworkAttachmentDefinitions, nad.metadata.namespace, nad.metadata.name!, { preconditions: { uid: nad.metadata.uid } }).catch((err: unknown) => {
        if (!isNotFound(err) && !isConflict(err)) throw err;
      });
    }
    return out;
  }
}
