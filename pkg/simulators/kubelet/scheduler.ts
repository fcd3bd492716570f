// The simulated kube-scheduler: binds each pending pod to a node through the
// pod's binding subresource, or marks it Unschedulable and tries again later.
// A pod whose claims wait for their first consumer first gets them a node
// (volume-binding.ts), and is bound there once they are.
import type { Pod, Node } from '../../kube/core-types.js';
import { Nodes, PersistentVolumeClaims, Pods } from '../../kube/resources.js';
import type { Cache } from '../../runtime/cache/cache.js';
import type { Client } from '../../runtime/client/client.js';
import { isConflict, isNotFound } from '../../runtime/client/api-error.js';
import type { Reconciler, Request, Result } from '../../runtime/controller/types.js';
import { placePod, podRequests, type NodeUsage } from './placement.js';
import { injectFailureAnnotation } from './options.js';
import { selectedNodeAnnotation, volumeBinding } from './volume-binding.js';
import { rfc3339 } from '../clock.js';

const retryUnschedulableMs = 5_000;

export function needsScheduling(pod: Pod): boolean {
  return (
    !pod.spec.nodeName &&
    !pod.metadata.deletionTimestamp &&
    (pod.spec.schedulerName ?? 'default-scheduler') === 'default-scheduler' &&
    pod.status?.phase !== 'Succeeded' &&
    pod.status?.phase !== 'Failed'
  );
}

export const podsByNode = 'sim-pods-by-node';
export const podsByClaim = 'sim-pods-by-claim';

export class SchedulerReconciler implements Reconciler {
  /** Pods bound but not yet seen bound in the cache, so their requests (and labels, for anti-affinity) still count. */
  private readonly assumed = new Map<string, { node: string; cpu: number; memory: number; pod: Pod }>();
  /** Parsed requests by pod uid: a pod's spec never changes its requests. */
  private readonly requests = new Map<string, { cpu: number; memory: number }>();

  constructor(
    private readonly client: Client,
    private readonly cache: Cache,
  ) {}

  private requestsOf(pod: Pod): { cpu: number; memory: number } {
    const uid = pod.metadata.uid!;
    let r = this.requests.get(uid);
    if (!r) this.requests.set(uid, (r = podRequests(pod)));
    return r;
  }

  private usage(nodes: Node[]): Map<string, NodeUsage> {
    // Forget parsed requests of long-gone pods now and then; they are cheap to parse again.
    if (this.requests.size > 20_000) this.requests.clear();
    const usage = new Map<string, NodeUsage>();
    for (const node of nodes) {
      const u = { cpu: 0, memory: 0, pods: 0 };
      for (const pod of this.cache.byIndex<Pod>(Pods, podsByNode, node.metadata.name!)) {
        this.assumed.delete(pod.metadata.uid!);
        if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') continue;
        const r = this.requestsOf(pod);
        u.cpu += r.cpu;
        u.memory += r.memory;
        u.pods++;
      }
      usage.set(node.metadata.name!, u);
    }
    for (const [uid, a] of this.assumed) {
      const u = usage.get(a.node);
      if (!u) {
        this.assumed.delete(uid);
        continue;
      }
      u.cpu += a.cpu;
      u.memory += a.memory;
      u.pods++;
    }
    return usage;
  }

  private podsOn(node: string): Pod[] {
    const bound = this.cache.byIndex<Pod>(Pods, podsByNode, node);
    return [...bound, ...[...this.assumed.values()].filter((a) => a.node === node).map((a) => a.pod)];
  }

  async reconcile(req: Request): Promise<Result | void> {
    const pod = this.cache.get<Pod>(Pods, req.namespace, req.name);
    if (!pod || !needsScheduling(pod) || this.assumed.has(pod.metadata.uid!)) return;
    const claims = volumeBinding(this.cache, pod);
    // A claim event wakes the pod again (index.ts).
    if ('waiting' in claims) return;
    // A claim provisioned for a node takes its pods there.
    const nodes = this.cache.list<Node>(Nodes).filter((n) => !('node' in claims) || claims.node === undefined || n.metadata.name === claims.node);
    const placement =
      'unschedulable' in claims
        ? { unschedulable: `0/${nodes.length} nodes are available: ${claims.unschedulable}.` }
        : pod.metadata.annotations?.[injectFailureAnnotation] === 'Unschedulable'
          ? { unschedulable: `0/${nodes.length} nodes are available: ${nodes.length} node(s) didn't match Pod's node affinity/selector.` }
          : placePod(pod, nodes, this.usage(nodes), (node) => this.podsOn(node));
    if ('node' in placement && 'delayed' in claims) {
      for (const claim of claims.delayed) {
        await this.client.patch(PersistentVolumeClaims, claim.metadata.namespace, claim.metadata.name!, {
          merge: { metadata: { resourceVersion: claim.metadata.resourceVersion, annotations: { [selectedNodeAnnotation]: placement.node } } },
        });
      }
      return;
    }
    if ('node' in placement) {
      try {
        await this.client.post(Pods, req.namespace, req.name, 'binding', {
          apiVersion: 'v1',
          kind: 'Binding',
          metadata: { name: req.name, namespace: req.namespace, uid: pod.metadata.uid },
          target: { apiVersion: 'v1', kind: 'Node', name: placement.node },
        });
        this.assumed.set(pod.metadata.uid!, { node: placement.node, ...this.requestsOf(pod), pod });
      } catch (err) {
        // Already bound (by a race) or gone: the cache will tell us.
        if (!isConflict(err) && !isNotFound(err)) throw err;
      }
      return;
    }
    const current = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
    if (current?.status !== 'False' || current.message !== placement.unschedulable) {
      await this.client.patch(
        Pods,
        req.namespace,
        req.name,
        { strategic: {
          status: {
            conditions: [
              {
                type: 'PodScheduled',
                status: 'False',
                reason: 'Unschedulable',
                message: placement.unschedulable,
                lastProbeTime: null,
                lastTransitionTime: current?.status === 'False' ? current.lastTransitionTime : rfc3339(Date.now()),
              },
            ],
          },
        } },
        { subresource: 'status' },);
    }
    return { requeueAfterMs: retryUnschedulableMs };
  }
}
