// What a Snapshot becomes: a KubeVirt VirtualMachineSnapshot of the VM's
// KubeVirt VirtualMachine, or a CSI VolumeSnapshot of the Volume's claim,
// named after it. Both are made once and never changed (their specs are
// immutable upstream; what they record of the source must stay as it was).
import type { Snapshot } from '../../pkg/api/types.generated.js';
import type { VolumeSnapshot } from '../../pkg/contracts/csi-snapshot/index.js';
import type { VirtualMachineSnapshot } from '../../pkg/contracts/kubevirt/index.js';
import { childLabels } from '../shared/labels.js';
import { sourceRecordAnnotation, type SourceRecord } from './source-record.js';

/** On a Volume's VolumeSnapshot: how consistent it was when taken (nothing records that upstream). */
export const consistencyAnnotation = 'stratus.dev/consistency';

export function desiredVmSnapshot(snapshot: Snapshot, kubevirtVm: string, record: SourceRecord): VirtualMachineSnapshot {
  return {
    apiVersion: 'snapshot.kubevirt.io/v1beta1',
    kind: 'VirtualMachineSnapshot',
    metadata: {
      name: snapshot.metadata.name,
      namespace: snapshot.metadata.namespace,
      labels: childLabels('snapshot', snapshot.metadata.name!),
      annotations: { [sourceRecordAnnotation]: JSON.stringify(record) },
    },
    spec: { source: { apiGroup: 'kubevirt.io', kind: 'VirtualMachine', name: kubevirtVm }, deletionPolicy: snapshot.spec.deletionPolicy },
  };
}

export function desiredVolumeSnapshot(snapshot: Snapshot, claim: string, snapshotClass: string, record: SourceRecord, consistency: 'Crash' | 'Offline'): VolumeSnapshot {
  return {
    apiVersion: 'snapshot.storage.k8s.io/v1',
    kind: 'VolumeSnapshot',
    metadata: {
      name: snapshot.metadata.name,
      namespace: snapshot.metadata.namespace,
      labels: childLabels('snapshot', snapshot.metadata.name!),
      annotations: { [sourceRecordAnnotation]: JSON.stringify(record), [consistencyAnnotation]: consistency },
    },
    spec: { source: { persistentVolumeClaimName: claim }, volumeSnapshotClassName: snapshotClass },
  };
}
