// deploy/ as the cluster would get it: `kubectl kustomize deploy/`, with the
// kubectl the control plane was built with (its kustomize is what users of
// `kubectl apply -k` get).
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { locateBinaries } from '../../pkg/controlplane/binaries.js';
import type { KubeObject } from '../../pkg/meta/object.js';
import { packageRoot } from '../../pkg/util/package-root.js';

export const deployDir = join(packageRoot(), 'deploy');

export function kubectlBinary(): string {
  return process.env.STRATUS_TEST_KUBECTL ?? locateBinaries().kubectl;
}

/** The objects `kubectl kustomize DIR` renders. */
export function renderKustomization(dir: string): Promise<KubeObject[]> {
  return new Promise((resolve, reject) => {
    execFile(kubectlBinary(), ['kustomize', dir], { maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`kubectl kustomize ${dir} failed: ${stderr || err.message}`));
      resolve(parseAllDocuments(stdout).map((d) => d.toJS() as KubeObject));
    });
  });
}

let rendered: Promise<KubeObject[]> | undefined;

/** The objects `kubectl kustomize deploy/` renders (once per test file). */
export function renderDeploy(): Promise<KubeObject[]> {
  rendered ??= renderKustomization(deployDir);
  return rendered;
}

export function toYaml(objects: KubeObject[]): string {
  return objects.map((o) => stringify(o)).join('---\n');
}

export interface PolicyRule {
  apiGroups?: string[];
  resources?: string[];
  verbs: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

export type RoleObject = KubeObject & { rules: PolicyRule[] };
