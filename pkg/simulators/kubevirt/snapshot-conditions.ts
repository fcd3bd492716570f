// Conditions as KubeVirt's snapshot and restore controllers keep them
// (pkg/storage/snapshot/util.go): one per type, replaced only when its
// status or reason changes; reasons are sentences.
import type { SnapshotCondition } from '../../contracts/kubevirt/index.js';
import { rfc3339 } from '../clock.js';

export function updateCondition(conditions: SnapshotCondition[] | undefined, type: 'Ready' | 'Progressing' | 'Failure', status: boolean, reason: string, now: number): SnapshotCondition[] {
  const next: SnapshotCondition = { type, status: status ? 'True' : 'False', reason, lastProbeTime: null, lastTransitionTime: rfc3339(now) };
  const list = [...(conditions ?? [])];
  const i = list.findIndex((c) => c.type === type);
  if (i < 0) list.push(next);
  else if (list[i]!.status !== next.status || list[i]!.reason !== reason) list[i] = next;
  return list;
}

export function hasCondition(conditions: SnapshotCondition[] | undefined, type: string): boolean {
  return !!conditions?.some((c) => c.type === type);
}
