// Polls an HTTP(S) health endpoint until it answers 200 or time runs out.
import { request as httpsRequest } from 'node:https';
import { request as httpRequest } from 'node:http';
import { sleep } from '../util/sleep.js';

export interface TlsClientOptions {
  ca?: string;
  cert?: string;
  key?: string;
  /** Skip server verification (for components with self-signed serving certs). */
  insecure?: boolean;
}

export function getStatus(url: string, tls: TlsClientOptions = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const isHttps = url.startsWith('https:');
    const options = isHttps
      ? { ca: tls.ca, cert: tls.cert, key: tls.key, rejectUnauthorized: !tls.insecure, timeout: 5000 }
      : { timeout: 5000 };
    const req = (isHttps ? httpsRequest : httpRequest)(url, options, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error(`timeout waiting for ${url}`)));
    req.on('error', reject);
    req.end();
  });
}

export interface WaitHealthyOptions {
  url: string;
  tls?: TlsClientOptions;
  timeoutMs: number;
  /** Checked between attempts: a dead process fails at once instead of at the timeout. */
  stillRunning?: () => boolean;
  what: string;
}

export async function waitHealthy(o: WaitHealthyOptions): Promise<void> {
  const deadline = Date.now() + o.timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (o.stillRunning && !o.stillRunning()) throw new Error(`${o.what} exited while starting`);
    try {
      const { status, body } = await getStatus(o.url, o.tls);
      if (status === 200) return;
      last = `HTTP ${status}: ${body.slice(0, 500)}`;
    } catch (err) {
      last = err instanceof Error ? err.message : String(err);
    }
    await sleep(100);
  }
  throw new Error(`${o.what} not healthy after ${o.timeoutMs / 1000}s at ${o.url}: ${last}`);
}
