// Writes kubeconfig files with the credentials embedded, so a kubeconfig stays
// usable on its own (kubectl, client-node, kube-controller-manager).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { stringify } from 'yaml';

export interface KubeconfigParams {
  server: string;
  caPem: string;
  clientCertPem: string;
  clientKeyPem: string;
  /** Names the cluster, user and context. */
  name: string;
}

const b64 = (s: string): string => Buffer.from(s).toString('base64');

export function kubeconfigYaml(p: KubeconfigParams): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: p.name, cluster: { server: p.server, 'certificate-authority-data': b64(p.caPem) } }],
    users: [
      { name: p.name, user: { 'client-certificate-data': b64(p.clientCertPem), 'client-key-data': b64(p.clientKeyPem) } },
    ],
    contexts: [{ name: p.name, context: { cluster: p.name, user: p.name } }],
    'current-context': p.name,
  });
}

export function writeKubeconfig(path: string, params: KubeconfigParams): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, kubeconfigYaml(params), { mode: 0o600 });
}
