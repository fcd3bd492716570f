// Installs Stratus's CRDs (from crds/), waits until they are served, and
// installs the admission policies that go with them: crds/admission/, and
// crds/admission/mutating/ where the cluster serves those, waiting until
// they are in effect.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import type { Client } from '../runtime/client/client.js';
import { installAdmissionPolicies, installMutatingPolicies, waitForFinalizerPolicies } from '../apply/admission-policies.js';
import { installCrds } from '../apply/crds.js';
import type { KubeObject } from '../meta/object.js';
import { finalizerProbes } from './admission/finalizer-probes.js';
import { packageRoot } from '../util/package-root.js';

export function stratusCrds(): KubeObject[] {
  const dir = join(packageRoot(), 'crds');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => parse(readFileSync(join(dir, f), 'utf8')) as KubeObject);
}

function manifestsIn(...path: string[]): KubeObject[] {
  const dir = join(packageRoot(), ...path);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .flatMap((f) => parseAllDocuments(readFileSync(join(dir, f), 'utf8')).map((d) => d.toJS() as KubeObject));
}

/** The ValidatingAdmissionPolicies and their bindings. */
export function stratusAdmissionPolicies(): KubeObject[] {
  return manifestsIn('crds', 'admission');
}

/** The MutatingAdmissionPolicies (Kubernetes 1.36 or later) and their bindings: the finalizers, put on at creation. */
export function stratusMutatingPolicies(): KubeObject[] {
  return manifestsIn('crds', 'admission', 'mutating');
}

export async function installStratusCrds(client: Client): Promise<void> {
  await installCrds(client, stratusCrds());
  await installAdmissionPolicies(client, stratusAdmissionPolicies());
  if (await installMutatingPolicies(client, stratusMutatingPolicies())) await waitForFinalizerPolicies(client, finalizerProbes('default'));
}
