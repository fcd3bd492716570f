import type { KubeObject } from '../../runtime/object.js';
import type { PersistentVolumeClaimSpec } from '../../kube/core-types.js';

export interface DataVolumeSource {
  http?: { url: string; secretRef?: string; certConfigMap?: string };
  s3?: { url: string };
  gcs?: { url: string };
  registry?: { url?: string; imageStream?: string; pullMethod?: 'pod' | 'node' };
  pvc?: { namespace: string; name: string };
  snapshot?: { namespace: string; name: string };
  upload?: Record<string, never>;
  blank?: Record<string, never>;
  imageio?: { url: string };
  vddk?: { url: string };
}

export interface DataVolumeCondition {
  type: 'Bound' | 'Ready' | 'Running';
  status: 'True' | 'False' | 'Unknown';
  lastTransitionTime?: string;
  lastHeartbeatTime?: string;
  reason?: string;
  message?: string;
}

export interface DataVolumeStatus {
  phase?: string;
  progress?: string;
  claimName?: string;
  restartCount?: number;
  conditions?: DataVolumeCondition[];
}

export interface DataVolume extends KubeObject {
  spec: {
    source?: DataVolumeSource;
    pvc?: PersistentVolumeClaimSpec;
    storage?: PersistentVolumeClaimSpec;
    contentType?: 'kubevirt' | 'archive';
  };
  status?: DataVolumeStatus;
}
