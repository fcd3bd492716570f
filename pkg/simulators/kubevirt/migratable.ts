// Whether a VMI can live-migrate, as virt-handler decides it
// (calculateLiveMigrationCondition): the pod network reached through
// masquerade, and every claim shared between nodes (ReadWriteMany, read from
// the volume status). Pure.
import type { VirtualMachineInstance, VmiVolumeStatus } from '../../contracts/kubevirt/index.js';
import { claimOf } from './volume-status.js';

export type Migratability = { migratable: true } | { migratable: false; reason: string; message: string };

function interfaceProblem(vmi: VirtualMachineInstance): string | undefined {
  const pod = (vmi.spec.networks ?? []).find((n) => n.pod);
  const iface = pod && vmi.spec.domain.devices?.interfaces?.find((i) => i.name === pod.name);
  if (!pod || !vmi.spec.domain.devices?.interfaces?.length) return undefined;
  if (!iface) return `no primary interface found for network ${pod.name}`;
  if (iface.masquerade || iface.passtBinding) return undefined;
  if (iface.bridge && vmi.metadata.annotations?.['kubevirt.io/allow-pod-bridge-network-live-migration'] !== undefined) return undefined;
  return 'cannot migrate VMI which does not use masquerade or a migratable plugin to connect to the pod network';
}

function diskProblem(vmi: VirtualMachineInstance, statuses: VmiVolumeStatus[]): string | undefined {
  for (const v of vmi.spec.volumes ?? []) {
    const claim = claimOf(v);
    if (!claim) continue;
    const info = statuses.find((s) => s.name === v.name)?.persistentVolumeClaimInfo;
    if (!info) return `cannot migrate VMI: Unable to determine if PVC ${claim} is shared, live migration requires that all PVCs must be shared (using ReadWriteMany access mode)`;
    if (!(info.accessModes ?? []).includes('ReadWriteMany')) return `cannot migrate VMI: PVC ${claim} is not shared, live migration requires that all PVCs must be shared (using ReadWriteMany access mode)`;
  }
  return undefined;
}

export function migratability(vmi: VirtualMachineInstance, statuses: VmiVolumeStatus[]): Migratability {
  const iface = interfaceProblem(vmi);
  if (iface) return { migratable: false, reason: 'InterfaceNotLiveMigratable', message: iface };
  const disk = diskProblem(vmi, statuses);
  if (disk) return { migratable: false, reason: 'DisksNotLiveMigratable', message: disk };
  return { migratable: true };
}
