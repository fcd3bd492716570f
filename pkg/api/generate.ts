// `npm run generate`: writes crds/*.yaml and pkg/api/types.generated.ts.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { packageRoot } from '../util/package-root.js';
import { generatedFiles } from './generated-files.js';

for (const [path, content] of generatedFiles()) {
  const file = join(packageRoot(), path);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, content);
  process.stdout.write(`wrote ${path}\n`);
}
