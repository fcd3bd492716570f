// /healthz, /readyz and Prometheus /metrics on one HTTP port.
import { createServer, type Server } from 'node:http';
import type { Registry } from 'prom-client';

export interface HealthServerOptions {
  /** "host:port"; port 0 picks a free one. */
  address: string;
  registry: Registry;
  live: () => boolean;
  ready: () => boolean;
}

export function parseAddress(address: string): { host: string; port: number } {
  const colon = address.lastIndexOf(':');
  const host = colon > 0 ? address.slice(0, colon) : '0.0.0.0';
  const port = Number(colon >= 0 ? address.slice(colon + 1) : address);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid address "${address}": want host:port`);
  return { host: host.replace(/^\[|\]$/g, ''), port };
}

export class HealthServer {
  private server?: Server;

  constructor(private readonly o: HealthServerOptions) {}

  async start(): Promise<number> {
    const { host, port } = parseAddress(this.o.address);
    this.server = createServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0];
      const probe = (ok: boolean): void => {
        res.writeHead(ok ? 200 : 503, { 'Content-Type': 'text/plain' }).end(ok ? 'ok' : 'not ready');
      };
      if (path === '/healthz' || path === '/livez') return probe(this.o.live());
      if (path === '/readyz') return probe(this.o.ready());
      if (path === '/metrics') {
        this.o.registry
          .metrics()
          .then((text) => res.writeHead(200, { 'Content-Type': this.o.registry.contentType }).end(text))
          .catch((err: unknown) => res.writeHead(500).end(String(err)));
        return;
      }
      res.writeHead(404).end('not found');
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, host, () => resolve());
    });
    const address = this.server.address();
    return typeof address === 'object' && address ? address.port : port;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }
}
