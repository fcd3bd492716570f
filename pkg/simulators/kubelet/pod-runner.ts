// The pod half of the simulated kubelet: runs the pods bound to simulated
// nodes (status through each stage, pod IPs, Multus network status with the
// addresses whereabouts leases), and finishes the deletion of terminating
// pods by deleting them with grace 0.
import type { Logger } from 'winston';
import type { Node, Pod } from '../../kube/core-types.js';
import { Nodes, Pods } from '../../kube/resources.js';
import {
  interfaceName,
  NetworkAttachmentDefinitions,
  networksAnnotation,
  networkStatusAnnotation,
  parseNetworks,
  reportedNetworks,
  type NetworkSelection,
} from '../../contracts/multus/index.js';
import { hostRange, intToIp, ipToInt, parseCidr } from '../../net/ipv4.js';
import type { Cache } from '../../runtime/cache/cache.js';
import type { Client } from '../../runtime/client/client.js';
import { isConflict, isNotFound } from '../../runtime/client/api-error.js';
import type { Reconciler, Request, Result } from '../../runtime/controller/types.js';
import { keyOf, type KubeObject } from '../../meta/object.js';
import type { EventRecorder } from '../../runtime/events/recorder.js';
import type { StageClock } from '../clock.js';
import { networkStatus } from './multus.js';
import { nodeAddress } from './nodes.js';
import { injectFailureAnnotation, processExitAnnotation, type KubeletSimOptions } from './options.js';
import { podStatus, sameStatus, type PodStage } from './pod-status.js';
import { podsByNode } from './scheduler.js';
import { exhaustedMessage, pickAddress, poolOf, whereaboutsRanges, type WhereaboutsRange } from './whereabouts.js';

interface Lease {
  namespace: string;
  pod: string;
  pool: string;
  ip: string;
}

const maxCrashBackoffMs = 300_000;


export class PodRunnerReconciler implements Reconciler {
  /** Addresses handed out but maybe not yet visible in the cache, by pod uid. */
  private readonly assigned = new Map<string, { node: string; ip: string }>();
  /** Secondary addresses leased by whereabouts but maybe not yet in the pod's network status: pod uid → "<nad>@<interface>" → lease. */
  private readonly leases = new Map<string, Map<string, Lease>>();
  /** Parsed IPAM ranges per NAD, by resourceVersion. */
  private readonly ranges = new Map<string, { version: string; ranges: WhereaboutsRange[] | undefined }>();

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
    const networks = this.attachments(pod);
    const missingNetwork = 'error' in networks ? networks.error : undefined;
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
        await this.client.patch(Pods, req.namespace, req.name, { strategic: { status: desired } }, { subresource: 'status' });
      } catch (err) {
        if (!isNotFound(err)) throw err;
        return;
      }
    }
    if (podIP && stage.kind !== 'creating' && 'selections' in networks) await this.reportNetworks(pod, podIP, networks.selections);
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
    const exitCode = pod.metadata.annotations?.[processExitAnnotation];
    if (exitCode !== undefined) return { stage: { kind: 'exited', startedAt, finishedAt: this.clock.since(`${uid}:exited`), exitCode: Number(exitCode) || 0 } };
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

  /** The pod's attachments with their addresses, or why Multus would fail to set up its sandbox. */
  private attachments(pod: Pod): { selections: NetworkSelection[] } | { error: string } {
    let selections;
    try {
      selections = parseNetworks(pod.metadata.annotations?.[networksAnnotation], pod.metadata.namespace!);
    } catch (err) {
      return { error: `Multus: error parsing ${networksAnnotation}: ${(err as Error).message}` };
    }
    const out: NetworkSelection[] = [];
    for (const [i, s] of selections.entries()) {
      const nad = this.cache.get<KubeObject & { spec?: { config?: string } }>(NetworkAttachmentDefinitions, s.namespace, s.name);
      if (!nad) {
        return {
          error: `plugin type="multus" name="multus-cni-network" failed (add): Multus: [${pod.metadata.namespace}/${pod.metadata.name}/${pod.metadata.uid}]: error loading k8s delegates k8s args: TryLoadPodDelegates: error in getting k8s network for pod: GetNetworkDelegates: failed getting the delegate: getKubernetesDelegate: cannot find a network-attachment-definition (${s.name}) in namespace (${s.namespace}): network-attachment-definitions.k8s.cni.cncf.io "${s.name}" not found`,
        };
      }
      if (s.ips?.length) {
        out.push(s);
        continue;
      }
      let ranges;
      try {
        ranges = this.rangesOf(nad);
      } catch (err) {
        return { error: `Multus: error in the config of network-attachment-definition ${s.namespace}/${s.name}: ${(err as Error).message}` };
      }
      if (!ranges) {
        out.push(s);
        continue;
      }
      const ip = this.lease(pod, `${s.namespace}/${s.name}`, s.interface ?? interfaceName(i), ranges);
      if (!ip) return { error: exhaustedMessage(ranges) };
      out.push({ ...s, ips: [ip] });
    }
    return { selections: out };
  }

  private rangesOf(nad: KubeObject & { spec?: { config?: string } }): WhereaboutsRange[] | undefined {
    const key = keyOf(nad);
    const known = this.ranges.get(key);
    if (known && known.version === nad.metadata.resourceVersion) return known.ranges;
    const ranges = whereaboutsRanges(nad.spec?.config ?? '{}');
    this.ranges.set(key, { version: nad.metadata.resourceVersion ?? '', ranges });
    return ranges;
  }

  /** The pod's address on an attachment: the one it reports, the one leased to it, or the lowest free one. */
  private lease(pod: Pod, nadKey: string, iface: string, ranges: WhereaboutsRange[]): string | undefined {
    const reported = reportedNetworks(pod).find((n) => n.name === nadKey && n.interface === iface)?.ips?.[0];
    if (reported) return reported;
    const uid = pod.metadata.uid!;
    const mine = this.leases.get(uid)?.get(`${nadKey}@${iface}`);
    if (mine) return mine.ip;
    const ip = pickAddress(ranges, (pool) => this.leased(pod.metadata.namespace!, pool));
    if (!ip) return undefined;
    const leases = this.leases.get(uid) ?? new Map<string, Lease>();
    leases.set(`${nadKey}@${iface}`, { namespace: pod.metadata.namespace!, pod: pod.metadata.name!, pool: poolOf(ranges, ip)!, ip });
    this.leases.set(uid, leases);
    return ip;
  }

  /** Addresses of a pool held by the pods of a namespace: reported in their network status, or leased here. */
  private leased(namespace: string, pool: string): Set<number> {
    const taken = new Set<number>();
    for (const p of this.cache.list<Pod>(Pods, { namespace })) {
      if (!p.metadata.annotations?.[networksAnnotation]) continue;
      for (const n of reportedNetworks(p)) {
        if (n.default || !n.ips?.length) continue;
        const [ns, name] = n.name.split('/');
        const nad = this.cache.get(NetworkAttachmentDefinitions, ns, name!);
        let ranges;
        try {
          ranges = nad ? this.rangesOf(nad) : undefined;
        } catch {
          continue;
        }
        for (const ip of n.ips) if (ranges && poolOf(ranges, ip) === pool) taken.add(ipToInt(ip));
      }
    }
    for (const [uid, leases] of this.leases) {
      for (const l of leases.values()) {
        // A lease counts while its pod exists (a pod deleted behind the kubelet's back frees it).
        if (l.pool === pool && l.namespace === namespace && this.cache.get<Pod>(Pods, l.namespace, l.pod)?.metadata.uid === uid) taken.add(ipToInt(l.ip));
      }
    }
    return taken;
  }

  private async reportNetworks(pod: Pod, podIP: string, selections: NetworkSelection[]): Promise<void> {
    const annotations = pod.metadata.annotations ?? {};
    const want = JSON.stringify(networkStatus(pod.metadata.uid!, podIP, selections));
    if (annotations[networkStatusAnnotation] === want) return;
    await this.client
      .patch(Pods, pod.metadata.namespace, pod.metadata.name!, { merge: { metadata: { annotations: { [networkStatusAnnotation]: want } } } })
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
    this.leases.delete(uid);
    this.clock.forget(uid);
    this.log.debug('pod terminated', { pod: `${pod.metadata.namespace}/${pod.metadata.name}` });
  }
}
