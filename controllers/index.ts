// Every Stratus controller, registered on one manager.
import type { Manager } from '../pkg/runtime/manager/manager.js';
import { appController } from './app/controller.js';
import { IpAllocator } from './network/allocator.js';
import { networkController } from './network/controller.js';
import { scalerController } from './scaler/controller.js';
import { virtualMachineController } from './virtualmachine/controller.js';
import { volumeController } from './volume/controller.js';

export interface ControllerOptions {
  /** Workers per controller (default: each controller's own). */
  workers?: number;
}

export function registerControllers(mgr: Manager, o: ControllerOptions = {}): void {
  const allocator = new IpAllocator(mgr.client, mgr.cache);
  mgr.add(volumeController(mgr, o.workers));
  mgr.add(networkController(mgr, o.workers));
  mgr.add(virtualMachineController(mgr, allocator, o.workers));
  mgr.add(appController(mgr, allocator, o.workers));
  mgr.add(scalerController(mgr, o.workers));
}
