// A DiskImage's status from its revisions: the current one clones come from,
// a newer one importing (or failing), clones in progress, and refreshes.
import type { DiskImage, DiskImageStatus } from '../../pkg/api/types.generated.js';
import type { DataVolume } from '../../pkg/contracts/cdi/index.js';
import { summarize, type Summary } from '../../pkg/runtime/conditions/conditions.js';
import { firstProblem, problemSummary, Stuck, Waiting, type Problem } from '../shared/problems.js';
import type { RevisionPlan } from './revisions.js';

export interface DiskImageObservation {
  plan: RevisionPlan;
  /** The capacity of the current revision's claim. */
  size?: string;
  clones: number;
  deleting: boolean;
  problems: Problem[];
  lastRefreshTime?: string;
  nextRefreshTime?: string;
  now: number;
}

/** Why CDI cannot import it, in its words. */
export function importFailure(dv: DataVolume | undefined): string | undefined {
  const st = dv?.status;
  if (!st) return undefined;
  const running = st.conditions?.find((c) => c.type === 'Running');
  if (st.phase === 'Failed') return running?.message || 'the import failed';
  if ((st.restartCount ?? 0) > 0 && running?.status === 'False' && running.reason === 'Error') return `${running.message} (retried ${st.restartCount} times)`;
  return undefined;
}

function progressOf(dv: DataVolume): string {
  const p = dv.status?.progress;
  return `${dv.status?.phase ?? 'Pending'}${p && p !== 'N/A' ? ` (${p})` : ''}`;
}

export function diskImageStatus(image: DiskImage, o: DiskImageObservation): DiskImageStatus {
  const { current, importing } = o.plan;
  const failing = importFailure(importing?.dataVolume);
  const name = image.metadata.name;
  let phase: NonNullable<DiskImageStatus['phase']>;
  let summary: Summary;
  const problem = firstProblem(o.problems);
  if (o.deleting && o.clones > 0) {
    phase = current ? 'Ready' : 'Pending';
    summary = { state: 'progressing', reason: Waiting.DeletionBlocked, message: `deletion waits until no clone of the image is in progress (${o.clones} now)` };
  } else if (problem) {
    phase = problem.stuck ? 'Failed' : 'Pending';
    summary = problemSummary(problem);
  } else if (current) {
    phase = 'Ready';
    const more = importing ? (failing ? `; revision ${importing.n} fails to import: ${failing}` : `; importing revision ${importing.n}: ${progressOf(importing.dataVolume)}`) : '';
    summary = { state: 'ready', reason: 'Ready', message: `revision ${current.n} is ready to clone${o.size ? ` (${o.size})` : ''}${more}` };
  } else if (failing) {
    phase = 'Failed';
    summary = { state: 'stalled', reason: Stuck.ImportFailed, message: failing };
  } else {
    phase = importing ? 'Importing' : 'Pending';
    summary = { state: 'progressing', reason: importing ? 'Importing' : 'Pending', message: importing ? `importing revision ${importing.n}: ${progressOf(importing.dataVolume)}` : `starting the import of ${name}` };
  }
  const status: DiskImageStatus = {
    observedGeneration: image.metadata.generation,
    conditions: summarize(image.status?.conditions, summary, image.metadata.generation, o.now),
    phase,
    clones: o.clones,
  };
  if (current) {
    status.revision = current.n;
    status.dataSource = name!;
    const source = current.dataVolume.spec.source;
    if (source?.http?.checksum) status.checksum = source.http.checksum;
    const digest = source?.registry?.url?.split('@')[1];
    if (digest) status.digest = digest;
  }
  if (o.size) status.size = o.size;
  if (importing) {
    status.importingRevision = importing.n;
    const p = importing.dataVolume.status?.progress;
    if (p && p !== 'N/A') status.progress = p;
  }
  if (o.lastRefreshTime) status.lastRefreshTime = o.lastRefreshTime;
  if (o.nextRefreshTime) status.nextRefreshTime = o.nextRefreshTime;
  return status;
}
