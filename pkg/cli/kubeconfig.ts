// Loads the kubeconfig the way kubectl does: --kubeconfig, then $KUBECONFIG,
// then ~/.kube/config, then the in-cluster service account — and finally the
// one `stratus up` wrote in this folder (.stratus/kubeconfig).
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { UsageError } from './command.js';

export function loadKubeConfig(path?: string): KubeConfig {
  const kc = new KubeConfig();
  if (path) {
    if (!existsSync(path)) throw new UsageError(`--kubeconfig: ${path} does not exist`);
    kc.loadFromFile(path);
  } else if (process.env.KUBECONFIG || existsSync(join(homedir(), '.kube', 'config')) || process.env.KUBERNETES_SERVICE_HOST) {
    kc.loadFromDefault();
  } else if (existsSync('.stratus/kubeconfig')) {
    kc.loadFromFile('.stratus/kubeconfig');
  } else {
    throw new UsageError('no cluster: pass --kubeconfig, set KUBECONFIG, or run "stratus up" for a local one');
  }
  if (!kc.getCurrentCluster()) throw new UsageError('the kubeconfig has no current cluster (check its current-context)');
  return kc;
}
