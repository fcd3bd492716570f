// Registers the simulated metrics-server with the apiserver's aggregation
// layer: an APIService for v1beta1.metrics.k8s.io pointing at an
// ExternalName Service that resolves to this process.
import { APIServices, ConfigMaps, Nodes, Pods, Services } from '../../kube/resources.js';
import { Client } from '../../runtime/client/client.js';
import type { Manager } from '../../runtime/manager/manager.js';
import { createCertificateAuthority, issueCertificate } from '../../controlplane/pki.js';
import { MetricsServer, defaultMetricsOptions, type MetricsSimOptions } from './server.js';

export { realisticMetrics, type MetricsSimOptions } from './server.js';

const namespace = 'kube-system';
const serviceName = 'metrics-server';

async function register(client: Client, port: number, caPem: string): Promise<void> {
  await client.apply(
    Services,
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: serviceName, namespace, labels: { 'k8s-app': 'metrics-server' } },
      spec: { type: 'ExternalName', externalName: 'localhost', ports: [{ name: 'https', port, protocol: 'TCP' }] },
    },
    { force: true },
  );
  await client.apply(
    APIServices,
    {
      apiVersion: 'apiregistration.k8s.io/v1',
      kind: 'APIService',
      metadata: { name: 'v1beta1.metrics.k8s.io', labels: { 'k8s-app': 'metrics-server' } },
      spec: {
        group: 'metrics.k8s.io',
        version: 'v1beta1',
        service: { namespace, name: serviceName, port },
        caBundle: Buffer.from(caPem).toString('base64'),
        groupPriorityMinimum: 100,
        versionPriority: 100,
      },
    },
    { force: true },
  );
}

export function registerMetrics(mgr: Manager, options: Partial<MetricsSimOptions> = {}): void {
  mgr.cache.informer(Pods);
  mgr.cache.informer(Nodes);
  mgr.cache.informer(ConfigMaps);
  mgr.addRunnable({
    name: 'metrics-server',
    needLeaderElection: false,
    start: async (signal) => {
      const ca = await createCertificateAuthority('stratus-sim-metrics-ca');
      // The aggregator checks the certificate against the Service's DNS name.
      const serving = await issueCertificate(ca, {
        commonName: 'metrics-server',
        usage: 'server',
        dnsNames: [`${serviceName}.${namespace}.svc`, 'localhost'],
        ipAddresses: ['127.0.0.1'],
      });
      const server = new MetricsServer(mgr.cache, { cert: serving.certPem, key: serving.keyPem }, { ...defaultMetricsOptions, ...options });
      const port = await server.start();
      try {
        await register(new Client(mgr.rest, 'metrics-server'), port, ca.certPem);
        await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
      } finally {
        await server.stop();
      }
    },
  });
}
