// The simulated KubeVirt acts as KubeVirt's own service account
// (kubevirt/kubevirt-controller), as virt-controller does: virt-api's
// admission lets only KubeVirt's service accounts change a VMI's spec or set
// its reserved kubevirt.io/ labels (vmi-update-admitter.go,
// ValidateVirtualMachineInstanceMetadata in vmi-create-admitter.go).
import { KubeConfig } from '@kubernetes/client-node';
import { ClusterRoleBindings, Namespaces, ServiceAccounts } from '../../kube/resources.js';
import type { Client } from '../../runtime/client/client.js';

const namespace = 'kubevirt';
const account = 'kubevirt-controller';

/** A kubeconfig for kubevirt/kubevirt-controller, made (with its account) through `admin`. */
export async function kubevirtControllerKubeConfig(admin: Client, adminConfig: KubeConfig): Promise<KubeConfig> {
  await admin.apply(Namespaces, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } }, { force: true });
  await admin.apply(ServiceAccounts, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: account, namespace } }, { force: true });
  // virt-controller and virt-handler between them touch nearly every kind; the simulator plays both.
  await admin.apply(
    ClusterRoleBindings,
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'stratus-sim-kubevirt-controller' },
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
  const cluster = adminConfig.getCurrentCluster()!;
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [cluster],
    users: [{ name: account, token: request.status.token }],
    contexts: [{ name: account, cluster: cluster.name, user: account }],
    currentContext: account,
  });
  return kc;
}
