// Where a DataVolume's transfer stands, computed from its source, its claim
// and the time since the transfer began: phase, progress and conditions as
// CDI reports them.
import type { PersistentVolumeClaim } from '../../kube/core-types.js';
import type { DataVolume, DataVolumeCondition, DataVolumeSource, DataVolumeStatus } from '../../contracts/cdi/index.js';

export type SourceKind = 'http' | 'registry' | 's3' | 'gcs' | 'imageio' | 'vddk' | 'blank' | 'pvc' | 'snapshot' | 'upload';

export function sourceKind(source: DataVolumeSource | undefined): SourceKind {
  for (const kind of ['http', 'registry', 's3', 'gcs', 'imageio', 'vddk', 'pvc', 'snapshot', 'upload'] as const) {
    if (source?.[kind]) return kind;
  }
  return 'blank';
}

export function sourceUrl(source: DataVolumeSource | undefined): string | undefined {
  return source?.http?.url ?? source?.registry?.url ?? source?.s3?.url ?? source?.gcs?.url ?? source?.imageio?.url ?? source?.vddk?.url;
}

export interface TransferInputs {
  /** What the DataVolume copies: its source, or its sourceRef's, resolved. */
  source: DataVolumeSource | undefined;
  /** A clone the storage makes itself (the claim's dataSourceRef names the source): done once the claim is bound. */
  storageClone: boolean;
  claim?: PersistentVolumeClaim;
  /** For clones: whether the source claim exists and is bound. */
  cloneSourceReady?: boolean;
  /** Milliseconds since the claim was first seen bound (undefined if not yet). */
  sinceBound?: number;
  scheduleDelayMs: number;
  transferDurationMs: number;
  progressSteps: number;
  /** Set when the transfer fails: the importer's error, and how often it restarted. */
  failure?: { message: string; restarts: number };
  now: string;
}

function condition(
  previous: DataVolumeCondition[] | undefined,
  type: DataVolumeCondition['type'],
  status: 'True' | 'False',
  now: string,
  reason = '',
  message = '',
): DataVolumeCondition {
  const old = previous?.find((c) => c.type === type);
  const unchanged = old?.status === status && old.reason === reason && old.message === message;
  return {
    type,
    status,
    reason,
    message,
    lastTransitionTime: old?.status === status && old.lastTransitionTime ? old.lastTransitionTime : now,
    lastHeartbeatTime: unchanged && old.lastHeartbeatTime ? old.lastHeartbeatTime : now,
  };
}

/** The status CDI would report now, and how long until it would change next. */
export function transferStatus(dv: DataVolume, t: TransferInputs): { status: DataVolumeStatus; nextMs?: number } {
  const prev = dv.status?.conditions;
  const name = dv.metadata.name!;
  const kind = sourceKind(t.source);
  const clone = kind === 'pvc' || kind === 'snapshot';
  const status: DataVolumeStatus = { claimName: name, restartCount: t.failure?.restarts ?? 0 };
  const bound = t.claim?.status?.phase === 'Bound';
  const bind = bound
    ? condition(prev, 'Bound', 'True', t.now, 'Bound', `PVC ${name} Bound`)
    : t.claim
      ? condition(prev, 'Bound', 'False', t.now, 'Pending', `PVC ${name} Pending`)
      : condition(prev, 'Bound', 'False', t.now, 'NotFound', 'No PVC found');
  if (t.storageClone && t.cloneSourceReady) {
    const phase = kind === 'snapshot' ? 'CloneFromSnapshotSourceInProgress' : 'CSICloneInProgress';
    return bound
      ? {
          status: {
            ...status,
            phase: 'Succeeded',
            progress: '100.0%',
            conditions: [bind, condition(prev, 'Ready', 'True', t.now), condition(prev, 'Running', 'False', t.now, 'Completed')],
          },
        }
      : {
          status: {
            ...status,
            phase,
            progress: 'N/A',
            conditions: [bind, condition(prev, 'Ready', 'False', t.now, bind.reason, bind.message), condition(prev, 'Running', 'True', t.now, 'Pod is running')],
          },
        };
  }
  if (!bound || t.sinceBound === undefined) {
    return {
      status: {
        ...status,
        phase: 'Pending',
        progress: 'N/A',
        conditions: [bind, condition(prev, 'Ready', 'False', t.now, bind.reason, bind.message), condition(prev, 'Running', 'False', t.now)],
      },
    };
  }
  if (kind === 'upload') {
    return {
      status: {
        ...status,
        phase: 'UploadReady',
        progress: 'N/A',
        conditions: [bind, condition(prev, 'Ready', 'False', t.now), condition(prev, 'Running', 'True', t.now, 'Pod is running')],
      },
    };
  }
  const scheduled = clone ? 'CloneScheduled' : 'ImportScheduled';
  const inProgress = clone ? 'CloneInProgress' : 'ImportInProgress';
  if (clone && !t.cloneSourceReady) {
    const source = t.source?.pvc ?? t.source?.snapshot;
    return {
      status: {
        ...status,
        phase: scheduled,
        progress: 'N/A',
        conditions: [
          bind,
          condition(prev, 'Ready', 'False', t.now),
          condition(prev, 'Running', 'False', t.now, 'CloneWithoutSource', `source ${kind} ${source?.namespace}/${source?.name} doesn't exist or is not bound`),
        ],
      },
    };
  }
  if (t.sinceBound < t.scheduleDelayMs) {
    return {
      status: { ...status, phase: scheduled, progress: 'N/A', conditions: [bind, condition(prev, 'Ready', 'False', t.now), condition(prev, 'Running', 'False', t.now, 'Pending')] },
      nextMs: t.scheduleDelayMs - t.sinceBound,
    };
  }
  if (t.failure) {
    return {
      status: {
        ...status,
        phase: inProgress,
        progress: 'N/A',
        conditions: [bind, condition(prev, 'Ready', 'False', t.now), condition(prev, 'Running', 'False', t.now, 'Error', t.failure.message)],
      },
    };
  }
  const elapsed = t.sinceBound - t.scheduleDelayMs;
  // Blank disks need no data copied: CDI's importer finishes at once.
  const duration = kind === 'blank' ? 0 : t.transferDurationMs;
  if (elapsed >= duration) {
    return {
      status: {
        ...status,
        phase: 'Succeeded',
        progress: '100.0%',
        conditions: [bind, condition(prev, 'Ready', 'True', t.now), condition(prev, 'Running', 'False', t.now, 'Completed')],
      },
    };
  }
  const stepMs = duration / Math.max(1, t.progressSteps);
  const step = Math.floor(elapsed / stepMs);
  return {
    status: {
      ...status,
      phase: inProgress,
      progress: `${((step * 100) / Math.max(1, t.progressSteps)).toFixed(2)}%`,
      conditions: [bind, condition(prev, 'Ready', 'False', t.now, 'TransferRunning'), condition(prev, 'Running', 'True', t.now)],
    },
    nextMs: (step + 1) * stepMs - elapsed,
  };
}
