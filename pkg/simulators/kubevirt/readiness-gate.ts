// The readiness gate of virt-launcher pods: virt-controller sets it once the
// guest runs unpaused, so the pod (a VMI's, or a migration's target) becomes
// Ready.
import type { Pod } from '../../kube/core-types.js';
import { Pods } from '../../kube/resources.js';
import { unpausedGate } from '../../contracts/kubevirt/index.js';
import { isNotFound } from '../../runtime/client/api-error.js';
import type { Client } from '../../runtime/client/client.js';
import { rfc3339 } from '../clock.js';

export async function markUnpaused(client: Client, pod: Pod): Promise<void> {
  if (pod.status?.conditions?.find((c) => c.type === unpausedGate)?.status === 'True') return;
  await client
    .patch(
      Pods,
      pod.metadata.namespace,
      pod.metadata.name!,
      { strategic: { status: { conditions: [{ type: unpausedGate, status: 'True', reason: 'NotPaused', message: 'the virtual machine is not paused', lastProbeTime: null, lastTransitionTime: rfc3339(Date.now()) }] } } },
      { subresource: 'status' },
    )
    .catch((err: unknown) => {
      if (!isNotFound(err)) throw err;
    });
}
