// virt-controller's migration half (pkg/virt-controller/watch/migration):
// takes a VirtualMachineInstanceMigration through Pending (a target pod, kept
// off the VMI's nodes), Scheduling, Scheduled (the target pod ready, then
// handed to the target node's virt-handler through the VMI's
// migrationState), PreparingTarget, TargetReady and Running to Succeeded —
// or Failed: the VMI gone or stopped, the target pod gone or unschedulable
// past its timeout, the source reporting failure, the migration deleted.
// Finished migrations keep only the newest five per VMI.
import type { Pod } from '../../kube/core-types.js';
import { Pods } from '../../kube/resources.js';
import {
  isMigrationFinal,
  VirtualMachineInstanceMigrations,
  KubeVirtVirtualMachineInstances,
  migrationFinalizer,
  migrationJobLabel,
  migrationsOf,
  migrationTargetNodeLabel,
  pendingTimeoutAnnotation,
  unschedulableTimeoutAnnotation,
  type MigrationStatus,
  type VirtualMachineInstance,
  type VirtualMachineInstanceMigration,
} from '../../contracts/kubevirt/index.js';
import { isConflict, isInvalid, isNotFound } from '../../runtime/client/api-error.js';
import type { Cache } from '../../runtime/cache/cache.js';
import type { Client } from '../../runtime/client/client.js';
import type { Reconciler, Request, Result } from '../../runtime/controller/types.js';
import type { EventRecorder } from '../../runtime/events/recorder.js';
import { containsSubset } from '../../util/equality.js';
import { rfc3339 } from '../clock.js';
import { attachmentPod } from './hotplug-attachments.js';
import { launcherPod } from './launcher-pod.js';
import type { KubeVirtSimOptions } from './options.js';
import { attachmentPodsOf, domainPod, launcherPodsOf, podDone } from './pods.js';
import { markUnpaused } from './readiness-gate.js';
import { isHotplugVolume, podReady } from './volume-status.js';

const keptFinished = 5;
const defaultUnschedulableTimeoutS = 300;
const defaultPendingTimeoutS = 900;

const hasCondition = (vmi: VirtualMachineInstance, type: string, status?: string) => !!vmi.status?.conditions?.some((c) => c.type === type && (!status || c.status === status));

type Step = { phase: string; failure?: string; abortRequested?: boolean; requeueMs?: number };

export class MigrationReconciler implements Reconciler {
  constructor(
    private readonly client: Client,
    private readonly cache: Cache,
    private readonly o: KubeVirtSimOptions,
    private readonly events: EventRecorder,
  ) {}

  async reconcile(req: Request): Promise<Result | void> {
    const m = this.cache.get<VirtualMachineInstanceMigration>(VirtualMachineInstanceMigrations, req.namespace, req.name);
    if (!m) return;
    const vmi = this.cache.get<VirtualMachineInstance>(KubeVirtVirtualMachineInstances, req.namespace, m.spec.vmiName ?? '');
    const pods = vmi ? launcherPodsOf(this.cache, vmi) : [];
    const target = pods.find((p) => p.metadata.labels?.[migrationJobLabel] === m.metadata.uid);
    if (isMigrationFinal(m)) return this.finished(m, vmi, target);
    const step = await this.step(m, vmi, target);
    if (step.failure) this.events.event(m, 'Warning', 'FailedMigration', step.failure);
    await this.writeStatus(m, vmi, step);
    return step.requeueMs !== undefined ? { requeueAfterMs: Math.max(10, step.requeueMs) } : undefined;
  }

  /** One step of the migration: the phase it is in now, after acting on it. */
  private async step(m: VirtualMachineInstanceMigration, vmi: VirtualMachineInstance | undefined, target: Pod | undefined): Promise<Step> {
    const phase = m.status?.phase ?? '';
    const fail = (failure: string): Step => ({ phase: 'Failed', failure });
    if (!vmi) return fail('Migration failed because vmi does not exist.');
    const ms = vmi.status?.migrationState;
    const handedOff = !!ms && ms.migrationUid === m.metadata.uid;
    const done = handedOff && !!ms.completed;
    const final = vmi.status?.phase === 'Succeeded' || vmi.status?.phase === 'Failed';
    if (final && !done) return fail('Migration failed vmi shutdown during migration.');
    if (m.metadata.deletionTimestamp && !handedOff) {
      if (target) await this.deletePod(target);
      return { ...fail('Migration failed due to being canceled'), abortRequested: true };
    }
    if (target && (target.metadata.deletionTimestamp || podDone(target)) && !done) {
      if (handedOff && !ms.startTimestamp) await this.markFailedOnVmi(m, vmi);
      return fail('Migration failed because target pod shutdown during migration');
    }
    const targetCreated = ['Scheduling', 'Scheduled', 'PreparingTarget', 'TargetReady', 'Running'].includes(phase);
    if (targetCreated && !target && !done) {
      if (handedOff && !ms.startTimestamp) await this.markFailedOnVmi(m, vmi);
      return fail('Migration target pod was removed during active migration.');
    }
    if (['PreparingTarget', 'TargetReady', 'Running'].includes(phase) && !handedOff) return fail("VMI's migration state was taken over by another migration job during active migration.");
    if (handedOff && ms.failed) {
      if (target) await this.deletePod(target);
      return fail('source node reported migration failed');
    }
    if (m.metadata.deletionTimestamp && handedOff && !ms.abortRequested) {
      await this.patchMigrationState(vmi, { abortRequested: true });
      return { phase, abortRequested: true };
    }
    switch (phase) {
      case '':
        return this.canMigrate(m, vmi) ? { phase: 'Pending' } : fail('VMI is not eligible for migration because another migration job is in progress.');
      case 'Pending':
        if (!target) {
          const source = domainPod(vmi, launcherPodsOf(this.cache, vmi));
          if (vmi.status?.phase === 'Running' && source && !source.metadata.deletionTimestamp) await this.createTarget(m, vmi);
          return { phase };
        }
        // With hotplugged volumes the target's attachment pod must be ready first.
        if (!this.hotplugged(vmi).length || (await this.targetUp(vmi, target))) return { phase: 'Scheduling' };
        return { phase, ...(await this.pendingTimeout(m, vmi, target)) };
      case 'Scheduling':
        return (await this.targetUp(vmi, target!)) ? { phase: 'Scheduled' } : { phase, ...(await this.pendingTimeout(m, vmi, target!)) };
      case 'Scheduled':
        if (!handedOff) await this.handOff(m, vmi, target!);
        return { phase: handedOff && ms.targetNode ? 'PreparingTarget' : phase };
      case 'PreparingTarget':
        return { phase: ms?.targetNodeAddress ? 'TargetReady' : phase };
      case 'TargetReady':
        return { phase: ms?.startTimestamp ? 'Running' : phase };
      case 'Running': {
        const hotplugPending = hasCondition(vmi, 'HotVCPUChange') || hasCondition(vmi, 'HotMemoryChange', 'True') || hasCondition(vmi, 'MigrationRequired', 'True');
        if (done && !ms.failed && !hotplugPending) {
          this.events.event(m, 'Normal', 'SuccessfulMigration', 'Source node reported migration succeeded');
          return { phase: 'Succeeded' };
        }
        return { phase };
      }
      default:
        return { phase };
    }
  }

  private canMigrate(m: VirtualMachineInstanceMigration, vmi: VirtualMachineInstance): boolean {
    const current = vmi.status?.migrationState?.migrationUid;
    if (!current || current === m.metadata.uid) return true;
    const other = this.cache.list<VirtualMachineInstanceMigration>(VirtualMachineInstanceMigrations, { namespace: m.metadata.namespace }).find((x) => x.metadata.uid === current);
    return !other || isMigrationFinal(other);
  }

  private async createTarget(m: VirtualMachineInstanceMigration, vmi: VirtualMachineInstance): Promise<void> {
    const pod = await this.client.create<Pod>(Pods, launcherPod(vmi, this.o.launcherImage, m));
    this.events.event(m, 'Normal', 'SuccessfulCreate', `Created migration target pod ${pod.metadata.name}`);
  }

  private hotplugged(vmi: VirtualMachineInstance) {
    return (vmi.spec.volumes ?? []).filter((v) => isHotplugVolume(v) && vmi.status?.volumeStatus?.some((s) => s.name === v.name && s.phase === 'Ready'));
  }

  /**
   * Whether the target pod is ready to receive the domain: running, its
   * readiness gate set, and, for a VMI with hotplugged volumes, an
   * attachment pod of its own on the target node ready too.
   */
  private async targetUp(vmi: VirtualMachineInstance, target: Pod): Promise<boolean> {
    if (target.status?.phase !== 'Running') return false;
    await markUnpaused(this.client, target);
    if (!podReady(target)) return false;
    const hotplugged = this.hotplugged(vmi);
    if (!hotplugged.length) return true;
    const attachments = attachmentPodsOf(this.cache, target);
    if (!attachments.length) {
      const pod = await this.client.create<Pod>(Pods, attachmentPod(target, hotplugged, this.o.launcherImage));
      this.events.event(vmi, 'Normal', 'SuccessfulCreate', `Created attachment pod ${pod.metadata.name}`);
      return false;
    }
    return attachments.some(podReady);
  }

  /** A target pod that stays unschedulable (default 5 minutes) or pending (15) is deleted, which fails the migration. */
  private async pendingTimeout(m: VirtualMachineInstanceMigration, vmi: VirtualMachineInstance, target: Pod): Promise<Pick<Step, 'requeueMs'>> {
    if (target.status?.phase !== 'Pending' || target.metadata.deletionTimestamp || !target.metadata.creationTimestamp) return {};
    const pendingMs = Date.now() - Date.parse(target.metadata.creationTimestamp);
    const unschedulable = target.status.conditions?.some((c) => c.type === 'PodScheduled' && c.status === 'False' && c.reason === 'Unschedulable');
    const seconds = (annotation: string, fallback: number) => Number(m.metadata.annotations?.[annotation] ?? fallback) * 1000;
    const limit = Math.min(unschedulable ? seconds(unschedulableTimeoutAnnotation, defaultUnschedulableTimeoutS) : Infinity, seconds(pendingTimeoutAnnotation, defaultPendingTimeoutS));
    if (unschedulable) this.events.event(m, 'Warning', 'migrationTargetPodUnschedulable', `Migration target pod for VMI [${vmi.metadata.namespace}/${vmi.metadata.name}] is currently unschedulable.`);
    if (pendingMs < limit) return { requeueMs: limit - pendingMs };
    await this.deletePod(target);
    this.events.event(m, 'Normal', 'SuccessfulDelete', `${unschedulable ? 'unschedulable' : 'pending'} pod ${target.metadata.namespace}/${target.metadata.name} timeout period exceeded`);
    return {};
  }

  /** Tells the target node's virt-handler about the migration: the VMI's migrationState names the target. */
  private async handOff(m: VirtualMachineInstanceMigration, vmi: VirtualMachineInstance, target: Pod): Promise<void> {
    const source = domainPod(vmi, launcherPodsOf(this.cache, vmi));
    await this.client
      .patch(KubeVirtVirtualMachineInstances, vmi.metadata.namespace, vmi.metadata.name!, { json: [
        { op: 'test', path: '/metadata/resourceVersion', value: vmi.metadata.resourceVersion },
        {
          op: 'add',
          path: '/status/migrationState',
          value: {
            migrationUid: m.metadata.uid,
            sourceNode: vmi.status?.nodeName,
            sourcePod: source?.metadata.name,
            targetNode: target.spec.nodeName,
            targetPod: target.metadata.name,
          },
        },
        { op: 'add', path: `/metadata/labels/${migrationTargetNodeLabel.replace('/', '~1')}`, value: target.spec.nodeName },
      ] })
      .catch((err: unknown) => {
        // The VMI changed meanwhile: the next pass hands off again.
        if (!isNotFound(err) && !isConflict(err) && !isInvalid(err)) throw err;
      });
    this.events.event(m, 'Normal', 'SuccessfulHandOver', 'Migration target pod is ready for preparation by virt-handler.');
  }

  /** The target went away before the source started sending: the VMI's migration is over, failed. */
  private async markFailedOnVmi(m: VirtualMachineInstanceMigration, vmi: VirtualMachineInstance): Promise<void> {
    const now = rfc3339(Date.now());
    await this.patchMigrationState(vmi, { startTimestamp: now, endTimestamp: now, failed: true, completed: true, failureReason: vmi.status?.migrationState?.failureReason || 'Target pod is down' });
    this.events.event(vmi, 'Warning', 'FailedMigration', `VirtualMachineInstance migration uid ${m.metadata.uid} failed. reason: Target pod is down`);
  }

  private async patchMigrationState(vmi: VirtualMachineInstance, fields: Record<string, unknown>): Promise<void> {
    await this.client.patch(KubeVirtVirtualMachineInstances, vmi.metadata.namespace, vmi.metadata.name!, { merge: { status: { migrationState: fields } } }).catch((err: unknown) => {
      if (!isNotFound(err)) throw err;
    });
  }

  private async writeStatus(m: VirtualMachineInstanceMigration, vmi: VirtualMachineInstance | undefined, step: Step): Promise<void> {
    const previous = m.status;
    const transitions = [...(previous?.phaseTransitionTimestamps ?? [])];
    if (step.phase && previous?.phase !== step.phase) transitions.push({ phase: step.phase, phaseTransitionTimestamp: rfc3339(Date.now()) });
    const status: MigrationStatus = { phaseTransitionTimestamps: transitions, ...(step.phase ? { phase: step.phase } : {}) };
    const ms = vmi?.status?.migrationState;
    if (ms?.migrationUid === m.metadata.uid) status.migrationState = ms;
    if (step.abortRequested && !previous?.conditions?.some((c) => c.type === 'migrationAbortRequested')) {
      status.conditions = [...(previous?.conditions ?? []), { type: 'migrationAbortRequested', status: 'True', lastProbeTime: rfc3339(Date.now()) }];
    }
    if (containsSubset(previous, status)) return;
    await this.client.patch(VirtualMachineInstanceMigrations, m.metadata.namespace, m.metadata.name!, { merge: { status } }, { subresource: 'status' }).catch((err: unknown) => {
      if (!isNotFound(err)) throw err;
    });
  }

  /** A finished migration: its target pod gone if it failed, virt-api's finalizer off, and only the newest five kept. */
  private async finished(m: VirtualMachineInstanceMigration, vmi: VirtualMachineInstance | undefined, target: Pod | undefined): Promise<void> {
    if (m.status?.phase === 'Failed' && target && !target.metadata.deletionTimestamp && !podDone(target)) await this.deletePod(target);
    const finalizers = m.metadata.finalizers ?? [];
    if (finalizers.includes(migrationFinalizer)) {
      await this.client
        .patch(VirtualMachineInstanceMigrations, m.metadata.namespace, m.metadata.name!, { json: [
          { op: 'test', path: '/metadata/finalizers', value: finalizers },
          { op: 'replace', path: '/metadata/finalizers', value: finalizers.filter((f) => f !== migrationFinalizer) },
        ] })
        .catch((err: unknown) => {
          if (!isNotFound(err) && !isConflict(err) && !isInvalid(err)) throw err;
        });
    }
    if (!vmi) return;
    const all = this.cache.list<VirtualMachineInstanceMigration>(VirtualMachineInstanceMigrations, { namespace: m.metadata.namespace });
    const finishedOnes = migrationsOf(all, vmi.metadata.name!).filter((x) => isMigrationFinal(x) && !x.metadata.deletionTimestamp);
    for (const old of finishedOnes.slice(0, Math.max(0, finishedOnes.length - keptFinished))) {
      await this.client.delete(VirtualMachineInstanceMigrations, old.metadata.namespace, old.metadata.name!, { preconditions: { uid: old.metadata.uid } }).catch((err: unknown) => {
        if (!isNotFound(err) && !isConflict(err)) throw err;
      });
    }
  }

  private async deletePod(pod: Pod): Promise<void> {
    await this.client.delete(Pods, pod.metadata.namespace, pod.metadata.name!, { preconditions: { uid: pod.metadata.uid } }).catch((err: unknown) => {
      if (!isNotFound(err) && !isConflict(err)) throw err;
    });
  }
}
