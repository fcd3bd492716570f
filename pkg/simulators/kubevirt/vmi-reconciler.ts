// virt-controller's VMI half and virt-handler: creates the virt-launcher pod,
// follows it (Pending → Scheduling → Scheduled), boots the domain (Running),
// and tears it all down when the VMI is deleted.
import type { PersistentVolumeClaim, Pod } from '../../kube/core-types.js';
import { PersistentVolumeClaims, Pods, Secrets } from '../../kube/resources.js';
import { kubevirtLabels, KubeVirtVirtualMachineInstances, unpausedGate, vmiFinalizer, vmiHandlerFinalizer, type VirtualMachineInstance } from '../../contracts/kubevirt/index.js';
import { isConflict, isInvalid, isNotFound } from '../../runtime/client/api-error.js';
import type { Cache } from '../../runtime/cache/cache.js';
import type { Client } from '../../runtime/client/client.js';
import type { Reconciler, Request, Result } from '../../runtime/controller/types.js';
import type { EventRecorder } from '../../runtime/events/recorder.js';
import type { KubeObject } from '../../meta/object.js';
import { containsSubset } from '../../util/equality.js';
import type { StageClock } from '../clock.js';
import { injectFailureAnnotation } from '../kubelet/options.js';
import { cloudInitNetworkData } from './guest-network.js';
import { launcherPod } from './launcher-pod.js';
import { type KubeVirtSimOptions } from './options.js';
import { vmiStatus, type VmiPhase } from './vmi-status.js';

const imageErrors = new Set(['ErrImagePull', 'ImagePullBackOff', 'InvalidImageName', 'ErrImageNeverPull']);

export class VmiReconciler implements Reconciler {
  constructor(
    private readonly client: Client,
    private readonly cache: Cache,
    private readonly o: KubeVirtSimOptions,
    private readonly clock: StageClock,
    private readonly events: EventRecorder,
  ) {}

  private podsOf(vmi: VirtualMachineInstance): Pod[] {
    return this.cache.ownedBy<Pod>(Pods, vmi.metadata.uid!).filter((p) => p.metadata.labels?.[kubevirtLabels.app] === 'virt-launcher');
  }

  async reconcile(req: Request): Promise<Result | void> {
    const vmi = this.cache.get<VirtualMachineInstance>(KubeVirtVirtualMachineInstances, req.namespace, req.name);
    if (!vmi) return;
    const pods = this.podsOf(vmi);
    if (vmi.metadata.deletionTimestamp) return this.finalize(vmi, pods);
    const phase = vmi.status?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') {
      await Promise.all(pods.filter((p) => !p.metadata.deletionTimestamp).map((p) => this.deletePod(p)));
      return;
    }
    const pod = pods.find((p) => !p.metadata.deletionTimestamp) ?? pods[0];
    const missing = this.missingClaim(vmi);
    let next: number | undefined;
    let newPhase: VmiPhase;
    let syncError: { reason: string; message: string } | undefined;
    if (missing) {
      newPhase = 'Pending';
      syncError = { reason: 'FailedPvcNotFound', message: `PVC ${req.namespace}/${missing} does not exist, waiting for it to appear` };
    } else if (!pod) {
      // A launcher pod that vanished after it existed fails the VMI; only a new VMI gets a pod.
      if (phase === 'Scheduling' || phase === 'Scheduled' || phase === 'Running') {
        newPhase = 'Failed';
      } else {
        await this.createPod(vmi);
        return;
      }
    } else if (pod.metadata.deletionTimestamp || pod.status?.phase === 'Failed' || pod.status?.phase === 'Succeeded') {
      newPhase = phase === 'Scheduled' || phase === 'Running' ? 'Failed' : (phase ?? 'Pending');
    } else {
      const waiting = pod.status?.containerStatuses?.find((c) => c.state.waiting?.reason && imageErrors.has(c.state.waiting.reason));
      if (waiting) syncError = { reason: waiting.state.waiting!.reason!, message: waiting.state.waiting!.message ?? '' };
      const podUp = pod.status?.phase === 'Running' && (pod.status.containerStatuses ?? []).every((c) => c.ready || c.name === 'compute');
      if (!podUp) {
        newPhase = 'Scheduling';
      } else {
        const boot = this.clock.remaining(`${vmi.metadata.uid}:boot`, this.o.bootDelayMs);
        newPhase = boot > 0 ? 'Scheduled' : 'Running';
        next = boot || undefined;
        if (newPhase === 'Running' && vmi.metadata.annotations?.[injectFailureAnnotation] === 'CrashLoopBackOff') {
          const crash = this.clock.remaining(`${vmi.metadata.uid}:crash`, this.o.crashAfterMs);
          if (crash === 0) newPhase = 'Failed';
          else next = crash;
        }
        await this.markUnpaused(pod, newPhase === 'Running');
      }
    }
    let agentConnected = false;
    if (newPhase === 'Running') {
      const agent = this.clock.remaining(`${vmi.metadata.uid}:agent`, this.o.agentDelayMs);
      agentConnected = agent === 0;
      if (!agentConnected) next = Math.min(next ?? agent, agent);
    }
    const networkData = agentConnected ? cloudInitNetworkData(vmi, (name) => this.secretData(vmi.metadata.namespace, name)) : undefined;
    const status = vmiStatus(vmi, { phase: newPhase, pod, syncError, agentConnected, networkData, launcherImage: this.o.launcherImage, now: this.clock.current() });
    if (!containsSubset(vmi.status, status)) {
      const patch: Record<string, unknown> = { status };
      if (status.nodeName && vmi.metadata.labels?.[kubevirtLabels.nodeName] !== status.nodeName) {
        patch.metadata = { labels: { [kubevirtLabels.nodeName]: status.nodeName } };
      }
      await this.client.patch(KubeVirtVirtualMachineInstances, req.namespace, req.name, { merge: patch }).catch(ignoreNotFound);
      if (phase !== newPhase && newPhase === 'Running') this.events.event(vmi, 'Normal', 'Started', 'VirtualMachineInstance started.');
    }
    return next !== undefined ? { requeueAfterMs: Math.max(10, next) } : undefined;
  }

  private secretData(namespace: string | undefined, name: string): Record<string, string> | undefined {
    const secret = this.cache.get<KubeObject & { data?: Record<string, string> }>(Secrets, namespace, name);
    return secret ? Object.fromEntries(Object.entries(secret.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString()])) : undefined;
  }

  private missingClaim(vmi: VirtualMachineInstance): string | undefined {
    for (const v of vmi.spec.volumes ?? []) {
      const claim = v.persistentVolumeClaim?.claimName ?? v.dataVolume?.name;
      if (claim && !this.cache.get<PersistentVolumeClaim>(PersistentVolumeClaims, vmi.metadata.namespace, claim)) return claim;
    }
    return undefined;
  }

  private async createPod(vmi: VirtualMachineInstance): Promise<void> {
    const pod = await this.client.create<Pod>(Pods, launcherPod(vmi, this.o.launcherImage));
    this.events.event(vmi, 'Normal', 'SuccessfulCreate', `Created virtual machine pod ${pod.metadata.name}`);
  }

  /** virt-controller keeps the launcher pod's readiness gate in step with the guest being unpaused. */
  private async markUnpaused(pod: Pod, running: boolean): Promise<void> {
    const gate = pod.status?.conditions?.find((c) => c.type === unpausedGate);
    if (!running || gate?.status === 'True') return;
    await this.client
      .patch(
        Pods,
        pod.metadata.namespace,
        pod.metadata.name!,
        { strategic: {
          status: {
            conditions: [
              { type: unpausedGate, status: 'True', reason: 'NotPaused', message: 'the virtual machine is not paused', lastProbeTime: null, lastTransitionTime: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z') },
            ],
          },
        } },
        { subresource: 'status' },)
      .catch(ignoreNotFound);
  }

  private async deletePod(pod: Pod): Promise<void> {
    await this.client.delete(Pods, pod.metadata.namespace, pod.metadata.name!, { preconditions: { uid: pod.metadata.uid } }).catch((err: unknown) => {
      if (!isNotFound(err) && !isConflict(err)) throw err;
    });
  }

  /** A deleted VMI: stop the domain (delete the pod), then let the object go. */
  private async finalize(vmi: VirtualMachineInstance, pods: Pod[]): Promise<void> {
    await Promise.all(pods.filter((p) => !p.metadata.deletionTimestamp).map((p) => this.deletePod(p)));
    if (pods.length > 0) {
      if (vmi.status?.phase !== 'Succeeded' && vmi.status?.phase !== 'Failed' && vmi.status?.phase !== undefined) {
        await this.client.patch(KubeVirtVirtualMachineInstances, vmi.metadata.namespace, vmi.metadata.name!, { merge: { status: { phase: 'Succeeded' } } }).catch(ignoreNotFound);
      }
      return;
    }
    // virt-controller's finalizer, and virt-handler's (virt-api's mutating webhook adds it) once the domain is gone.
    const finalizers = vmi.metadata.finalizers ?? [];
    const ours = [vmiFinalizer, vmiHandlerFinalizer];
    if (!finalizers.some((f) => ours.includes(f))) return;
    await this.client
      .patch(KubeVirtVirtualMachineInstances, vmi.metadata.namespace, vmi.metadata.name!, { json: [
        { op: 'test', path: '/metadata/finalizers', value: finalizers },
        { op: 'replace', path: '/metadata/finalizers', value: finalizers.filter((f) => !ours.includes(f)) },
      ] })
      .catch((err: unknown) => {
        // Conflict or a failed test: the finalizers changed meanwhile; the next event retries.
        if (!isNotFound(err) && !isConflict(err) && !isInvalid(err)) throw err;
      });
    this.clock.forget(vmi.metadata.uid!);
  }
}

function ignoreNotFound(err: unknown): void {
  if (!isNotFound(err)) throw err;
}
