// virt-controller's VirtualMachine half: creates the VM's DataVolumes, then
// starts and stops its VMI as the run strategy says, with a growing back-off
// for VMIs that keep failing, applies template changes to the running VMI
// that KubeVirt applies live (live-update.ts), and reports printableStatus
// and conditions (RestartRequired for the rest).
import type { PersistentVolumeClaim } from '../../kube/core-types.js';
import { ControllerRevisions, PersistentVolumeClaims } from '../../kube/resources.js';
import { DataVolumes, type DataVolume } from '../../contracts/cdi/index.js';
import {
  claimNames,
  kubevirtLabels,
  KubeVirtVirtualMachineInstances,
  KubeVirtVirtualMachines,
  templateSpecOf,
  vmGenerationAnnotation,
  vmiFinalizer,
  type VirtualMachine as KubeVirtVirtualMachine,
  type VirtualMachineInstance,
  type VirtualMachineStatus,
  type VmiCondition as KvCondition,
} from '../../contracts/kubevirt/index.js';
import { isAlreadyExists, isConflict, isInvalid, isNotFound } from '../../runtime/client/api-error.js';
import type { Cache } from '../../runtime/cache/cache.js';
import type { Client } from '../../runtime/client/client.js';
import type { Reconciler, Request, Result } from '../../runtime/controller/types.js';
import type { EventRecorder } from '../../runtime/events/recorder.js';
import { controllerReference, type KubeObject } from '../../meta/object.js';
import { containsSubset } from '../../util/equality.js';
import { rfc3339, type StageClock } from '../clock.js';
import type { ClusterConfig } from './cluster-config.js';
import { legacyFirmwareUuid } from './firmware.js';
import { liveUpdate } from './live-update.js';
import { printableStatus } from './printable-status.js';
import { restartRequired } from './restart-required.js';
import { decide, runStrategyOf } from './run-strategy.js';

const crashBackoffBaseMs = 10_000;
const crashBackoffMaxMs = 300_000;
/** How soon a live update waits for one in flight (KubeVirt requeues on the error). */
const busyRetryMs = 1_000;

interface StartRevision extends KubeObject {
  data?: { spec?: KubeVirtVirtualMachine['spec'] };
}

function condition(prev: KvCondition[] | undefined, c: Omit<KvCondition, 'lastProbeTime' | 'lastTransitionTime'>, now: number): KvCondition {
  const old = prev?.find((p) => p.type === c.type);
  return { ...c, lastProbeTime: null, lastTransitionTime: old?.status === c.status && old.lastTransitionTime ? old.lastTransitionTime : rfc3339(now) };
}

/** A merge patch of a VM's status: null removes a field. */
type StatusPatch = Omit<VirtualMachineStatus, 'startFailure' | 'stateChangeRequests'> & {
  startFailure?: VirtualMachineStatus['startFailure'] | null;
  stateChangeRequests?: VirtualMachineStatus['stateChangeRequests'] | null;
};

/** virt-controller's name for the revision of a VM's spec a VMI starts from. */
function startRevisionName(vm: KubeVirtVirtualMachine): string {
  return `revision-start-vm-${vm.metadata.uid}-${vm.metadata.generation ?? 1}`;
}

export function vmiFor(vm: KubeVirtVirtualMachine): VirtualMachineInstance {
  const template = vm.spec.template;
  return {
    apiVersion: 'kubevirt.io/v1',
    kind: 'VirtualMachineInstance',
    metadata: {
      name: vm.metadata.name,
      namespace: vm.metadata.namespace,
      labels: { ...(template.metadata?.labels ?? {}) },
      annotations: { ...(template.metadata?.annotations ?? {}), [vmGenerationAnnotation]: String(vm.metadata.generation ?? 1) },
      ownerReferences: [controllerReference(vm)],
      finalizers: [vmiFinalizer],
    },
    spec: structuredClone(templateSpecOf(vm)),
  };
}

export class VmReconciler implements Reconciler {
  constructor(
    private readonly client: Client,
    private readonly cache: Cache,
    private readonly clock: StageClock,
    private readonly events: EventRecorder,
    private readonly config: () => ClusterConfig,
  ) {}

  async reconcile(req: Request): Promise<Result | void> {
    const vm = this.cache.get<KubeVirtVirtualMachine>(KubeVirtVirtualMachines, req.namespace, req.name);
    if (!vm) return;
    if (!vm.metadata.deletionTimestamp && !vm.spec.template.spec?.domain.firmware?.uuid) return this.syncFirmware(vm);
    const vmi = this.cache.get<VirtualMachineInstance>(KubeVirtVirtualMachineInstances, req.namespace, req.name);
    const owned = vmi && vmi.metadata.ownerReferences?.some((r) => r.uid === vm.metadata.uid) ? vmi : undefined;
    const now = this.clock.current();
    let strategyError: string | undefined;
    let decision = { action: 'none' as const, startExpected: false, stopExpected: false, handled: [] } as ReturnType<typeof decide>;
    try {
      decision = vm.metadata.deletionTimestamp ? decision : decide(runStrategyOf(vm), owned, vm.status?.stateChangeRequests);
    } catch (err) {
      strategyError = (err as Error).message;
    }
    const dataVolumes = vm.metadata.deletionTimestamp ? [] : await this.ensureDataVolumes(vm);
    const volumesReady = dataVolumes.every((dv) => dv.status?.phase === 'Succeeded' || dv.status?.phase === 'WaitForFirstConsumer');
    const startFailure = this.trackFailures(vm, owned, now);
    const retryAt = startFailure ? Date.parse(startFailure.retryAfterTimestamp ?? '') : NaN;
    const inBackoff = !Number.isNaN(retryAt) && retryAt > now;
    let next: number | undefined;

    if (vm.metadata.deletionTimestamp) {
      if (owned && !owned.metadata.deletionTimestamp) await this.deleteVmi(vm, owned);
    } else if (decision.action === 'delete' && owned) {
      await this.deleteVmi(vm, owned);
    } else if (decision.action === 'create' && !owned && volumesReady && !vmi) {
      if (inBackoff) next = retryAt - now;
      else await this.createVmi(vm);
    }

    let restartMessage: string | undefined;
    if (owned?.status?.phase === 'Running' && !owned.metadata.deletionTimestamp && !vm.metadata.deletionTimestamp) {
      const live = await this.applyLive(vm, owned);
      restartMessage = live.restartMessage;
      if (live.busy) next = Math.min(next ?? busyRetryMs, busyRetryMs);
    }
    const status = this.status(vm, owned, dataVolumes, decision, startFailure, inBackoff, strategyError, restartMessage, now);
    if (!containsSubset(vm.status, status)) {
      await this.client.patch(KubeVirtVirtualMachines, req.namespace, req.name, { merge: { status } }, { subresource: 'status' }).catch((err: unknown) => {
        if (!isNotFound(err)) throw err;
      });
    }
    return next !== undefined ? { requeueAfterMs: Math.max(10, next) } : undefined;
  }

  /** As virt-controller's firmware synchronizer: test-and-add, so a concurrent change fails the patch instead of being overwritten. */
  /** Brings the running VMI to what its template asks of it where KubeVirt does that live; says why the rest needs a restart. */
  private async applyLive(vm: KubeVirtVirtualMachine, vmi: VirtualMachineInstance): Promise<{ restartMessage?: string; busy?: boolean }> {
    const revision = vmi.status?.virtualMachineRevisionName
      ? this.cache.get<StartRevision>(ControllerRevisions, vm.metadata.namespace, vmi.status.virtualMachineRevisionName)
      : undefined;
    const started = revision?.data?.spec?.template.spec;
    const template = templateSpecOf(vm);
    const config = this.config();
    const needsRestart = !!started && restartRequired(started, template, vmi, config.liveUpdate);
    const plan = liveUpdate(template, vmi, config, needsRestart);
    const retry = (err: unknown) => {
      // Changed meanwhile (a failed test is Invalid): the change event brings the next pass.
      if (!isNotFound(err) && !isConflict(err) && !isInvalid(err)) throw err;
    };
    if (plan.ops.length) await this.client.patch(KubeVirtVirtualMachineInstances, vmi.metadata.namespace, vmi.metadata.name!, { json: plan.ops }).catch(retry);
    if (plan.detached) {
      await this.client
        .patch(KubeVirtVirtualMachines, vm.metadata.namespace, vm.metadata.name!, { json: [
          { op: 'test', path: '/metadata/resourceVersion', value: vm.metadata.resourceVersion },
          { op: 'replace', path: '/spec/template/spec/domain/devices/interfaces', value: plan.detached.interfaces },
          { op: 'replace', path: '/spec/template/spec/networks', value: plan.detached.networks },
        ] })
        .catch(retry);
    }
    return { restartMessage: needsRestart ? 'a non-live-updatable field was changed in the template spec' : plan.restartRequired, busy: !!plan.busy };
  }

  private async syncFirmware(vm: KubeVirtVirtualMachine): Promise<void> {
    const firmware = vm.spec.template.spec?.domain.firmware;
    await this.client
      .patch(KubeVirtVirtualMachines, vm.metadata.namespace, vm.metadata.name!, { json: [
        { op: 'test', path: '/spec/template/spec/domain/firmware', value: firmware ?? null },
        { op: 'add', path: '/spec/template/spec/domain/firmware', value: { ...firmware, uuid: legacyFirmwareUuid(vm.metadata.name!) } },
      ] })
      .catch((err: unknown) => {
        if (!isNotFound(err) && !isInvalid(err) && !isConflict(err)) throw err;
      });
  }

  private async ensureDataVolumes(vm: KubeVirtVirtualMachine): Promise<DataVolume[]> {
    const result: DataVolume[] = [];
    for (const t of vm.spec.dataVolumeTemplates ?? []) {
      const name = t?.metadata?.name;
      if (!name) continue;
      let dv = this.cache.get<DataVolume>(DataVolumes, vm.metadata.namespace, name);
      if (!dv) {
        try {
          dv = await this.client.create<DataVolume>(DataVolumes, {
            apiVersion: 'cdi.kubevirt.io/v1beta1',
            kind: 'DataVolume',
            metadata: {
              name,
              namespace: vm.metadata.namespace,
              labels: { ...(t.metadata?.labels ?? {}), [kubevirtLabels.createdBy]: vm.metadata.uid! },
              annotations: t.metadata?.annotations,
              ownerReferences: [controllerReference(vm)],
            },
            spec: structuredClone(t.spec),
          });
          this.events.event(vm, 'Normal', 'SuccessfulDataVolumeCreate', `Created DataVolume ${name}`);
        } catch (err) {
          if (!isAlreadyExists(err)) throw err;
          continue;
        }
      }
      result.push(dv);
    }
    return result;
  }

  /** Counts VMIs that failed in a row and sets when the next start may happen. */
  private trackFailures(vm: KubeVirtVirtualMachine, vmi: VirtualMachineInstance | undefined, now: number): VirtualMachineStatus['startFailure'] {
    const previous = vm.status?.startFailure;
    if (vmi?.status?.phase === 'Failed' && previous?.lastFailedVMIUID !== vmi.metadata.uid) {
      const count = (previous?.consecutiveFailCount ?? 0) + 1;
      const delay = Math.min(crashBackoffBaseMs * 2 ** (count - 1), crashBackoffMaxMs);
      return { consecutiveFailCount: count, lastFailedVMIUID: vmi.metadata.uid, retryAfterTimestamp: rfc3339(now + delay) };
    }
    // A guest that has stayed up for a minute clears the record.
    const since = vmi?.status?.phaseTransitionTimestamps?.find((t) => t.phase === 'Running')?.phaseTransitionTimestamp;
    if (previous && vmi?.status?.phase === 'Running' && since && now - Date.parse(since) > 60_000) return undefined;
    return previous;
  }

  /**
   * As virt-controller: the VM's spec at start goes into a ControllerRevision
   * the VMI names in status.virtualMachineRevisionName, which RestartRequired
   * compares the VM with (its VMI's spec carries admission's defaults).
   */
  private async createVmi(vm: KubeVirtVirtualMachine): Promise<void> {
    const revision = startRevisionName(vm);
    await this.client
      .create(ControllerRevisions, {
        apiVersion: 'apps/v1',
        kind: 'ControllerRevision',
        metadata: { name: revision, namespace: vm.metadata.namespace, ownerReferences: [controllerReference(vm)] },
        data: { spec: vm.spec },
        revision: vm.metadata.generation ?? 1,
      })
      .catch((err: unknown) => {
        if (!isAlreadyExists(err)) throw err;
      });
    try {
      await this.client.create(KubeVirtVirtualMachineInstances, { ...vmiFor(vm), status: { virtualMachineRevisionName: revision } });
      this.events.event(vm, 'Normal', 'SuccessfulCreate', `Started the virtual machine by creating the new virtual machine instance ${vm.metadata.name}`);
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
    }
  }

  private async deleteVmi(vm: KubeVirtVirtualMachine, vmi: VirtualMachineInstance): Promise<void> {
    try {
      await this.client.delete(KubeVirtVirtualMachineInstances, vmi.metadata.namespace, vmi.metadata.name!, { preconditions: { uid: vmi.metadata.uid } });
      this.events.event(vm, 'Normal', 'SuccessfulDelete', `Stopped the virtual machine by deleting the virtual machine instance ${vmi.metadata.uid}`);
    } catch (err) {
      if (!isNotFound(err) && !isConflict(err)) throw err;
    }
  }

  private status(
    vm: KubeVirtVirtualMachine,
    vmi: VirtualMachineInstance | undefined,
    dataVolumes: DataVolume[],
    decision: ReturnType<typeof decide>,
    startFailure: VirtualMachineStatus['startFailure'],
    inCrashBackoff: boolean,
    strategyError: string | undefined,
    restartMessage: string | undefined,
    now: number,
  ): StatusPatch {
    const prev = vm.status?.conditions;
    const unboundClaim = claimNames(templateSpecOf(vm)).some(
      (name) => this.cache.get<PersistentVolumeClaim>(PersistentVolumeClaims, vm.metadata.namespace, name)?.status?.phase !== 'Bound',
    );
    const vmiReady = vmi?.status?.conditions?.find((c) => c.type === 'Ready');
    const conditions: KvCondition[] = [
      vmi
        ? vmiReady
          ? { ...vmiReady }
          : condition(prev, { type: 'Ready', status: 'False', reason: 'VMIConditionMissing', message: 'VMI is missing the Ready condition' }, now)
        : condition(prev, { type: 'Ready', status: 'False', reason: 'VMINotExists', message: 'VMI does not exist' }, now),
      ...(vmi?.status?.conditions ?? []).filter((c) => c.type !== 'Ready').map((c) => ({ ...c })),
    ];
    if (strategyError) conditions.push(condition(prev, { type: 'Failure', status: 'True', reason: 'FailedCreate', message: strategyError }, now));
    if (restartMessage) conditions.push(condition(prev, { type: 'RestartRequired', status: 'True', reason: '', message: restartMessage }, now));
    const status: StatusPatch = {
      printableStatus: printableStatus({
        vm,
        vmi,
        dataVolumes,
        unboundClaim,
        startExpected: decision.startExpected,
        stopExpected: decision.stopExpected,
        inCrashBackoff,
      }),
      created: !!vmi,
      ready: vmiReady?.status === 'True' && vmi?.status?.phase === 'Running',
      conditions,
      observedGeneration: vm.metadata.generation,
      desiredGeneration: vm.metadata.generation,
    };
    try {
      status.runStrategy = runStrategyOf(vm);
    } catch {
      // Reported through the Failure condition.
    }
    if (startFailure) status.startFailure = startFailure;
    else if (vm.status?.startFailure) status.startFailure = null;
    const remaining = (vm.status?.stateChangeRequests ?? []).filter((r) => !decision.handled.includes(r));
    if (decision.handled.length) status.stateChangeRequests = remaining.length ? remaining : null;
    return status;
  }
}
