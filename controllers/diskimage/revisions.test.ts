import type { DiskImage } from '../../pkg/api/types.generated.js';
import type { DataVolume } from '../../pkg/contracts/cdi/index.js';
import { planRevisions, revisionLabel, revisionsOf, sourceHash, sourceHashAnnotation } from './revisions.js';

const image = (source: DiskImage['spec']['source'] = { http: { url: 'https://images.example/debian-12.qcow2' } }): DiskImage => ({
  apiVersion: 'stratus.dev/v1alpha1',
  kind: 'DiskImage',
  metadata: { name: 'debian', namespace: 'ns' },
  spec: { source, size: '4Gi' },
});

const dv = (n: number, phase: string, of = image()): DataVolume => ({
  metadata: { name: `debian-${n}`, labels: { [revisionLabel]: String(n) }, annotations: { [sourceHashAnnotation]: sourceHash(of) } },
  spec: {},
  status: { phase },
});

const plan = (dvs: DataVolume[], due = false, of = image()) => {
  const p = planRevisions(of, revisionsOf(dvs), due);
  return { current: p.current?.n, importing: p.importing?.n, start: p.start, obsolete: p.obsolete.map((r) => r.n) };
};

describe('planRevisions', () => {
  it.each<[string, DataVolume[], boolean, ReturnType<typeof plan>]>([
    ['a new image imports revision 1', [], false, { current: undefined, importing: undefined, start: 1, obsolete: [] }],
    ['while it imports, nothing else starts', [dv(1, 'ImportInProgress')], false, { current: undefined, importing: 1, start: undefined, obsolete: [] }],
    ['imported, it is current', [dv(1, 'Succeeded')], false, { current: 1, importing: undefined, start: undefined, obsolete: [] }],
    ['a refresh imports the next revision', [dv(1, 'Succeeded')], true, { current: 1, importing: undefined, start: 2, obsolete: [] }],
    ['a refresh while one imports is not another import', [dv(1, 'Succeeded'), dv(2, 'ImportInProgress')], true, { current: 1, importing: 2, start: undefined, obsolete: [] }],
    ['the new one ready, the old one goes', [dv(1, 'Succeeded'), dv(2, 'Succeeded')], false, { current: 2, importing: undefined, start: undefined, obsolete: [1] }],
    [
      'a failing refresh leaves the current one, and a later one replaces the failing one',
      [dv(1, 'Succeeded'), dv(2, 'ImportInProgress'), dv(3, 'ImportInProgress')],
      false,
      { current: 1, importing: 3, start: undefined, obsolete: [2] },
    ],
  ])('%s', (_, dvs, due, want) => expect(plan(dvs, due)).toEqual(want));

  it('imports again when the source changes, and not on a refresh of a pinned source', () => {
    const moved = image({ http: { url: 'https://images.example/debian-12.1.qcow2' } });
    expect(plan([dv(1, 'Succeeded')], false, moved).start).toBe(2);
    const pinnedImage = image({ registry: { url: 'docker://quay.io/containerdisks/debian@sha256:0123abcd' } });
    expect(plan([dv(1, 'Succeeded', pinnedImage)], true, pinnedImage).start).toBeUndefined();
    const checksummed = image({ http: { url: 'https://images.example/x.qcow2', checksum: 'sha256:00ff' } });
    expect(plan([dv(1, 'Succeeded', checksummed)], true, checksummed).start).toBeUndefined();
  });
});
