// What the simulated virt-controller asks of a VMI before it starts a
// migration: whether it can move, and whether one is under way already.
import { isMigrationFinal, type VirtualMachineInstance, type VirtualMachineInstanceMigration } from '../../contracts/kubevirt/index.js';

export function isMigratable(vmi: VirtualMachineInstance): boolean {
  return !!vmi.status?.conditions?.some((c) => c.type === 'LiveMigratable' && c.status === 'True');
}

/** A migration of the VMI that has not finished, or a migration state the VMI is still in. */
export function migrationInFlight(vmi: VirtualMachineInstance, migrations: VirtualMachineInstanceMigration[]): boolean {
  const ms = vmi.status?.migrationState;
  if (ms?.migrationUid && !ms.completed) return true;
  return migrations.some((m) => m.metadata.namespace === vmi.metadata.namespace && m.spec.vmiName === vmi.metadata.name && !isMigrationFinal(m));
}
