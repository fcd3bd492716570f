// Installs Stratus's CRDs (from crds/) and waits until they are served.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { Client } from '../runtime/client/client.js';
import { installCrds } from '../kube/crds.js';
import type { KubeObject } from '../runtime/object.js';
import { packageRoot } from '../util/package-root.js';

export function stratusCrds(): KubeObject[] {
  const dir = join(packageRoot(), 'crds');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => parse(readFileSync(join(dir, f), 'utf8')) as KubeObject);
}

export async function installStratusCrds(client: Client): Promise<void> {
  await installCrds(client, stratusCrds());
}
