// Events for what changed in a running VM's life between two statuses
// (pure): a change that went live, a move that ended.
import type { VirtualMachineStatus } from '../../pkg/api/types.generated.js';

export interface VmEvent {
  type: 'Normal' | 'Warning';
  reason: string;
  note: string;
}

export function dayTwoEvents(previous: VirtualMachineStatus | undefined, next: VirtualMachineStatus): VmEvent[] {
  const out: VmEvent[] = [];
  for (const field of next.liveUpdates ?? []) {
    if (!previous?.liveUpdates?.includes(field)) out.push({ type: 'Normal', reason: 'LiveUpdated', note: `${field} applied to the running VM without a restart` });
  }
  const m = next.migration;
  const before = previous?.migration;
  if (m && (before?.name !== m.name || before?.phase !== m.phase)) {
    const who = m.member ? `${m.member} ` : '';
    const why = m.reason === 'Requested' ? 'as requested' : m.reason === 'NodeDrain' ? 'off a node being drained' : m.reason === 'LiveUpdate' ? 'to apply a live update' : 'by a migration';
    if (m.phase === 'Succeeded') out.push({ type: 'Normal', reason: 'Migrated', note: `${who}moved from ${m.sourceNode ?? 'its node'} to ${m.targetNode ?? 'another node'} ${why}` });
    if (m.phase === 'Failed') out.push({ type: 'Warning', reason: 'MigrationFailed', note: `${who}could not move ${why}: ${m.message ?? 'KubeVirt reports the migration failed'}` });
  }
  return out;
}
