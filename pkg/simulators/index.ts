// Simulators for what one machine cannot run: kubelet (with scheduler and
// Multus duties), storage provisioner, CDI, KubeVirt, metrics-server and a
// Gateway API implementation. Each runs as controllers against the API
// server, like the real component would.
import type { KubeConfig } from '@kubernetes/client-node';
import type { Logger } from 'winston';
import { silentLogger } from '../runtime/log/logger.js';
import { RestClient } from '../runtime/client/rest-client.js';
import { Manager } from '../runtime/manager/manager.js';
import { registerCdi, type CdiSimOptions } from './cdi/index.js';
import { registerKubelet, type KubeletSimOptions } from './kubelet/index.js';
import { kubevirtControllerKubeConfig } from './kubevirt/identity.js';
import { registerKubeVirt, type KubeVirtSimOptions } from './kubevirt/index.js';
import { registerStorage, type StorageSimOptions } from './storage/index.js';
import { registerMetrics, type MetricsSimOptions } from './metrics/index.js';
import { registerGateway, type GatewaySimOptions } from './gateway/index.js';

export interface SimulatorOptions {
  /** false switches a simulator off. */
  kubelet?: Partial<KubeletSimOptions> | false;
  storage?: Partial<StorageSimOptions> | false;
  cdi?: Partial<CdiSimOptions> | false;
  kubevirt?: Partial<KubeVirtSimOptions> | false;
  /** The metrics-server (metrics.k8s.io). */
  metrics?: Partial<MetricsSimOptions> | false;
  /** A Gateway API implementation, with a default GatewayClass and Gateway. */
  gateway?: Partial<GatewaySimOptions> | false;
  logger?: Logger;
}

export interface RunningSimulators {
  manager: Manager;
  stop(): Promise<void>;
}

export async function startSimulators(kubeConfig: KubeConfig, options: SimulatorOptions = {}): Promise<RunningSimulators> {
  const manager = new Manager({
    kubeConfig,
    logger: options.logger ?? silentLogger(),
    fieldManager: 'stratus-simulator',
    userAgent: 'stratus-simulator',
  });
  if (options.kubelet !== false) registerKubelet(manager, options.kubelet ?? {});
  if (options.storage !== false) registerStorage(manager, options.storage ?? {});
  if (options.cdi !== false) registerCdi(manager, options.cdi ?? {});
  // KubeVirt writes as its own service account, whom virt-api's admission trusts.
  const kubevirtRest = options.kubevirt !== false ? new RestClient(await kubevirtControllerKubeConfig(manager.client, kubeConfig), { userAgent: 'virt-controller' }) : undefined;
  if (kubevirtRest) registerKubeVirt(manager, kubevirtRest, options.kubevirt || {});
  if (options.metrics !== false) registerMetrics(manager, options.metrics ?? {});
  if (options.gateway !== false) registerGateway(manager, options.gateway ?? {});
  const controller = new AbortController();
  const running = manager.start(controller.signal);
  await manager.cache.waitForSync(controller.signal);
  return {
    manager,
    async stop() {
      controller.abort();
      await running;
      kubevirtRest?.close();
    },
  };
}
