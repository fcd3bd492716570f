// The simulated kube-scheduler: binds each pending pod to a node through the
// pod's binding subresource, or marks it Unschedulable and tries again later.
import type { Pod, Node } from '../../kube/core-types.js';
import { Nodes, Pods } from '../../kube/resources.js';
import type { Cache } from '../../runtime/cache/cache.js';
import type { Client } from '../../runtime/client/client.js';
import { isConflict, isNotFound } from '../../runtime/client/api-error.js';
import type { Reconciler, Request, Result } from '../../runtime/controller/types.js';
import { placePod, podRequests, type NodeUsage } from './placement.js';
import { injectFailureAnnotation } from './options.js';
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

export class SchedulerReconciler implements Reconciler {
  /** Pods bound but not yet seen bound in the cache, so their requests still count. */
  private readonly assumed = new Map<string, { node: string; cpu: number; memory: number }>();

  constructor(
    private readonly client: Client,
    private readonly cache: Cache,
  ) {}

  private usage(): Map<string, NodeUsage> {
    const usage = new Map<string, NodeUsage>();
    const add = (node: string, cpu: number, memory: number): void => {
      const u = usage.get(node) ?? { cpu: 0, memory: 0, pods: 0 };
      usage.set(node, { cpu: u.cpu + cpu, memory: u.memory + memory, pods: u.pods + 1 });
    };
    for (const pod of this.cache.list<Pod>(Pods)) {
      const uid = pod.metadata.uid!;
      if (pod.spec.nodeName) {
        this.assumed.delete(uid);
        if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') continue;
        const r = podRequests(pod);
        add(pod.spec.nodeName, r.cpu, r.memory);
      } else {
        const a = this.assumed.get(uid);
        if (a) add(a.node, a.cpu, a.memory);
      }
    }
    return usage;
  }

  async reconcile(req: Request): Promise<Result | void> {
    const pod = this.cache.get<Pod>(Pods, req.namespace, req.name);
    if (!pod || !needsScheduling(pod) || this.assumed.has(pod.metadata.uid!)) return;
    const nodes = this.cache.list<Node>(Nodes);
    const placement =
      pod.metadata.annotations?.[injectFailureAnnotation] === 'Unschedulable'
        ? { unschedulable: `0/${nodes.length} nodes are available: ${nodes.length} node(s) didn't match Pod's node affinity/selector.` }
        : placePod(pod, nodes, this.usage());
    if ('node' in placement) {
      try {
        await this.client.post(Pods, req.namespace, req.name, 'binding', {
          apiVersion: 'v1',
          kind: 'Binding',
          metadata: { name: req.name, namespace: req.namespace, uid: pod.metadata.uid },
          target: { apiVersion: 'v1', kind: 'Node', name: placement.node },
        });
        this.assumed.set(pod.metadata.uid!, { node: placement.node, ...podRequests(pod) });
      } catch (err) {
        // Already bound (by a race) or gone: the cache will tell us.
        if (!isConflict(err) && !isNotFound(err)) throw err;
      }
      return;
    }
    const current = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
    if (current?.status !== 'False' || current.message !== placement.unschedulable) {
      await this.client.strategicMergePatch(
        Pods,
        req.namespace,
        req.name,
        {
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
        },
        { subresource: 'status' },
      );
    }
    return { requeueAfterMs: retryUnschedulableMs };
  }
}
