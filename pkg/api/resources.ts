// The resource types of Stratus's own kinds.
import type { ResourceType } from '../meta/resource.js';
import { group, version } from './schema/common.js';

const t = (resource: string, kind: string): ResourceType => ({ group, version, resource, kind, namespaced: true });

export const VirtualMachines = t('virtualmachines', 'VirtualMachine');
export const Volumes = t('volumes', 'Volume');
export const Networks = t('networks', 'Network');
export const Apps = t('apps', 'App');
export const Scalers = t('scalers', 'Scaler');
export const IPAllocations = t('ipallocations', 'IPAllocation');
export const NetworkSegments: ResourceType = { ...t('networksegments', 'NetworkSegment'), namespaced: false };

export const Snapshots = t('snapshots', 'Snapshot');
export const Restores = t('restores', 'Restore');
export const SnapshotSchedules = t('snapshotschedules', 'SnapshotSchedule');
export const DiskImages = t('diskimages', 'DiskImage');

export const stratusKinds = [VirtualMachines, Volumes, Networks, Apps, Scalers, IPAllocations, NetworkSegments, Snapshots, Restores, SnapshotSchedules, DiskImages];
