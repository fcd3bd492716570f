// The pods of a VMI: its virt-launcher pods (the one running the domain, a
// migration's target, sources that finished) and the hotplug attachment pods
// each launcher pod owns.
import type { Pod } from '../../kube/core-types.js';
import { Pods } from '../../kube/resources.js';
import { kubevirtLabels, migrationJobLabel, type VirtualMachineInstance } from '../../contracts/kubevirt/index.js';
import type { Cache } from '../../runtime/cache/cache.js';

export const launcherApp = 'virt-launcher';
export const attachmentApp = 'hotplug-disk';

export function launcherPodsOf(cache: Cache, vmi: VirtualMachineInstance): Pod[] {
  return cache.ownedBy<Pod>(Pods, vmi.metadata.uid!).filter((p) => p.metadata.labels?.[kubevirtLabels.app] === launcherApp);
}

export function attachmentPodsOf(cache: Cache, launcher: Pod): Pod[] {
  return cache.ownedBy<Pod>(Pods, launcher.metadata.uid!).filter((p) => p.metadata.labels?.[kubevirtLabels.app] === attachmentApp);
}

export const podDone = (p: Pod): boolean => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';

/**
 * The launcher pod whose domain is the VMI: a migration's target once the
 * migration completed, its source until then, and without any migration the
 * pod virt-controller made for the VMI (a live one if there is one).
 */
export function domainPod(vmi: VirtualMachineInstance, pods: Pod[]): Pod | undefined {
  const ms = vmi.status?.migrationState;
  if (ms?.migrationUid) {
    const name = ms.completed && !ms.failed ? ms.targetPod : ms.sourcePod;
    const pod = pods.find((p) => p.metadata.name === name);
    if (pod || name) return pod;
  }
  const initial = pods.filter((p) => !p.metadata.labels?.[migrationJobLabel]);
  return initial.find((p) => !p.metadata.deletionTimestamp) ?? initial[0];
}
