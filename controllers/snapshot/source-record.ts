// What a Snapshot remembers of its source: the Stratus specs of the VM and of
// its Volumes as they were when it was taken (and the VM's uid), written once
// onto the KubeVirt VirtualMachineSnapshot Stratus makes. A restore into a
// new VM is made from this, not from today's VM.
import type { VirtualMachineSpec, VolumeSpec } from '../../pkg/api/types.generated.js';
import type { KubeObject } from '../../pkg/meta/object.js';

export const sourceRecordAnnotation = 'stratus.dev/source';

export interface SourceRecord {
  uid: string;
  virtualMachine?: VirtualMachineSpec;
  /** The VM's Volumes, by name. */
  volumes?: Record<string, VolumeSpec>;
}

export function recordOf(child: KubeObject | undefined): SourceRecord | undefined {
  const text = child?.metadata.annotations?.[sourceRecordAnnotation];
  if (!text) return undefined;
  try {
    return JSON.parse(text) as SourceRecord;
  } catch {
    return undefined;
  }
}
