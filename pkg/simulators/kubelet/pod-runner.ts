// The pod half of the simulated kubelet: runs the pods bound to simulated
// nodes (status through each stage, pod IPs, Multus network status), and
// finishes the deletion of terminating pods by deleting them with grace 0.
import type { Logger } from 'winston';
import type { Node, Pod } from '../../kube/core-types.js';
import { NetworkAttachmentDefinitions, Nodes, Pods } from '../../kube/resources.js';
import { hostRange, intToIp, ipToInt, parseCidr } from '../../net/ipv4.js';
import type { Cache } from '../../runtime/cache/cache.js';
import type { Client } from '../../runtime/client/client.js';
import { isConflict, isNotFound } from '../../runtime/client/api-error.js';
import type { Reconciler, Request, Result } from '../../runtime/controller/types.js';
import type { EventRecorder } from '../../runtime/events/recorder.js';
import type { StageClock } from '../clock.js';
import { networkStatus, networkStatusAnnotation, networksAnnotation, parseNetworks } from './multus.js';
import { nodeAddress } from './nodes.js';
import { injectFailureAnnotation, type KubeletSimOptions } from './options.js';
import { podStatus, sameStatus, type PodStage } from './pod-status.js';
import { podsByNode } from './scheduler.js';

const maxCrashBackoffMs = 300_000;

export class PodRunnerReconciler implements Reconciler {
  /** Addresses handed out but maybe not yet visible in the cache, by pod uid. */
  private readonly assigned = new Map<string, { node: string; ip: string }>();

  constructor(
    private readonly client: Client,
    private readonly cache: Cache,
    private readonly o: KubeletSimOptions,
    private readonly clock: StageClock,
    private readonly events: EventRecorder,
    private readonly log: Logger,
  ) {}

  private node(name: string): { node: Node; index: number } | undefined {
    const node = this.cache.get<Node>(Nodes, undefined, name);
    const m = /^stratus-node-(\d+)$/.exec(name);
    return node && m ? { node, index: Number(m[1]) - 1 } : undefined;
  }

  async reconcile(req: Request): Promise<Result | void> {
    const pod = this.cache.get<Pod>(Pods, req.namespace, req.name);
    if (!pod?.spec.nodeName) return;
    const placed = this.node(pod.spec.nodeName);
    if (!placed) return;
    const uid = pod.metadata.uid!;
    if (pod.metadata.deletionTimestamp) return this.terminate(pod);
    if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') return;

    const wait = this.clock.remaining(`${uid}:start`, this.o.startDelayMs);
    let stage: PodStage;
    let next: number | undefined;
    const missingNetwork = this.missingNetwork(pod);
    if (wait > 0 || missingNetwork) {
      stage = { kind: 'creating' };
      next = wait > 0 ? wait : 5_000;
      if (missingNetwork && wait === 0) {
        this.events.event(pod, 'Warning', 'FailedCreatePodSandBox', `Failed to create pod sandbox: ${missingNetwork}`);
      }
    } else {
      ({ stage, next } = this.runningStage(pod));
    }
    const podIP = stage.kind === 'creating' ? pod.status?.podIP : this.podIp(pod, placed.index);
    const desired = podStatus(pod, {
      stage,
      hostIP: nodeAddress(placed.index),
      podIP,
      boundAt: this.clock.since(`${uid}:start`),
      now: this.clock.current(),
    });
    if (!sameStatus(pod.status, desired)) {
      try {
        await this.client.strategicMergePatch(Pods, req.namespace, req.name, { status: desired }, { subresource: 'status' });
      } catch (err) {
        if (!isNotFound(err)) throw err;
        return;
      }
    }
    if (podIP && stage.kind !== 'creating') await this.reportNetworks(pod, podIP);
    return next !== undefined ? { requeueAfterMs: Math.max(next, 10) } : undefined;
  }

  private failure(pod: Pod): { kind: 'image'; image: string } | { kind: 'crash' } | undefined {
    const injected = pod.metadata.annotations?.[injectFailureAnnotation];
    if (injected === 'CrashLoopBackOff') return { kind: 'crash' };
    const images = pod.spec.containers.map((c) => c.image ?? '');
    if (injected === 'ErrImagePull') return { kind: 'image', image: images[0] ?? '' };
    const bad = images.find((img) => this.o.failImagePatterns.some((p) => p.test(img)));
    return bad !== undefined ? { kind: 'image', image: bad } : undefined;
  }

  private runningStage(pod: Pod): { stage: PodStage; next?: number } {
    const uid = pod.metadata.uid!;
    const startedAt = this.clock.since(`${uid}:running`);
    const now = this.clock.current();
    const failure = this.failure(pod);
    if (failure?.kind === 'image') {
      const left = this.clock.remaining(`${uid}:pull-failed`, this.o.imagePullBackoffMs);
      return { stage: { kind: 'image-pull-failed', image: failure.image, backingOff: left === 0 }, next: left || undefined };
    }
    if (failure?.kind === 'crash') {
      // Restarts at 10 s, 20 s, 40 s … after the first start, capped at 5 minutes.
      let restarts = 1;
      let at = startedAt;
      let delay = 10_000;
      while (at + delay <= now) {
        at += delay;
        restarts++;
        delay = Math.min(delay * 2, maxCrashBackoffMs);
      }
      return { stage: { kind: 'crash-looping', startedAt: at, restarts }, next: at + delay - now };
    }
    const probeDelayMs = Math.max(0, ...pod.spec.containers.map((c) => (c.readinessProbe?.initialDelaySeconds ?? 0) * 1000));
    const readyLeft = this.clock.remaining(`${uid}:running`, this.o.readyDelayMs + probeDelayMs);
    return { stage: { kind: 'running', startedAt, ready: readyLeft === 0 }, next: readyLeft || undefined };
  }

  /** The pod's address: kept once assigned, else the lowest free one in its node's range. */
  private podIp(pod: Pod, nodeIndex: number): string {
    const uid = pod.metadata.uid!;
    if (pod.status?.podIP) return pod.status.podIP;
    const mine = this.assigned.get(uid);
    if (mine) return mine.ip;
    const node = pod.spec.nodeName!;
    const used = new Set<number>();
    for (const p of this.cache.byIndex<Pod>(Pods, podsByNode, node)) {
      if (p.status?.podIP) used.add(ipToInt(p.status.podIP));
    }
    for (const a of this.assigned.values()) if (a.node === node) used.add(ipToInt(a.ip));
    const { first, last } = hostRange(parseCidr(this.cache.get<Node>(Nodes, undefined, node)?.spec?.podCIDR ?? '10.244.0.0/20'));
    for (let n = first + 1; n <= last; n++) {
      if (!used.has(n)) {
        const ip = intToIp(n);
        this.assigned.set(uid, { node, ip });
        return ip;
      }
    }
    throw new Error(`node ${node} has no free pod addresses (range of ${nodeIndex}) for ${pod.metadata.namespace}/${pod.metadata.name}`);
  }

  /** Why Multus would fail to set up the pod's sandbox, if it would. */
  private missingNetwork(pod: Pod): string | undefined {
    let selections;
    try {
      selections = parseNetworks(pod.metadata.annotations?.[networksAnnotation], pod.metadata.namespace!);
    } catch (err) {
      return `Multus: error parsing ${networksAnnotation}: ${(err as Error).message}`;
    }
    for (const s of selections) {
      if (!this.cache.get(NetworkAttachmentDefinitions, s.namespace, s.name)) {
        return `plugin type="multus" name="multus-cni-network" failed (add): Multus: [${pod.metadata.namespace}/${pod.metadata.name}/${pod.metadata.uid}]: error loading k8s delegates k8s args: TryLoadPodDelegates: error in getting k8s network for pod: GetNetworkDelegates: failed getting the delegate: getKubernetesDelegate: cannot find a network-attachment-definition (${s.name}) in namespace (${s.namespace}): network-attachment-definitions.k8s.cni.cncf.io "${s.name}" not found`;
      }
    }
    return undefined;
  }

  private async reportNetworks(pod: Pod, podIP: string): Promise<void> {
    const annotations = pod.metadata.annotations ?? {};
    const want = JSON.stringify(networkStatus(pod.metadata.uid!, podIP, parseNetworks(annotations[networksAnnotation], pod.metadata.namespace!)));
    if (annotations[networkStatusAnnotation] === want) return;
    await this.client
      .mergePatch(Pods, pod.metadata.namespace, pod.metadata.name!, { metadata: { annotations: { [networkStatusAnnotation]: want } } })
      .catch((err: unknown) => {
        if (!isNotFound(err)) throw err;
      });
  }

  private async terminate(pod: Pod): Promise<Result | void> {
    const uid = pod.metadata.uid!;
    const grace = (pod.metadata.deletionGracePeriodSeconds ?? pod.spec.terminationGracePeriodSeconds ?? 30) * 1000;
    const left = this.clock.remaining(`${uid}:terminating`, Math.min(grace, this.o.terminationDelayMs));
    if (left > 0) return { requeueAfterMs: left };
    try {
      await this.client.delete(Pods, pod.metadata.namespace, pod.metadata.name!, {
        gracePeriodSeconds: 0,
        preconditions: { uid },
      });
    } catch (err) {
      if (!isNotFound(err) && !isConflict(err)) throw err;
    }
    this.assigned.delete(uid);
    this.clock.forget(uid);
    this.log.debug('pod terminated', { pod: `${pod.metadata.namespace}/${pod.metadata.name}` });
  }
}
