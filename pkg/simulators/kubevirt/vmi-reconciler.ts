// virt-controller's VMI half and virt-handler: creates the virt-launcher pod,
// follows it (Pending → Scheduling → Scheduled), boots the domain (Running),
// runs the attachment pods of hotplugged volumes, reports the VMI's status
// from the pod its domain runs in (a migration moves that to another pod),
// shuts the guest down when its pod is deleted (Succeeded), and tears it all
// down when the VMI is deleted.
import type { PersistentVolumeClaim, Pod, StorageClass } from '../../kube/core-types.js';
import { PersistentVolumeClaims, Pods, Secrets, StorageClasses } from '../../kube/resources.js';
import { kubevirtLabels, KubeVirtVirtualMachineInstances, vmiFinalizer, vmiHandlerFinalizer, type VirtualMachineInstance } from '../../contracts/kubevirt/index.js';
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
import { attachmentPod, planAttachments } from './hotplug-attachments.js';
import { launcherPod } from './launcher-pod.js';
import { type KubeVirtSimOptions } from './options.js';
import { attachmentPodsOf, domainPod, launcherPodsOf } from './pods.js';
import { markUnpaused } from './readiness-gate.js';
import { attachableVolumes, isHotplugVolume, volumeStatus } from './volume-status.js';
import { vmiStatus, type VmiPhase } from './vmi-status.js';

const imageErrors = new Set(['ErrImagePull', 'ImagePullBackOff', 'InvalidImageName', 'ErrImageNeverPull']);

export class VmiReconciler implements Reconciler {
  /** The network data each guest booted with (cloud-init applies it once), by VMI uid. */
  private readonly bootNetworkData = new Map<string, string | undefined>();

  constructor(
    private readonly client: Client,
    private readonly cache: Cache,
    private readonly o: KubeVirtSimOptions,
    private readonly clock: StageClock,
    private readonly events: EventRecorder,
  ) {}

  private claim = (namespace: string | undefined) => (name: string) => this.cache.get<PersistentVolumeClaim>(PersistentVolumeClaims, namespace, name);

  async reconcile(req: Request): Promise<Result | void> {
    const vmi = this.cache.get<VirtualMachineInstance>(KubeVirtVirtualMachineInstances, req.namespace, req.name);
    if (!vmi) return;
    const pods = launcherPodsOf(this.cache, vmi);
    if (vmi.metadata.deletionTimestamp) return this.finalize(vmi, pods);
    const phase = vmi.status?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') {
      await Promise.all(pods.filter((p) => !p.metadata.deletionTimestamp).map((p) => this.deletePod(p)));
      return;
    }
    const pod = domainPod(vmi, pods);
    const ms = vmi.status?.migrationState;
    const targetPod = ms?.targetPod && !ms.completed ? pods.find((p) => p.metadata.name === ms.targetPod) : undefined;
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
    } else if (pod.metadata.deletionTimestamp || pod.status?.phase === 'Succeeded') {
      // A deleted (evicted) launcher pod shuts the guest down cleanly first.
      newPhase = phase === 'Running' ? 'Succeeded' : phase === 'Scheduled' ? 'Failed' : (phase ?? 'Pending');
    } else if (pod.status?.phase === 'Failed') {
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
        if (newPhase === 'Running') await markUnpaused(this.client, pod);
      }
    }
    let agentConnected = false;
    if (newPhase === 'Running') {
      const agent = this.clock.remaining(`${vmi.metadata.uid}:agent`, this.o.agentDelayMs);
      agentConnected = agent === 0;
      if (!agentConnected) next = Math.min(next ?? agent, agent);
      if (!this.bootNetworkData.has(vmi.metadata.uid!)) this.bootNetworkData.set(vmi.metadata.uid!, cloudInitNetworkData(vmi, (name) => this.secretData(vmi.metadata.namespace, name)));
    }
    const attachmentPods = pod ? attachmentPodsOf(this.cache, pod) : [];
    if (newPhase === 'Running' && pod?.spec.nodeName) {
      const wait = await this.syncAttachments(vmi, pod, attachmentPods);
      if (wait !== undefined) next = Math.min(next ?? wait, wait);
    }
    const volumes = volumeStatus(vmi, {
      claims: this.claim(vmi.metadata.namespace),
      attachmentPods,
      mountedFor: (volume) => this.clock.current() - this.clock.since(`${vmi.metadata.uid}:volume:${volume}`),
      hotplugAttachMs: this.o.hotplugAttachMs,
    });
    const status = vmiStatus(vmi, {
      phase: newPhase,
      pod,
      targetPod,
      syncError,
      agentConnected,
      networkData: agentConnected ? this.bootNetworkData.get(vmi.metadata.uid!) : undefined,
      volumeStatus: volumes,
      launcherImage: this.o.launcherImage,
      interfaceHotplugGraceMs: this.o.interfaceHotplugGraceMs,
      now: this.clock.current(),
    });
    const pendingInterface = status.conditions?.find((c) => c.type === 'MigrationRequired' && c.status === 'False');
    if (pendingInterface) next = Math.min(next ?? this.o.interfaceHotplugGraceMs, this.o.interfaceHotplugGraceMs);
    if (!containsSubset(vmi.status, status)) {
      const patch: Record<string, unknown> = { status };
      if (status.nodeName && vmi.metadata.labels?.[kubevirtLabels.nodeName] !== status.nodeName) {
        patch.metadata = { labels: { [kubevirtLabels.nodeName]: status.nodeName } };
      }
      await this.client.patch(KubeVirtVirtualMachineInstances, req.namespace, req.name, { merge: patch }).catch(ignoreNotFound);
      if (phase !== newPhase && newPhase === 'Running') this.events.event(vmi, 'Normal', 'Started', 'VirtualMachineInstance started.');
      if (phase !== newPhase && newPhase === 'Succeeded') this.events.event(vmi, 'Normal', 'ShuttingDown', 'Signaled Graceful Shutdown');
    }
    return next !== undefined ? { requeueAfterMs: Math.max(10, next) } : undefined;
  }

  /**
   * The attachment pod holding the bound hotplug volumes, replacing one that
   * holds another set; returns when to look again while a volume is being
   * mounted into the guest.
   */
  private async syncAttachments(vmi: VirtualMachineInstance, launcher: Pod, attachmentPods: Pod[]): Promise<number | undefined> {
    const firstConsumer = (c: PersistentVolumeClaim) => this.cache.get<StorageClass>(StorageClasses, undefined, c.spec.storageClassName ?? '')?.volumeBindingMode === 'WaitForFirstConsumer';
    const want = attachableVolumes(vmi, this.claim(vmi.metadata.namespace), firstConsumer);
    const unmounted = (volume: string) => vmi.status?.volumeStatus?.find((s) => s.name === volume)?.phase === 'UnMountedFromPod';
    const plan = planAttachments(
      want.map((v) => v.name),
      attachmentPods,
      unmounted,
    );
    if (plan.create) {
      const pod = await this.client.create<Pod>(Pods, attachmentPod(launcher, want, this.o.launcherImage));
      this.events.event(vmi, 'Normal', 'SuccessfulCreate', `Created attachment pod ${pod.metadata.name}`);
    }
    for (const old of plan.remove) await this.deletePod(old);
    const mounting = (vmi.status?.volumeStatus ?? []).some((s) => s.phase === 'MountedToPod');
    return mounting ? this.o.hotplugAttachMs : undefined;
  }

  private secretData(namespace: string | undefined, name: string): Record<string, string> | undefined {
    const secret = this.cache.get<KubeObject & { data?: Record<string, string> }>(Secrets, namespace, name);
    return secret ? Object.fromEntries(Object.entries(secret.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString()])) : undefined;
  }

  /** A claim the launcher pod mounts that does not exist (hotplug volumes wait in their volume status instead). */
  private missingClaim(vmi: VirtualMachineInstance): string | undefined {
    for (const v of vmi.spec.volumes ?? []) {
      const claim = v.persistentVolumeClaim?.claimName ?? v.dataVolume?.name;
      if (claim && !isHotplugVolume(v) && !this.claim(vmi.metadata.namespace)(claim)) return claim;
    }
    return undefined;
  }

  private async createPod(vmi: VirtualMachineInstance): Promise<void> {
    const pod = await this.client.create<Pod>(Pods, launcherPod(vmi, this.o.launcherImage));
    this.events.event(vmi, 'Normal', 'SuccessfulCreate', `Created virtual machine pod ${pod.metadata.name}`);
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
    this.bootNetworkData.delete(vmi.metadata.uid!);
  }
}

function ignoreNotFound(err: unknown): void {
  if (!isNotFound(err)) throw err;
}
