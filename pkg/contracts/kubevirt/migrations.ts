// VirtualMachineInstanceMigrations: the labels, annotations and finalizer
// KubeVirt puts on them and on the pods they make (kubevirt.io/api core/v1
// types.go), and small readers over them.
import type { VirtualMachineInstance } from './generated/virtual-machine-instance.js';
import type { VirtualMachineInstanceMigration } from './generated/virtual-machine-instance-migration.js';

/** virt-api's finalizer on every migration; virt-controller removes it once the migration is final. */
export const migrationFinalizer = 'kubevirt.io/migrationJobFinalize';
/** On a migration's target pod: the migration's uid. */
export const migrationJobLabel = 'kubevirt.io/migrationJobUID';
/** On a migration's target pod: the migration's name. */
export const migrationJobNameAnnotation = 'kubevirt.io/migrationJobName';
/** On a VMI while a migration hands it to the target node's virt-handler. */
export const migrationTargetNodeLabel = 'kubevirt.io/migrationTargetNodeName';
/** On migrations KubeVirt's evacuation controller creates for a node drain: the node. */
export const evacuationMigrationAnnotation = 'kubevirt.io/evacuationMigration';
/** On migrations KubeVirt's workload updater creates (launcher updates, CPU/memory/network hotplug). */
export const workloadUpdateMigrationAnnotation = 'kubevirt.io/workloadUpdateMigration';
/** On a migration: how long its target pod may stay unschedulable before the migration fails (default 300). */
export const unschedulableTimeoutAnnotation = 'kubevirt.io/migrationUnschedulablePodTimeoutSeconds';
/** On a migration: how long its target pod may stay pending for any reason (default 900). */
export const pendingTimeoutAnnotation = 'kubevirt.io/migrationPendingPodTimeoutSeconds';

/** A migration of the VMI is under way by its own account (its migrationState not completed), whether or not its migration object has been seen yet. */
export function isVmiMigrating(vmi: VirtualMachineInstance): boolean {
  const ms = vmi.status?.migrationState;
  return !!ms && !ms.completed;
}

export function isMigrationFinal(m: VirtualMachineInstanceMigration): boolean {
  return m.status?.phase === 'Succeeded' || m.status?.phase === 'Failed';
}

/** The migrations of one VMI, oldest first. */
export function migrationsOf(migrations: VirtualMachineInstanceMigration[], vmiName: string): VirtualMachineInstanceMigration[] {
  return migrations
    .filter((m) => m.spec.vmiName === vmiName)
    .sort((a, b) => (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? '') || (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
}
