// virt-controller's workload updater (watch/workload-updater), for the part
// hotplug needs: a running VMI whose CPU or memory changed (HotVCPUChange,
// HotMemoryChange) or whose interfaces need another pod (MigrationRequired)
// moves to a new launcher pod, when the install allows LiveMigrate as a
// workload update method and the VMI can migrate.
import {
  KubeVirtVirtualMachineInstances,
  VirtualMachineInstanceMigrations,
  workloadUpdateMigrationAnnotation,
  type VirtualMachineInstance,
  type VirtualMachineInstanceMigration,
} from '../../contracts/kubevirt/index.js';
import type { Cache } from '../../runtime/cache/cache.js';
import type { Client } from '../../runtime/client/client.js';
import type { Reconciler, Request } from '../../runtime/controller/types.js';
import type { EventRecorder } from '../../runtime/events/recorder.js';
import type { ClusterConfig } from './cluster-config.js';
import { isMigratable, migrationInFlight } from './migrations.js';

export function needsHotplugMigration(vmi: VirtualMachineInstance): boolean {
  return !!vmi.status?.conditions?.some(
    (c) => (c.type === 'HotVCPUChange' && c.status === 'True') || (c.type === 'HotMemoryChange' && c.status === 'True') || (c.type === 'MigrationRequired' && c.status === 'True'),
  );
}

export class WorkloadUpdateReconciler implements Reconciler {
  constructor(
    private readonly client: Client,
    private readonly cache: Cache,
    private readonly events: EventRecorder,
    private readonly config: () => ClusterConfig,
  ) {}

  async reconcile(req: Request): Promise<void> {
    const vmi = this.cache.get<VirtualMachineInstance>(KubeVirtVirtualMachineInstances, req.namespace, req.name);
    if (!vmi || vmi.metadata.deletionTimestamp || vmi.status?.phase !== 'Running' || !needsHotplugMigration(vmi)) return;
    if (!this.config().workloadUpdateMethods.includes('LiveMigrate') || !isMigratable(vmi)) return;
    if (migrationInFlight(vmi, this.cache.list<VirtualMachineInstanceMigration>(VirtualMachineInstanceMigrations, { namespace: vmi.metadata.namespace }))) return;
    try {
      const created = await this.client.create<VirtualMachineInstanceMigration>(VirtualMachineInstanceMigrations, {
        apiVersion: 'kubevirt.io/v1',
        kind: 'VirtualMachineInstanceMigration',
        metadata: { generateName: 'kubevirt-workload-update-', namespace: vmi.metadata.namespace, annotations: { [workloadUpdateMigrationAnnotation]: '' } },
        spec: { vmiName: vmi.metadata.name },
      });
      this.events.event(vmi, 'Normal', 'SuccessfulCreate', `Created Migration ${created.metadata.name} for automated workload update`);
    } catch (err) {
      this.events.event(vmi, 'Warning', 'FailedCreate', `Error creating a Migration for automated workload update: ${(err as Error).message}`);
      throw err;
    }
  }
}
