// The node half of the simulated kubelet: registers the Nodes, renews their
// Leases in kube-node-lease (so the node lifecycle controller keeps them
// Ready) and re-posts node status every five minutes, as a kubelet does.
import type { Logger } from 'winston';
import { Leases, Nodes } from '../../kube/resources.js';
import type { Node } from '../../kube/core-types.js';
import type { Client } from '../../runtime/client/client.js';
import { sleep } from '../../util/sleep.js';
import { desiredNode, nodeName, nodeStatus } from './nodes.js';
import type { KubeletSimOptions } from './options.js';

const statusReportMs = 5 * 60_000;
const leaseDurationSeconds = 40;

function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

export class NodeAgent {
  readonly name = 'kubelet-node-agent';
  readonly needLeaderElection = false;
  private kubeletVersion = 'v0.0.0';
  private readonly since = Date.now();
  private lastStatus = 0;
  private readonly nodeUids = new Map<string, string>();

  constructor(
    private readonly client: Client,
    private readonly o: KubeletSimOptions,
    private readonly log: Logger,
  ) {}

  async start(signal: AbortSignal): Promise<void> {
    const version = await this.client.rest.request<{ gitVersion?: string }>('GET', '/version');
    this.kubeletVersion = version.gitVersion ?? this.kubeletVersion;
    while (!signal.aborted) {
      try {
        await this.heartbeat();
      } catch (err) {
        if (!signal.aborted) this.log.warn('node heartbeat failed', { error: (err as Error).message });
      }
      await sleep(this.o.leaseRenewMs, signal).catch(() => {});
    }
  }

  /** Registers the nodes (once), renews every lease, and re-posts status when due. */
  async heartbeat(): Promise<void> {
    const now = Date.now();
    const postStatus = now - this.lastStatus >= statusReportMs;
    await Promise.all(
      Array.from({ length: this.o.nodes }, async (_, i) => {
        const node = postStatus ? await this.client.apply<Node>(Nodes, desiredNode(i), { force: true }) : undefined;
        if (postStatus) {
          await this.client.apply(Nodes, nodeStatus(i, this.o, this.kubeletVersion, now, this.since), {
            subresource: 'status',
            force: true,
          });
        }
        await this.renewLease(i, now, node);
      }),
    );
    if (postStatus) this.lastStatus = now;
  }

  private async renewLease(index: number, now: number, node?: Node): Promise<void> {
    const name = nodeName(index);
    if (node?.metadata.uid) this.nodeUids.set(name, node.metadata.uid);
    let uid = this.nodeUids.get(name);
    if (!uid) {
      uid = (await this.client.get<Node>(Nodes, undefined, name)).metadata.uid!;
      this.nodeUids.set(name, uid);
    }
    await this.client.apply(
      Leases,
      {
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        metadata: {
          name,
          namespace: 'kube-node-lease',
          ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name, uid }],
        },
        spec: { holderIdentity: name, leaseDurationSeconds, renewTime: microTime(now) },
      },
      { force: true },
    );
  }
}
