// The identity the admission server runs as: virt-api's service account,
// kubevirt/kubevirt-apiserver. virt-api's webhooks trust KubeVirt's own
// service accounts with VMI status (the eviction webhook marks a VMI for
// evacuation through it, and the VMI mutator reverts status changes anyone
// else makes), so the server must be virt-api to behave like it.
import { writeFileSync } from 'node:fs';
import { stringify } from 'yaml';
import type { Client } from '../runtime/client/client.js';
import { kubevirtAccountToken, kubevirtNamespace } from './kubevirt-account.js';

const account = 'kubevirt-apiserver';

/** Writes a kubeconfig for kubevirt/kubevirt-apiserver (made, with its account and binding, through `admin`) to `path`. */
export async function writeVirtApiKubeconfig(admin: Client, path: string, server: string, caPem: string): Promise<void> {
  const token = await kubevirtAccountToken(admin, account, 'stratus-plane-kubevirt-apiserver');
  const name = `${kubevirtNamespace}-${account}`;
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name, cluster: { server, 'certificate-authority-data': Buffer.from(caPem).toString('base64') } }],
    users: [{ name, user: { token } }],
    contexts: [{ name, context: { cluster: name, user: name } }],
    'current-context': name,
  };
  writeFileSync(path, stringify(config), { mode: 0o600 });
}
