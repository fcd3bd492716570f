// Names for parts of KubeVirt's generated types that builders and readers
// pass around on their own.
import type { VirtualMachineInstanceSpec, VirtualMachineInstanceStatus } from './generated/virtual-machine-instance.js';
import type { VirtualMachineInstanceMigration } from './generated/virtual-machine-instance-migration.js';
import type { VirtualMachineSpec, VirtualMachineStatus } from './generated/virtual-machine.js';

export type VmiVolume = NonNullable<VirtualMachineInstanceSpec['volumes']>[number];
export type VmiDisk = NonNullable<VirtualMachineInstanceSpec['domain']['devices']['disks']>[number];
export type VmiInterface = NonNullable<VirtualMachineInstanceSpec['domain']['devices']['interfaces']>[number];
export type VmiNetwork = NonNullable<VirtualMachineInstanceSpec['networks']>[number];
export type VmiDomain = VirtualMachineInstanceSpec['domain'];
export type VmiCondition = NonNullable<VirtualMachineInstanceStatus['conditions']>[number];
export type VmiVolumeStatus = NonNullable<VirtualMachineInstanceStatus['volumeStatus']>[number];
export type MigrationState = NonNullable<VirtualMachineInstanceStatus['migrationState']>;
export type MigrationStatus = NonNullable<VirtualMachineInstanceMigration['status']>;
export type DataVolumeTemplate = NonNullable<VirtualMachineSpec['dataVolumeTemplates']>[number];
export type StateChangeRequest = NonNullable<VirtualMachineStatus['stateChangeRequests']>[number];
