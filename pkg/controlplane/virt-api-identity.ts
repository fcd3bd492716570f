// The identity the admission server runs as: virt-api's service account,
// kubevirt/kubevirt-apiserver. virt-api's webhooks trust KubeVirt's own
// service accounts with VMI status (the eviction webhook marks a VMI for
// evacuation through it, and the VMI mutator reverts status changes anyone
// else makes), so the server must be virt-api to behave like it.
import { writeFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { ClusterRoleBindings, Namespaces, ServiceAccounts } from '../kube/resources.js';
import type { Client } from '../runtime/client/client.js';

const namespace = 'kubevirt';
const account = 'kubevirt-apiserver';

/** Writes a kubeconfig for kubevirt/kubevirt-apiserver (made, with its account and binding, through `admin`) to `path`. */
export async function writeVirtApiKubeconfig(admin: Client, path: string, server: string, caPem: string): Promise<void> {
  await admin.apply(Namespaces, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } }, { force: true });
  await admin.apply(ServiceAccounts, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: account, namespace } }, { force: true });
  // virt-api reads VMs, VMIs, pods, DataSources, namespaces… and patches VMIs; KubeVirt's own role is wide too.
  await admin.apply(
    ClusterRoleBindings,
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'stratus-plane-kubevirt-apiserver' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
      subjects: [{ kind: 'ServiceAccount', name: account, namespace }],
    },
    { force: true },
  );
  const request = await admin.post<{ status: { token: string } }>(ServiceAccounts, namespace, account, 'token', {
    apiVersion: 'authentication.k8s.io/v1',
    kind: 'TokenRequest',
    spec: { expirationSeconds: 365 * 24 * 3600 },
  });
  const name = `${namespace}-${account}`;
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name, cluster: { server, 'certificate-authority-data': Buffer.from(caPem).toString('base64') } }],
    users: [{ name, user: { token: request.status.token } }],
    contexts: [{ name, context: { cluster: name, user: name } }],
    'current-context': name,
  };
  writeFileSync(path, stringify(config), { mode: 0o600 });
}
