// A restore into a new VM: the VirtualMachine and Volumes Stratus makes from
// what the Snapshot recorded of its VM (source-record.ts). Each disk in the
// Snapshot becomes a Volume restored from it; the VM's fixed addresses and
// MACs stay with the original (a copy must not take them); disks the
// Snapshot does not hold (container disks) are kept as they were.
import type { Restore, Snapshot, VirtualMachine, Volume, VolumeSpec } from '../../pkg/api/types.generated.js';
import { parseQuantity } from '../../pkg/kube/quantity.js';
import { labelKeys } from '../shared/labels.js';
import type { SourceRecord } from '../snapshot/source-record.js';

/** On what a Restore made: the uid of that Restore, so a second look knows it as its own. */
export const restoredByAnnotation = 'stratus.dev/restored-by';

export interface NewVmPlan {
  virtualMachine: VirtualMachine;
  volumes: Volume[];
  /** Disk name → the Volume restored for it. */
  disks: Map<string, string>;
}

function meta(restore: Restore, name: string) {
  return {
    name,
    namespace: restore.metadata.namespace,
    labels: { [labelKeys.restore]: restore.metadata.name! },
    annotations: { [restoredByAnnotation]: restore.metadata.uid! },
  };
}

export function volumeName(vm: string, disk: string): string {
  return `${vm}-${disk}`;
}

export function newVmPlan(restore: Restore, snapshot: Snapshot, record: SourceRecord, name: string): NewVmPlan {
  const source = record.virtualMachine!;
  const disks = new Map<string, string>();
  const volumes: Volume[] = [];
  for (const entry of snapshot.status?.volumes ?? []) {
    const was: Partial<VolumeSpec> = (entry.volume && record.volumes?.[entry.volume]) || {};
    const sizes = [was.size, entry.size].filter((s): s is string | number => s !== undefined).map((s) => String(s));
    const size = sizes.sort((a, b) => parseQuantity(b) - parseQuantity(a))[0] ?? '1Gi';
    const volume = volumeName(name, entry.name);
    disks.set(entry.name, volume);
    volumes.push({
      apiVersion: 'stratus.dev/v1alpha1',
      kind: 'Volume',
      metadata: meta(restore, volume),
      spec: {
        size,
        accessMode: was.accessMode ?? 'ReadWriteOnce',
        volumeMode: was.volumeMode ?? 'Filesystem',
        reclaimPolicy: was.reclaimPolicy ?? 'Delete',
        ...(was.storageClassName ? { storageClassName: was.storageClassName } : {}),
        source: { snapshot: { name: snapshot.metadata.name!, disk: entry.name } },
      },
    });
  }
  const { restartRequestedAt: _restart, ...spec } = structuredClone(source);
  const root = disks.get('rootdisk');
  spec.rootDisk = root ? { volume: root, bus: source.rootDisk.bus } : source.rootDisk;
  if (spec.disks) {
    spec.disks = spec.disks.flatMap((d) => {
      const restored = disks.get(d.name);
      if (restored) return [{ name: d.name, volume: restored, bus: d.bus, readOnly: d.readOnly }];
      // A Volume the Snapshot does not hold stays with the original VM.
      return d.volume ? [] : [d];
    });
  }
  if (spec.networks) spec.networks = spec.networks.map(({ ipAddress: _ip, macAddress: _mac, ...n }) => n);
  return { virtualMachine: { apiVersion: 'stratus.dev/v1alpha1', kind: 'VirtualMachine', metadata: meta(restore, name), spec }, volumes, disks };
}
