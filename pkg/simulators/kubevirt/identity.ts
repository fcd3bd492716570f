// The simulated KubeVirt acts as KubeVirt's own service account
// (kubevirt/kubevirt-controller), as virt-controller does: virt-api's
// admission lets only KubeVirt's service accounts change a VMI's spec or set
// its reserved kubevirt.io/ labels (vmi-update-admitter.go,
// ValidateVirtualMachineInstanceMetadata in vmi-create-admitter.go).
import { KubeConfig } from '@kubernetes/client-node';
import { kubevirtAccountToken } from '../../controlplane/kubevirt-account.js';
import type { Client } from '../../runtime/client/client.js';

const account = 'kubevirt-controller';

/** A kubeconfig for kubevirt/kubevirt-controller, made (with its account) through `admin`. */
export async function kubevirtControllerKubeConfig(admin: Client, adminConfig: KubeConfig): Promise<KubeConfig> {
  const token = await kubevirtAccountToken(admin, account, 'stratus-sim-kubevirt-controller');
  const cluster = adminConfig.getCurrentCluster()!;
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [cluster],
    users: [{ name: account, token }],
    contexts: [{ name: account, cluster: cluster.name, user: account }],
    currentContext: account,
  });
  return kc;
}
