// The types and CRD locks in pkg/contracts are exactly what the upstream CRDs
// in the cache generate (hack/upstream/build.sh builds them; .ci/run and the
// integration setup do so first): if this fails, run `npm run generate`.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { locateUpstream, readObjects } from '../controlplane/upstream.js';
import { packageRoot } from '../util/package-root.js';
import { contractApis } from './codegen/apis.js';
import { contractFiles, crdsByName, pinnedModules } from './codegen/files.js';

describe('pkg/contracts generated from the pinned upstream CRDs', () => {
  const upstream = locateUpstream();
  let files: Map<string, string>;

  beforeAll(async () => {
    if (!existsSync(upstream.crdDir)) throw new Error(`no upstream CRDs in ${upstream.crdDir}: run bash hack/upstream/build.sh`);
    files = await contractFiles(crdsByName(readObjects(upstream.crdDir)));
  });

  it('has every generated file up to date, the locks included', () => {
    for (const [path, content] of files) expect({ path, content: readFileSync(join(packageRoot(), path), 'utf8') }).toEqual({ path, content });
  });

  it('has no stale generated file', () => {
    for (const api of contractApis) {
      const dir = join(packageRoot(), 'pkg', 'contracts', api.folder, 'generated');
      const onDisk = readdirSync(dir).filter((f) => f.endsWith('.ts')).map((f) => `pkg/contracts/${api.folder}/generated/${f}`);
      expect(onDisk.sort()).toEqual([...files.keys()].filter((p) => p.startsWith(`pkg/contracts/${api.folder}/generated/`)).sort());
    }
  });

  it('locks every module at the version go.mod pins', () => {
    const pins = pinnedModules();
    for (const api of contractApis) {
      const lock = JSON.parse(readFileSync(join(packageRoot(), 'pkg', 'contracts', api.folder, 'crds.lock.json'), 'utf8')) as { modules: Record<string, string> };
      for (const m of api.modules) expect({ module: m, version: lock.modules[m] }).toEqual({ module: m, version: pins.get(m) });
    }
  });
});
