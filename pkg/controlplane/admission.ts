// Admission as on a real cluster: stratus-admission serves virt-api's
// webhooks (KubeVirt's own validating and mutating code, built from the
// pinned module), and the plane registers them under virt-api's webhook
// configurations, with the server's URL and CA where a cluster names the
// virt-api Service.
import type { KubeObject } from '../meta/object.js';

interface WebhookClientConfig {
  service?: { namespace: string; name: string; path?: string; port?: number };
  url?: string;
  caBundle?: string;
}

interface WebhookConfiguration extends KubeObject {
  webhooks?: { name: string; clientConfig: WebhookClientConfig }[];
}

/** The configurations pointed at `baseUrl` (https://127.0.0.1:PORT), trusting `caPem`. */
export function pointWebhooksAt(configurations: KubeObject[], baseUrl: string, caPem: string): KubeObject[] {
  const caBundle = Buffer.from(caPem).toString('base64');
  return configurations.map((c) => {
    const config = c as WebhookConfiguration;
    return {
      ...config,
      webhooks: (config.webhooks ?? []).map((w) => {
        const path = w.clientConfig.service?.path;
        if (!path) throw new Error(`${config.kind} ${config.metadata.name}: webhook ${w.name} names no service path`);
        return { ...w, clientConfig: { url: `${baseUrl}${path}`, caBundle } };
      }),
    } as KubeObject;
  });
}

export function admissionArgs(o: { kubeconfig: string; cert: string; key: string; port: number }): string[] {
  return [`--kubeconfig=${o.kubeconfig}`, `--cert=${o.cert}`, `--key=${o.key}`, `--listen=127.0.0.1:${o.port}`];
}
