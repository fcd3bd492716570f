// Writes pkg/contracts/*/generated/ and the CRD locks from the upstream CRDs
// (building them first if they are not in the cache). Part of `npm run generate`.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ensureUpstream, readObjects } from '../../controlplane/upstream.js';
import { packageRoot } from '../../util/package-root.js';
import { contractApis } from './apis.js';
import { contractFiles, crdsByName } from './files.js';

const upstream = await ensureUpstream((line) => process.stderr.write(`${line}\n`));
const files = await contractFiles(crdsByName(readObjects(upstream.crdDir)));
for (const api of contractApis) rmSync(join(packageRoot(), 'pkg', 'contracts', api.folder, 'generated'), { recursive: true, force: true });
for (const [path, content] of files) {
  const file = join(packageRoot(), path);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, content);
  process.stdout.write(`wrote ${path}\n`);
}
