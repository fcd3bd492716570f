// The virt-launcher pod virt-controller creates for a VMI: one `compute`
// container sized from the domain, one `volume<name>` container per
// containerDisk (so a bad disk image fails to pull like on a real cluster),
// the unpaused readiness gate, Multus attachments for secondary networks
// (not those being unplugged), and the claims of the VMI's persistent disks
// as pod volumes (so the scheduler binds WaitForFirstConsumer claims to the
// pod's node, as it does for real; hotplugged disks go to attachment pods
// instead). A migration's target pod is the same pod for the VMI as it is now
// (hotplugged CPU and memory included), labelled with the migration and kept
// off the nodes where the VMI's pods run.
import type { Pod } from '../../kube/core-types.js';
import { formatBytes, parseQuantity } from '../../kube/quantity.js';
import { controllerReference } from '../../meta/object.js';
import { injectFailureAnnotation } from '../kubelet/options.js';
import { networksAnnotation } from '../../contracts/multus/index.js';
import {
  kubevirtLabels,
  migrationJobLabel,
  migrationJobNameAnnotation,
  unpausedGate,
  type VirtualMachineInstance,
  type VirtualMachineInstanceMigration,
} from '../../contracts/kubevirt/index.js';

/** KubeVirt's fixed per-VM memory overhead is about this much (virt-launcher, QEMU, page tables). */
const memoryOverheadBytes = 180 * 2 ** 20;
/** KubeVirt requests 1/10 of a core per vCPU by default (cpuAllocationRatio 10). */
const cpuAllocationRatio = 10;

export function launcherResources(vmi: VirtualMachineInstance): { cpu: string; memory: string } {
  const domain = vmi.spec.domain;
  const cpu = domain.cpu;
  const vcpus = (cpu?.cores ?? 1) * (cpu?.sockets ?? 1) * (cpu?.threads ?? 1);
  const requested = domain.resources?.requests?.cpu;
  const guest = domain.memory?.guest ?? domain.resources?.requests?.memory ?? '128Mi';
  return {
    cpu: requested !== undefined ? String(requested) : `${Math.ceil((vcpus * 1000) / cpuAllocationRatio)}m`,
    memory: formatBytes(Math.ceil((parseQuantity(guest) + memoryOverheadBytes) / 2 ** 20) * 2 ** 20),
  };
}

function claimVolumes(vmi: VirtualMachineInstance): NonNullable<Pod['spec']['volumes']> {
  return (vmi.spec.volumes ?? []).flatMap((v) => {
    const claim = v.persistentVolumeClaim && !v.persistentVolumeClaim.hotpluggable ? v.persistentVolumeClaim.claimName : v.dataVolume && !v.dataVolume.hotpluggable ? v.dataVolume.name : undefined;
    return claim ? [{ name: v.name, persistentVolumeClaim: { claimName: claim } }] : [];
  });
}

/** Injected on a VMI: its migrations' target pods cannot be scheduled. */
export const targetUnschedulableFailure = 'MigrationTargetUnschedulable';

export function launcherPod(vmi: VirtualMachineInstance, launcherImage: string, migration?: VirtualMachineInstanceMigration): Pod {
  const name = vmi.metadata.name!;
  const resources = launcherResources(vmi);
  const absent = new Set((vmi.spec.domain.devices?.interfaces ?? []).filter((i) => i.state === 'absent').map((i) => i.name));
  const multus = (vmi.spec.networks ?? [])
    .filter((n) => n.multus && !n.multus.default && !absent.has(n.name))
    .map((n, i) => {
      const [ns, nad] = n.multus!.networkName.includes('/') ? n.multus!.networkName.split('/') : [vmi.metadata.namespace, n.multus!.networkName];
      return { name: nad!, namespace: ns, interface: `pod${i + 1}` };
    });
  const annotations: Record<string, string> = { 'kubevirt.io/domain': name, 'kubectl.kubernetes.io/default-container': 'compute' };
  if (multus.length) annotations[networksAnnotation] = JSON.stringify(multus);
  const injected = vmi.metadata.annotations?.[injectFailureAnnotation];
  if (!migration && (injected === 'ErrImagePull' || injected === 'Unschedulable')) annotations[injectFailureAnnotation] = injected;
  if (migration && injected === targetUnschedulableFailure) annotations[injectFailureAnnotation] = 'Unschedulable';
  if (migration) annotations[migrationJobNameAnnotation] = migration.metadata.name!;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: `virt-launcher-${name}-`,
      namespace: vmi.metadata.namespace,
      labels: {
        ...(vmi.metadata.labels ?? {}),
        [kubevirtLabels.app]: 'virt-launcher',
        [kubevirtLabels.createdBy]: vmi.metadata.uid!,
        [kubevirtLabels.vmName]: name,
        ...(migration ? { [migrationJobLabel]: migration.metadata.uid! } : {}),
      },
      annotations,
      ownerReferences: [controllerReference(vmi)],
    },
    spec: {
      restartPolicy: 'Never',
      ...(migration
        ? {
            affinity: {
              podAntiAffinity: {
                requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { [kubevirtLabels.createdBy]: vmi.metadata.uid! } }, topologyKey: 'kubernetes.io/hostname' }],
              },
            },
          }
        : {}),
      nodeSelector: { ...(vmi.spec.nodeSelector ?? {}), 'kubevirt.io/schedulable': 'true' },
      volumes: claimVolumes(vmi),
      hostname: vmi.spec.hostname ?? name,
      terminationGracePeriodSeconds: (vmi.spec.terminationGracePeriodSeconds ?? 180) + 15,
      readinessGates: [{ conditionType: unpausedGate }],
      containers: [
        {
          name: 'compute',
          image: launcherImage,
          command: ['/usr/bin/virt-launcher-monitor'],
          resources: {
            requests: { cpu: resources.cpu, memory: resources.memory, 'devices.kubevirt.io/kvm': '1', 'devices.kubevirt.io/tun': '1' },
            limits: { 'devices.kubevirt.io/kvm': '1', 'devices.kubevirt.io/tun': '1' },
          },
        },
        ...(vmi.spec.volumes ?? [])
          .filter((v) => v.containerDisk)
          .map((v) => ({
            name: `volume${v.name}`,
            image: v.containerDisk!.image,
            command: ['/usr/bin/container-disk'],
            resources: { requests: { cpu: '10m', memory: '1Mi' } },
          })),
      ],
    },
  };
}
