// Installs CustomResourceDefinitions for the third-party APIs Stratus talks to
// (KubeVirt, CDI, Multus), shaped like the real projects' own, so the local
// plane serves the same groups, kinds, short names and subresources.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import { Client } from '../runtime/client/client.js';
import { RestClient } from '../runtime/client/rest-client.js';
import { installCrds } from '../kube/crds.js';
import type { KubeObject } from '../runtime/object.js';
import { packageRoot } from '../util/package-root.js';

export function fixtureCrdDir(): string {
  return join(packageRoot(), 'pkg', 'controlplane', 'fixtures');
}

export function loadFixtureCrds(): KubeObject[] {
  const dir = fixtureCrdDir();
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .flatMap((f) => parseAllDocuments(readFileSync(join(dir, f), 'utf8')).map((d) => d.toJS() as KubeObject))
    .filter((o) => o?.kind === 'CustomResourceDefinition');
}

export async function installFixtureCrds(kc: KubeConfig): Promise<void> {
  const rest = new RestClient(kc);
  try {
    await installCrds(new Client(rest, 'stratus-fixtures'), loadFixtureCrds());
  } finally {
    rest.close();
  }
}
