// Registers the reference indexes on the VirtualMachine, App and Volume
// informers (idempotent: every controller that needs them calls this).
import { Apps, VirtualMachines, Volumes } from '../../pkg/api/resources.js';
import type { App, VirtualMachine, Volume } from '../../pkg/api/types.generated.js';
import type { Manager } from '../../pkg/runtime/manager/manager.js';
import {
  diskImageIndex,
  diskImagesOfVm,
  diskImagesOfVolume,
  inNamespace,
  networkIndex,
  networksOfApp,
  networksOfVm,
  volumeIndex,
  volumesOfApp,
  volumesOfVm,
} from './references.js';

export function registerReferenceIndexes(mgr: Manager): void {
  const vms = mgr.cache.informer<VirtualMachine>(VirtualMachines);
  const apps = mgr.cache.informer<App>(Apps);
  vms.addIndex(volumeIndex, (vm) => inNamespace(vm.metadata.namespace, volumesOfVm(vm)));
  vms.addIndex(networkIndex, (vm) => inNamespace(vm.metadata.namespace, networksOfVm(vm)));
  apps.addIndex(volumeIndex, (app) => inNamespace(app.metadata.namespace, volumesOfApp(app)));
  apps.addIndex(networkIndex, (app) => inNamespace(app.metadata.namespace, networksOfApp(app)));
  vms.addIndex(diskImageIndex, (vm) => inNamespace(vm.metadata.namespace, diskImagesOfVm(vm)));
  mgr.cache.informer<Volume>(Volumes).addIndex(diskImageIndex, (v) => inNamespace(v.metadata.namespace, diskImagesOfVolume(v)));
}
