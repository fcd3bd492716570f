// The CRDs and TypeScript types in the repository are exactly what the
// schema definitions generate: if this fails, run `npm run generate`.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../util/package-root.js';
import { generatedFiles } from './generated-files.js';

describe('generated API files', () => {
  const files = generatedFiles();

  it.each([...files.keys()])('%s is up to date', (path) => {
    expect(readFileSync(join(packageRoot(), path), 'utf8')).toBe(files.get(path));
  });

  it.each(['crds', 'crds/admission', 'crds/admission/mutating', 'deploy/crds', 'deploy/crds/admission'])('has no stale files in %s', (dir) => {
    const onDisk = readdirSync(join(packageRoot(), dir)).filter((f) => f.endsWith('.yaml')).map((f) => `${dir}/${f}`);
    expect(onDisk.sort()).toEqual([...files.keys()].filter((p) => p.startsWith(`${dir}/`) && !p.slice(dir.length + 1).includes('/')).sort());
  });
});
