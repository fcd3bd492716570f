// Every Stratus controller, registered on one manager.
import type { Manager } from '../pkg/runtime/manager/manager.js';
import { appController } from './app/controller.js';
import { diskImageController } from './diskimage/controller.js';
import { settingsNamespace } from '../pkg/api/settings.js';
import { IpAllocator } from './ipam/allocator.js';
import { networkController } from './network/controller.js';
import { restoreController } from './restore/controller.js';
import { scalerController } from './scaler/controller.js';
import { wallClock, type Clock } from './shared/clock.js';
import { SettingsSource } from './shared/settings.js';
import { snapshotController } from './snapshot/controller.js';
import { snapshotScheduleController } from './snapshotschedule/controller.js';
import { virtualMachineController } from './virtualmachine/controller.js';
import { volumeController } from './volume/controller.js';

export interface ControllerOptions {
  /** Workers per controller (default: each controller's own). */
  workers?: number;
  /** Where the settings ConfigMap lives (default stratus-system, where admission reads it too). */
  settingsNamespace?: string;
  /** The time cron schedules run by (default the wall clock; tests run one faster). */
  clock?: Clock;
}

export function registerControllers(mgr: Manager, o: ControllerOptions = {}): void {
  const allocator = new IpAllocator(mgr.client, mgr.cache);
  const settings = new SettingsSource(mgr, o.settingsNamespace ?? settingsNamespace);
  mgr.add(volumeController(mgr, o.workers));
  mgr.add(networkController(mgr, settings, o.workers));
  mgr.add(virtualMachineController(mgr, allocator, o.workers));
  mgr.add(appController(mgr, allocator, settings, o.workers));
  mgr.add(scalerController(mgr, settings, o.workers));
  mgr.add(snapshotController(mgr, o.workers));
  mgr.add(restoreController(mgr, o.workers));
  mgr.add(snapshotScheduleController(mgr, o.clock ?? wallClock, o.workers));
  mgr.add(diskImageController(mgr, o.clock ?? wallClock, o.workers));
}
