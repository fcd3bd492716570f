import type { DiskImage } from '../../pkg/api/types.generated.js';
import type { DataVolume } from '../../pkg/contracts/cdi/index.js';
import type { RevisionPlan } from './revisions.js';
import { diskImageStatus, type DiskImageObservation } from './status.js';

const image: DiskImage = {
  apiVersion: 'stratus.dev/v1alpha1',
  kind: 'DiskImage',
  metadata: { name: 'debian', namespace: 'ns', generation: 1 },
  spec: { source: { http: { url: 'https://x/debian.qcow2', checksum: 'sha256:00ff' } }, size: '2Gi' },
};
const dv = (n: number, status: DataVolume['status']): { n: number; dataVolume: DataVolume } => ({
  n,
  dataVolume: { metadata: { name: `debian-${n}` }, spec: { source: { http: { url: 'https://x/debian.qcow2', checksum: 'sha256:00ff' } } }, status },
});
const failing = { phase: 'ImportInProgress', restartCount: 2, conditions: [{ type: 'Running', status: 'False', reason: 'Error', message: 'got 404' }] };
const o = (plan: Partial<RevisionPlan>, more: Partial<DiskImageObservation> = {}): DiskImageObservation => ({ plan: { obsolete: [], ...plan }, clones: 0, deleting: false, problems: [], now: 0, ...more });
const kinds = (s: ReturnType<typeof diskImageStatus>) => [s.phase, ...(s.conditions ?? []).map((c) => `${c.type}=${c.status}:${c.reason}`)];

describe('diskImageStatus', () => {
  it.each<[string, DiskImageObservation, string[]]>([
    ['new', o({}), ['Pending', 'Ready=False:Pending', 'Reconciling=True:Pending']],
    ['importing', o({ importing: dv(1, { phase: 'ImportInProgress', progress: '45.00%' }) }), ['Importing', 'Ready=False:Importing', 'Reconciling=True:Importing']],
    ['the import keeps failing', o({ importing: dv(1, failing) }), ['Failed', 'Ready=False:ImportFailed', 'Stalled=True:ImportFailed']],
    ['ready', o({ current: dv(1, { phase: 'Succeeded' }) }, { size: '2Gi' }), ['Ready', 'Ready=True:Ready']],
    ['ready while a refresh fails', o({ current: dv(1, { phase: 'Succeeded' }), importing: dv(2, failing) }), ['Ready', 'Ready=True:Ready']],
    ['deleted during a clone', o({ current: dv(1, { phase: 'Succeeded' }) }, { deleting: true, clones: 2 }), ['Ready', 'Ready=False:DeletionBlocked', 'Reconciling=True:DeletionBlocked']],
  ])('%s', (_, obs, want) => expect(kinds(diskImageStatus(image, obs))).toEqual(want));

  it('reports the current revision, its checksum and the one importing', () => {
    const s = diskImageStatus(image, o({ current: dv(1, { phase: 'Succeeded' }), importing: dv(2, { phase: 'ImportInProgress', progress: '50.00%' }) }, { size: '2Gi', clones: 1 }));
    expect(s).toMatchObject({ revision: 1, importingRevision: 2, progress: '50.00%', dataSource: 'debian', checksum: 'sha256:00ff', size: '2Gi', clones: 1 });
    expect(s.conditions?.[0]?.message).toBe('revision 1 is ready to clone (2Gi); importing revision 2: ImportInProgress (50.00%)');
    const refreshFails = diskImageStatus(image, o({ current: dv(1, { phase: 'Succeeded' }), importing: dv(2, failing) }));
    expect(refreshFails.conditions?.[0]?.message).toBe('revision 1 is ready to clone; revision 2 fails to import: got 404 (retried 2 times)');
  });
});
