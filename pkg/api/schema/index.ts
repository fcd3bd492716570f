// Every kind Stratus defines, in the order their CRDs are written.
import { app } from './app.js';
import { diskImage } from './disk-image.js';
import { ipAllocation } from './ip-allocation.js';
import type { KindDefinition } from './kind.js';
import { network } from './network.js';
import { networkSegment } from './network-segment.js';
import { restore } from './restore.js';
import { scaler } from './scaler.js';
import { snapshot } from './snapshot.js';
import { snapshotSchedule } from './snapshot-schedule.js';
import { virtualMachine } from './virtual-machine.js';
import { volume } from './volume.js';

export const kinds: KindDefinition[] = [virtualMachine, volume, network, app, scaler, ipAllocation, networkSegment, snapshot, restore, snapshotSchedule, diskImage];

export { group, apiVersion } from './common.js';
export type { KindDefinition } from './kind.js';
