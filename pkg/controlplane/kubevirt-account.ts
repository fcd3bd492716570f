// A token for one of KubeVirt's own service accounts in namespace kubevirt,
// bound to cluster-admin: the embedded plane's stand-ins for virt-api and
// virt-controller act as those accounts, because KubeVirt's admission trusts
// only them with VMI spec and status changes.
import { ClusterRoleBindings, Namespaces, ServiceAccounts } from '../kube/resources.js';
import type { Client } from '../runtime/client/client.js';

export const kubevirtNamespace = 'kubevirt';

/** Makes the account (and its binding, named `binding`) through `admin`; returns a year-long token. */
export async function kubevirtAccountToken(admin: Client, account: string, binding: string): Promise<string> {
  await admin.apply(Namespaces, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: kubevirtNamespace } }, { force: true });
  await admin.apply(ServiceAccounts, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: account, namespace: kubevirtNamespace } }, { force: true });
  // KubeVirt's own roles are wide too: between them its components touch nearly every kind.
  await admin.apply(
    ClusterRoleBindings,
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: binding },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
      subjects: [{ kind: 'ServiceAccount', name: account, namespace: kubevirtNamespace }],
    },
    { force: true },
  );
  const request = await admin.post<{ status: { token: string } }>(ServiceAccounts, kubevirtNamespace, account, 'token', {
    apiVersion: 'authentication.k8s.io/v1',
    kind: 'TokenRequest',
    spec: { expirationSeconds: 365 * 24 * 3600 },
  });
  return request.status.token;
}
