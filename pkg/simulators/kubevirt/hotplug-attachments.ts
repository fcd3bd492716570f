// The attachment pods virt-controller runs for hotplugged volumes
// (RenderHotplugAttachmentPodTemplate): one pod per launcher pod, on its node,
// mounting every hotplug volume whose claim is bound. When the set changes a
// new pod takes over, and the old one goes once the new one is ready and the
// guest has let go of every volume that left the spec.
import type { Pod } from '../../kube/core-types.js';
import { controllerReference } from '../../meta/object.js';
import { kubevirtLabels, type VmiVolume } from '../../contracts/kubevirt/index.js';
import { attachmentApp } from './pods.js';
import { attachedVolumes, claimOf, podReady } from './volume-status.js';

export function attachmentPod(launcher: Pod, volumes: VmiVolume[], launcherImage: string): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: 'hp-volume-',
      namespace: launcher.metadata.namespace,
      labels: { [kubevirtLabels.app]: attachmentApp },
      ownerReferences: [controllerReference(launcher)],
    },
    spec: {
      containers: [
        {
          name: attachmentApp,
          image: launcherImage,
          command: ['/bin/sh', '-c', '/usr/bin/container-disk --copy-path /path/hp'],
          resources: { requests: { cpu: '10m', memory: '2M' }, limits: { cpu: '100m', memory: '80M' } },
          volumeMounts: [{ name: 'hotplug-disks', mountPath: '/path' }],
        },
      ],
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [launcher.spec.nodeName!] }] }],
          },
        },
      },
      volumes: [
        { name: 'hotplug-disks', emptyDir: {} },
        ...volumes.flatMap((v) => {
          const claimName = claimOf(v);
          return claimName ? [{ name: v.name, persistentVolumeClaim: { claimName } }] : [];
        }),
      ],
      terminationGracePeriodSeconds: 0,
    },
  };
}

const sameSet = (a: string[], b: string[]): boolean => a.length === b.length && a.every((x) => b.includes(x));

export interface AttachmentPlan {
  /** Volumes a new attachment pod should mount, when one is needed. */
  create?: string[];
  /** Attachment pods to delete. */
  remove: Pod[];
}

/**
 * `want`: the volumes to mount now; `unmounted`: whether the guest let go of
 * a volume no longer in the spec (its status says UnMountedFromPod).
 */
export function planAttachments(want: string[], pods: Pod[], unmounted: (volume: string) => boolean): AttachmentPlan {
  const live = pods.filter((p) => !p.metadata.deletionTimestamp);
  const current = live.find((p) => sameSet(attachedVolumes(p), want));
  const old = live.filter((p) => p !== current);
  const plan: AttachmentPlan = { remove: [] };
  if (want.length && !current && !old.some((p) => !podReady(p))) plan.create = want;
  if (want.length && !(current && podReady(current))) return plan;
  plan.remove = old.filter((p) => attachedVolumes(p).every((v) => want.includes(v) || unmounted(v)));
  return plan;
}
