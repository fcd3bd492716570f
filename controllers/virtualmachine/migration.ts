// A VM's live migrations as its status tells them (pure): the KubeVirt
// VirtualMachineInstanceMigrations of its VMIs, why each moves (a request in
// spec.migrateRequestedAt, a node drain, a live update), where from and to,
// and how it went. Also the migrations Stratus itself creates: one per
// requested move and VMI, named after the request so a restarted controller
// finds it again, and held by a finalizer until the VM's status records the
// request as carried out (KubeVirt deletes finished migrations beyond the
// newest five of a VMI).
import { createHash } from 'node:crypto';
import type { MigrationStatus, VirtualMachine } from '../../pkg/api/types.generated.js';
import {
  evacuationMigrationAnnotation,
  isMigrationFinal,
  workloadUpdateMigrationAnnotation,
  type VirtualMachineInstance,
  type VirtualMachineInstanceMigration,
} from '../../pkg/contracts/kubevirt/index.js';
import { controllerReference } from '../../pkg/meta/object.js';
import { childLabels } from '../shared/labels.js';

/** On migrations Stratus creates for spec.migrateRequestedAt: the request. */
export const moveRequestAnnotation = 'stratus.dev/migrate-requested-at';
/** On migrations Stratus creates for a group member on a draining node: the node. */
export const drainNodeAnnotation = 'stratus.dev/drain-node';
/** Holds a requested move's migration until status.migratedAt records the request. */
export const moveFinalizer = 'stratus.dev/migration-record';

/** The migration that carries out request `requestedAt` for the VMI `vmiName`. */
export function moveName(vmiName: string, requestedAt: string): string {
  return `${vmiName}-move-${createHash('sha256').update(requestedAt).digest('hex').slice(0, 8)}`;
}

export function desiredMove(vm: VirtualMachine, vmiName: string, requestedAt: string): VirtualMachineInstanceMigration {
  return {
    apiVersion: 'kubevirt.io/v1',
    kind: 'VirtualMachineInstanceMigration',
    metadata: {
      name: moveName(vmiName, requestedAt),
      namespace: vm.metadata.namespace,
      labels: childLabels('virtualMachine', vm.metadata.name!),
      annotations: { [moveRequestAnnotation]: requestedAt },
      ownerReferences: [controllerReference(vm)],
      finalizers: [moveFinalizer],
    },
    spec: { vmiName },
  };
}

/**
 * A group member's move off a node being drained (eviction strategy
 * External leaves it to Stratus), named after the VMI, the node, its last
 * migration and the attempts that failed, so a second try at the same move
 * finds the first, and a move that failed can be tried again.
 */
export function drainMove(vm: VirtualMachine, vmi: VirtualMachineInstance, node: string, failedAttempts: number): VirtualMachineInstanceMigration {
  const vmiName = vmi.metadata.name!;
  const key = [vmi.metadata.uid, node, vmi.status?.migrationState?.migrationUid ?? '', failedAttempts].join('/');
  return {
    apiVersion: 'kubevirt.io/v1',
    kind: 'VirtualMachineInstanceMigration',
    metadata: {
      name: `${vmiName}-drain-${createHash('sha256').update(key).digest('hex').slice(0, 8)}`,
      namespace: vm.metadata.namespace,
      labels: childLabels('virtualMachine', vm.metadata.name!),
      annotations: { [drainNodeAnnotation]: node },
      ownerReferences: [controllerReference(vm)],
    },
    spec: { vmiName },
  };
}

function reasonOf(m: VirtualMachineInstanceMigration): NonNullable<MigrationStatus['reason']> {
  const a = m.metadata.annotations ?? {};
  if (a[moveRequestAnnotation]) return 'Requested';
  if (a[drainNodeAnnotation] || a[evacuationMigrationAnnotation]) return 'NodeDrain';
  if (workloadUpdateMigrationAnnotation in a) return 'LiveUpdate';
  return 'Other';
}

export function migrationStatus(m: VirtualMachineInstanceMigration, vmi: VirtualMachineInstance | undefined, member?: string): MigrationStatus {
  const ms = m.status?.migrationState;
  const status: MigrationStatus = { name: m.metadata.name, reason: reasonOf(m), phase: m.status?.phase || 'Pending' };
  if (member) status.member = member;
  const source = ms?.sourceNode ?? (isMigrationFinal(m) ? undefined : vmi?.status?.nodeName);
  if (source) status.sourceNode = source;
  if (ms?.targetNode) status.targetNode = ms.targetNode;
  if (ms?.startTimestamp) status.startTime = ms.startTimestamp;
  if (ms?.endTimestamp) status.endTime = ms.endTimestamp;
  if (m.status?.phase === 'Failed') status.message = ms?.failureReason || 'KubeVirt reports the migration failed';
  return status;
}

const newest = (a: VirtualMachineInstanceMigration, b: VirtualMachineInstanceMigration) =>
  (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? '') || (b.metadata.name ?? '').localeCompare(a.metadata.name ?? '');

/**
 * The migration the status shows among `migrations` of the VM's VMIs (by
 * name): one under way, else the newest. `isGroup` names the member.
 */
export function latestMigration(migrations: VirtualMachineInstanceMigration[], vmis: Map<string, VirtualMachineInstance>, isGroup: boolean): MigrationStatus | undefined {
  const sorted = [...migrations].sort(newest);
  const chosen = sorted.find((m) => !isMigrationFinal(m)) ?? sorted[0];
  if (!chosen) return undefined;
  const vmi = vmis.get(chosen.spec.vmiName ?? '');
  return migrationStatus(chosen, vmi, isGroup ? chosen.spec.vmiName : undefined);
}

/** While a migration runs: what it is doing, for the VM's Ready message. */
export function migrationProgress(m: MigrationStatus): string {
  const who = m.member ? `${m.member} ` : '';
  const why = m.reason === 'Requested' ? 'as requested' : m.reason === 'NodeDrain' ? 'its node is being drained' : m.reason === 'LiveUpdate' ? 'to apply a live update' : 'migration';
  const route = m.targetNode ? `from ${m.sourceNode ?? 'its node'} to ${m.targetNode}` : `off ${m.sourceNode ?? 'its node'}`;
  return `moving ${who}${route} (${why}): ${m.phase}`;
}
