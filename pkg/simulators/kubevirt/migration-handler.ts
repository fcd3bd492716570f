// virt-handler's migration halves, on the VMI's migrationState: the target
// node prepares (targetNodeAddress), the source sends the guest's memory (at
// migrationBytesPerSecond, or less if a MigrationPolicy or the cluster limits
// bandwidthPerMigration; they also bound how long it may take), the target takes the domain over — with any hotplugged CPU and
// memory — and the VMI moves to the target node; the source virt-launcher
// then exits. Failure injection on the VMI (sim.stratus.dev/inject-failure):
// MigrationFailed breaks the transfer halfway, MigrationStuck makes no
// progress until KubeVirt's progress or completion timeout aborts it.
import type { Pod } from '../../kube/core-types.js';
import { Namespaces, Nodes, Pods } from '../../kube/resources.js';
import type { Node } from '../../kube/core-types.js';
import {
  kubevirtLabels,
  KubeVirtVirtualMachineInstances,
  MigrationPolicies,
  migrationTargetNodeLabel,
  type MigrationPolicy,
  type MigrationState,
  type VirtualMachineInstance,
} from '../../contracts/kubevirt/index.js';
import { parseQuantity } from '../../kube/quantity.js';
import { isConflict, isNotFound } from '../../runtime/client/api-error.js';
import type { Cache } from '../../runtime/cache/cache.js';
import type { Client } from '../../runtime/client/client.js';
import type { Reconciler, Request, Result } from '../../runtime/controller/types.js';
import type { EventRecorder } from '../../runtime/events/recorder.js';
import type { KubeObject } from '../../meta/object.js';
import { rfc3339, type StageClock } from '../clock.js';
import { injectFailureAnnotation, processExitAnnotation } from '../kubelet/options.js';
import type { ClusterConfig } from './cluster-config.js';
import { policyFor } from './migration-policy.js';
import type { KubeVirtSimOptions } from './options.js';
import { attachmentPodsOf, launcherPodsOf } from './pods.js';
import { podReady } from './volume-status.js';

export const migrationFailure = 'MigrationFailed';
export const migrationStuck = 'MigrationStuck';
const migrationPort = 49152;

/** The guest memory a migration sends, in bytes. */
function memoryBytes(vmi: VirtualMachineInstance): number {
  const guest = vmi.spec.domain.memory?.guest ?? vmi.spec.domain.resources?.requests?.memory;
  return guest !== undefined ? parseQuantity(String(guest)) : 2 ** 30;
}

export class MigrationHandlerReconciler implements Reconciler {
  constructor(
    private readonly client: Client,
    private readonly cache: Cache,
    private readonly o: KubeVirtSimOptions,
    private readonly clock: StageClock,
    private readonly events: EventRecorder,
    private readonly config: () => ClusterConfig,
  ) {}

  async reconcile(req: Request): Promise<Result | void> {
    const vmi = this.cache.get<VirtualMachineInstance>(KubeVirtVirtualMachineInstances, req.namespace, req.name);
    const ms = vmi?.status?.migrationState;
    if (!vmi || !ms?.migrationUid || vmi.metadata.deletionTimestamp) return;
    const pods = launcherPodsOf(this.cache, vmi);
    const byName = (name: string | undefined) => pods.find((p) => p.metadata.name === name);
    const target = byName(ms.targetPod);
    const source = byName(ms.sourcePod);
    if (ms.completed) return this.afterwards(vmi, ms, source, target);
    const key = `${vmi.metadata.uid}:migration:${ms.migrationUid}`;
    if (ms.abortRequested) return this.end(vmi, { failed: true, abortStatus: 'Succeeded', failureReason: 'Live migration aborted' });
    if (!target || !podReady(target)) return;
    if (!ms.targetNodeAddress) {
      const wait = this.clock.remaining(`${key}:prepare`, this.o.migrationPrepareMs);
      if (wait > 0) return { requeueAfterMs: wait };
      const policy = this.policy(vmi);
      await this.patch(vmi, {
        migrationState: {
          targetNodeAddress: this.nodeAddress(target.spec.nodeName),
          targetDirectMigrationNodePorts: { [String(migrationPort)]: 0 },
          mode: 'PreCopy',
          ...(policy ? { migrationPolicyName: policy.metadata.name } : {}),
          migrationConfiguration: this.limits(policy),
        },
      });
      return;
    }
    if (!ms.startTimestamp) {
      await this.patch(vmi, { migrationState: { startTimestamp: rfc3339(this.clock.since(`${key}:start`)) } });
      return;
    }
    return this.transfer(vmi, ms, target, key);
  }

  private policy(vmi: VirtualMachineInstance): MigrationPolicy | undefined {
    const ns = this.cache.get<KubeObject>(Namespaces, undefined, vmi.metadata.namespace!);
    return policyFor(this.cache.list<MigrationPolicy>(MigrationPolicies), vmi, ns?.metadata.labels);
  }

  /** What bounds the migration: the cluster's settings, or its MigrationPolicy's. */
  private limits(policy: MigrationPolicy | undefined): { progressTimeout: number; completionTimeoutPerGiB: number; bandwidthPerMigration: string } {
    const cluster = this.config().migrations;
    const bandwidth = policy?.spec.bandwidthPerMigration !== undefined ? parseQuantity(String(policy.spec.bandwidthPerMigration)) : cluster.bandwidthPerMigration;
    return {
      progressTimeout: cluster.progressTimeout,
      completionTimeoutPerGiB: policy?.spec.completionTimeoutPerGiB ?? cluster.completionTimeoutPerGiB,
      bandwidthPerMigration: String(bandwidth),
    };
  }

  private nodeAddress(node: string | undefined): string {
    const n = node ? this.cache.get<Node>(Nodes, undefined, node) : undefined;
    return n?.status?.addresses?.find((a) => a.type === 'InternalIP')?.address ?? '';
  }

  /** Sends the memory; KubeVirt aborts a migration that makes no progress for progressTimeout, or takes longer than completionTimeoutPerGiB per GiB. */
  private async transfer(vmi: VirtualMachineInstance, ms: MigrationState, target: Pod, key: string): Promise<Result | void> {
    const injected = vmi.metadata.annotations?.[injectFailureAnnotation];
    const bytes = memoryBytes(vmi);
    const limits = ms.migrationConfiguration ?? this.limits(undefined);
    const progressMs = (limits.progressTimeout ?? 150) * 1000;
    const completionMs = (limits.completionTimeoutPerGiB ?? 150) * Math.max(1, bytes / 2 ** 30) * 1000;
    const bandwidth = parseQuantity(String(limits.bandwidthPerMigration ?? 0));
    const durationMs = (bytes / Math.min(this.o.migrationBytesPerSecond, bandwidth > 0 ? bandwidth : Infinity)) * 1000;
    const after = async (ms: number, then: () => Promise<void>): Promise<Result | void> => {
      const left = this.clock.remaining(`${key}:transfer`, ms);
      return left > 0 ? { requeueAfterMs: left } : then();
    };
    const stuckFor = (s: number) => ({ failed: true, failureReason: `Live migration stuck for ${s} seconds and has been aborted` });
    const tooLong = (s: number) => ({ failed: true, failureReason: `Live migration is not completed after ${s} seconds and has been aborted` });
    if (injected === migrationFailure) {
      return after(Math.min(durationMs / 2, completionMs), () =>
        this.end(vmi, {
          failed: true,
          failureReason: "Live migration failed error encountered during MigrateToURI3 libvirt api call: virError(Code=1, Domain=7, Message='internal error: qemu unexpectedly closed the monitor')",
        }),
      );
    }
    if (injected === migrationStuck) {
      return progressMs <= completionMs
        ? after(progressMs, () => this.end(vmi, stuckFor(progressMs / 1000)))
        : after(completionMs, () => this.end(vmi, tooLong(Math.round(completionMs / 1000))));
    }
    if (durationMs > completionMs) return after(completionMs, () => this.end(vmi, tooLong(Math.round(completionMs / 1000))));
    return after(durationMs, () => this.complete(vmi, target));
  }

  /** The target took the domain over: the VMI is on the target node, with the CPU and memory its spec asks for. */
  private async complete(vmi: VirtualMachineInstance, target: Pod): Promise<void> {
    const now = rfc3339(Date.now());
    const cpu = vmi.spec.domain.cpu;
    const guest = vmi.spec.domain.memory?.guest;
    await this.patch(
      vmi,
      {
        migrationState: { targetNodeDomainDetected: true, targetNodeDomainReadyTimestamp: now, endTimestamp: now, completed: true },
        // Ownership passes to the target node in the same update.
        nodeName: target.spec.nodeName,
        evacuationNodeName: null,
        ...(cpu ? { currentCPUTopology: { sockets: cpu.sockets ?? 1, cores: cpu.cores ?? 1, threads: cpu.threads ?? 1 } } : {}),
        ...(guest !== undefined && vmi.status?.memory ? { memory: { guestCurrent: guest, guestRequested: guest } } : {}),
      },
      { [kubevirtLabels.nodeName]: target.spec.nodeName!, [migrationTargetNodeLabel]: null },
    );
    this.events.event(vmi, 'Normal', 'Migrated', `The VirtualMachineInstance migrated to node ${target.spec.nodeName}.`);
  }

  private async end(vmi: VirtualMachineInstance, fields: Record<string, unknown>): Promise<void> {
    const now = rfc3339(Date.now());
    await this.patch(vmi, { migrationState: { ...fields, endTimestamp: now, completed: true } }, { [migrationTargetNodeLabel]: null });
    if (fields.failed) this.events.event(vmi, 'Warning', 'Migrated', `VirtualMachineInstance migration uid ${vmi.status?.migrationState?.migrationUid} failed. reason:${String(fields.failureReason)}`);
  }

  /** Once over: the source's virt-launcher exits after a success (its attachment pods go), the target's after a failure. */
  private async afterwards(vmi: VirtualMachineInstance, ms: MigrationState, source: Pod | undefined, target: Pod | undefined): Promise<void> {
    this.clock.forget(`${vmi.metadata.uid}:migration:${ms.migrationUid}`);
    const leaving = ms.failed ? target : source;
    if (!leaving || leaving.metadata.deletionTimestamp) return;
    if (ms.failed) {
      await this.client.delete(Pods, leaving.metadata.namespace, leaving.metadata.name!, { preconditions: { uid: leaving.metadata.uid } }).catch(ignoreGone);
      return;
    }
    for (const pod of attachmentPodsOf(this.cache, leaving)) {
      if (!pod.metadata.deletionTimestamp) await this.client.delete(Pods, pod.metadata.namespace, pod.metadata.name!, { preconditions: { uid: pod.metadata.uid } }).catch(ignoreGone);
    }
    if (leaving.metadata.annotations?.[processExitAnnotation] === undefined && leaving.status?.phase === 'Running') {
      await this.client.patch(Pods, leaving.metadata.namespace, leaving.metadata.name!, { merge: { metadata: { annotations: { [processExitAnnotation]: '0' } } } }).catch(ignoreGone);
    }
  }

  private async patch(vmi: VirtualMachineInstance, status: Record<string, unknown>, labels?: Record<string, string | null>): Promise<void> {
    await this.client
      .patch(KubeVirtVirtualMachineInstances, vmi.metadata.namespace, vmi.metadata.name!, { merge: { status, ...(labels ? { metadata: { labels } } : {}) } })
      .catch((err: unknown) => {
        if (!isNotFound(err)) throw err;
      });
  }
}

function ignoreGone(err: unknown): void {
  if (!isNotFound(err) && !isConflict(err)) throw err;
}
