// KubeVirt's resources (kubevirt.io/kubevirt's API groups), by
// group/version/resource, at the versions Stratus speaks.
import { resourceType as t } from '../../meta/resource.js';

/** The KubeVirt install (virt-operator's CR): its spec.configuration holds the cluster's KubeVirt configuration. */
export const KubeVirts = t('kubevirt.io', 'v1', 'kubevirts', 'KubeVirt');
export const KubeVirtVirtualMachines = t('kubevirt.io', 'v1', 'virtualmachines', 'VirtualMachine');
export const KubeVirtVirtualMachineInstances = t('kubevirt.io', 'v1', 'virtualmachineinstances', 'VirtualMachineInstance');
export const VirtualMachineInstanceMigrations = t('kubevirt.io', 'v1', 'virtualmachineinstancemigrations', 'VirtualMachineInstanceMigration');
export const VirtualMachinePools = t('pool.kubevirt.io', 'v1beta1', 'virtualmachinepools', 'VirtualMachinePool');
export const MigrationPolicies = t('migrations.kubevirt.io', 'v1alpha1', 'migrationpolicies', 'MigrationPolicy', false);
export const VirtualMachineInstancetypes = t('instancetype.kubevirt.io', 'v1beta1', 'virtualmachineinstancetypes', 'VirtualMachineInstancetype');
export const VirtualMachineClusterInstancetypes = t(
  'instancetype.kubevirt.io',
  'v1beta1',
  'virtualmachineclusterinstancetypes',
  'VirtualMachineClusterInstancetype',
  false,
);
export const VirtualMachinePreferences = t('instancetype.kubevirt.io', 'v1beta1', 'virtualmachinepreferences', 'VirtualMachinePreference');
export const VirtualMachineClusterPreferences = t('instancetype.kubevirt.io', 'v1beta1', 'virtualmachineclusterpreferences', 'VirtualMachineClusterPreference', false);
export const VirtualMachineSnapshots = t('snapshot.kubevirt.io', 'v1beta1', 'virtualmachinesnapshots', 'VirtualMachineSnapshot');
export const VirtualMachineSnapshotContents = t('snapshot.kubevirt.io', 'v1beta1', 'virtualmachinesnapshotcontents', 'VirtualMachineSnapshotContent');
export const VirtualMachineRestores = t('snapshot.kubevirt.io', 'v1beta1', 'virtualmachinerestores', 'VirtualMachineRestore');
