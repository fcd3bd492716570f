// The Network controller: what it watches and how events become keys.
import { Apps, IPAllocations, Networks, NetworkSegments, VirtualMachines } from '../../pkg/api/resources.js';
import type { App, IPAllocation, Network, NetworkSegment, VirtualMachine } from '../../pkg/api/types.generated.js';
import { NetworkPolicies } from '../../pkg/kube/resources.js';
import { MultiNetworkPolicies, NetworkAttachmentDefinitions } from '../../pkg/contracts/multus/index.js';
import { Controller } from '../../pkg/runtime/controller/controller.js';
import { enqueueMapped, enqueueObject, enqueueOwner } from '../../pkg/runtime/handler/handlers.js';
import type { Manager } from '../../pkg/runtime/manager/manager.js';
import { keyOf } from '../../pkg/meta/object.js';
import { specOrMetadataChanged } from '../../pkg/runtime/predicate/predicates.js';
import { registerReferenceIndexes } from '../shared/indexes.js';
import { inNamespace, networksOfApp, networksOfVm } from '../shared/references.js';
import type { SettingsSource } from '../shared/settings.js';
import { registerAllocationIndexes } from '../ipam/allocator.js';
import { NetworkReconciler } from './reconcile.js';
import { SegmentAllocator } from './segments.js';

/** How long address changes gather before the Network is reconciled. */
const coalesceMs = 2_000;

export function networkController(mgr: Manager, settings: SettingsSource, workers = 2): Controller {
  registerReferenceIndexes(mgr);
  registerAllocationIndexes(mgr.cache);
  const controller = new Controller({
    name: 'network',
    reconciler: new NetworkReconciler(mgr.client, mgr.cache, new SegmentAllocator(mgr.client, mgr.cache), settings),
    workers,
    logger: mgr.log,
    metrics: mgr.metrics,
  });
  const networks = mgr.cache.informer<Network>(Networks);
  const owner = { group: 'stratus.dev', kind: 'Network' };
  controller.watch(networks, enqueueObject, specOrMetadataChanged);
  controller.watch(mgr.cache.informer(NetworkAttachmentDefinitions), enqueueOwner(owner));
  controller.watch(mgr.cache.informer(NetworkPolicies), enqueueOwner(owner));
  controller.watch(mgr.cache.informer(MultiNetworkPolicies), enqueueOwner(owner));
  // Allocations change the counts and the IPAM exclusions; a burst of them (many VMs
  // starting) becomes one update of the attachment definition and the status.
  controller.watchCoalesced(mgr.cache.informer<IPAllocation>(IPAllocations), coalesceMs, enqueueMapped((a) => [`${a.metadata.namespace}/${a.spec.network}`]));
  // Users: their specs name the Network; their status changes tell it nothing.
  controller.watch(mgr.cache.informer<VirtualMachine>(VirtualMachines), enqueueMapped((vm) => inNamespace(vm.metadata.namespace, networksOfVm(vm))), specOrMetadataChanged);
  controller.watch(mgr.cache.informer<App>(Apps), enqueueMapped((app) => inNamespace(app.metadata.namespace, networksOfApp(app))), specOrMetadataChanged);
  // The tenant pool or bridge changed; a VLAN was released (a Network waiting for one may take it).
  controller.watch(settings.informer, enqueueMapped(() => networks.list().map(keyOf)));
  controller.watch(
    mgr.cache.informer<NetworkSegment>(NetworkSegments),
    enqueueMapped(() => networks.list().filter((n) => !n.status?.segment).map(keyOf)),
    (e) => e.type === 'delete',
  );
  // A rule naming another Network needs that Network's CIDR.
  controller.watch(networks, enqueueMapped((peer) => networks.list().filter((n) => n.metadata.namespace === peer.metadata.namespace && JSON.stringify(n.spec.rules ?? {}).includes(`"network":"${peer.metadata.name}"`)).map(keyOf)), (e) => e.type !== 'update');
  return controller;
}
