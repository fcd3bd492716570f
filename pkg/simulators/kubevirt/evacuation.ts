// virt-controller's evacuation controller (watch/drain/evacuation): a VMI
// that virt-api marked for evacuation (status.evacuationNodeName, set when an
// eviction of its launcher pod was refused) and that should move on eviction
// gets a migration, within the cluster's limits on parallel migrations (5)
// and on outbound migrations per node (2). A VMI that cannot move gets an
// event instead. Strategy External leaves the move to someone else.
import {
  evacuationMigrationAnnotation,
  isMigrationFinal,
  KubeVirtVirtualMachineInstances,
  VirtualMachineInstanceMigrations,
  type VirtualMachineInstance,
  type VirtualMachineInstanceMigration,
} from '../../contracts/kubevirt/index.js';
import type { Cache } from '../../runtime/cache/cache.js';
import type { Client } from '../../runtime/client/client.js';
import type { Reconciler, Request, Result } from '../../runtime/controller/types.js';
import type { EventRecorder } from '../../runtime/events/recorder.js';
import type { ClusterConfig } from './cluster-config.js';
import { isMigratable, migrationInFlight } from './migrations.js';

const retryMs = 5_000;

/** Whether the VMI's eviction strategy has KubeVirt migrate it when evicted (VMIMigratableOnEviction). */
export function migratesOnEviction(vmi: VirtualMachineInstance, config: ClusterConfig): boolean {
  const strategy = vmi.spec.evictionStrategy ?? config.evictionStrategy;
  return strategy === 'LiveMigrate' || (strategy === 'LiveMigrateIfPossible' && isMigratable(vmi));
}

export class EvacuationReconciler implements Reconciler {
  constructor(
    private readonly client: Client,
    private readonly cache: Cache,
    private readonly events: EventRecorder,
    private readonly config: () => ClusterConfig,
  ) {}

  async reconcile(req: Request): Promise<Result | void> {
    const vmi = this.cache.get<VirtualMachineInstance>(KubeVirtVirtualMachineInstances, req.namespace, req.name);
    const node = vmi?.status?.evacuationNodeName;
    if (!vmi || !node || vmi.status?.nodeName !== node || vmi.status.phase !== 'Running' || vmi.metadata.deletionTimestamp) return;
    const config = this.config();
    if (!migratesOnEviction(vmi, config)) return;
    const migrations = this.cache.list<VirtualMachineInstanceMigration>(VirtualMachineInstanceMigrations);
    if (migrationInFlight(vmi, migrations)) return;
    if (!isMigratable(vmi)) {
      this.events.event(vmi, 'Normal', 'FailedCreate', 'VirtualMachineInstance is not migrateable');
      return { requeueAfterMs: 60_000 };
    }
    const running = migrations.filter((m) => !isMigrationFinal(m) && m.status?.phase);
    const outbound = running.filter((m) => m.status?.migrationState?.sourceNode === node || this.sourceNode(m) === node);
    if (running.length >= config.migrations.parallelMigrationsPerCluster || outbound.length >= config.migrations.parallelOutboundMigrationsPerNode) return { requeueAfterMs: retryMs };
    const created = await this.client.create<VirtualMachineInstanceMigration>(VirtualMachineInstanceMigrations, {
      apiVersion: 'kubevirt.io/v1',
      kind: 'VirtualMachineInstanceMigration',
      metadata: { generateName: 'kubevirt-evacuation-', namespace: vmi.metadata.namespace, annotations: { [evacuationMigrationAnnotation]: node } },
      spec: { vmiName: vmi.metadata.name },
    });
    this.events.event(vmi, 'Normal', 'SuccessfulCreate', `Created Migration ${created.metadata.name}`);
  }

  private sourceNode(m: VirtualMachineInstanceMigration): string | undefined {
    return this.cache.get<VirtualMachineInstance>(KubeVirtVirtualMachineInstances, m.metadata.namespace, m.spec.vmiName ?? '')?.status?.nodeName;
  }
}
