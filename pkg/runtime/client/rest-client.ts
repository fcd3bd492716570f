// A small REST client for the Kubernetes API, given a cluster's address and
// credentials: client-node's KubeConfig, or Stratus's own reading of a
// kubeconfig (pkg/cli/kubeconfig.ts).
//
// client-node's generated clients default PATCH to JSON-patch and its object
// API to strategic merge (which custom resources reject with 415), and its
// watch cannot be watched for stalls; talking HTTP directly keeps content
// types, timeouts and streaming under our control.
import { Agent, request, type RequestOptions as HttpsRequestOptions } from 'node:https';
import { request as httpRequest, Agent as HttpAgent, type IncomingMessage } from 'node:http';
import { ApiError, type StatusBody } from './api-error.js';

export type Query = Record<string, string | number | boolean | undefined>;

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  /** Defaults to application/json when there is a body. */
  contentType?: string;
  signal?: AbortSignal;
  /** Whole-request timeout; default 60 s. Watches use `stream` instead. */
  timeoutMs?: number;
}

/** Observes every API request: for Prometheus metrics. */
export type RequestObserver = (verb: string, code: number, seconds: number, resource: string) => void;

export interface RestClientOptions {
  userAgent?: string;
  observer?: RequestObserver;
  /** Concurrent connections to the apiserver; default 100. */
  maxSockets?: number;
}

function verbOf(method: string, query: Query | undefined, path: string): string {
  switch (method) {
    case 'GET':
      if (query?.watch) return 'watch';
      // A collection path ends in the plural; an object path has one more segment.
      return isCollectionPath(path) ? 'list' : 'get';
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return 'delete';
    default:
      return method.toLowerCase();
  }
}

function isCollectionPath(path: string): boolean {
  const parts = path.split('?')[0]!.split('/').filter(Boolean);
  // /api/v1/<res> | /api/v1/namespaces/<ns>/<res> | /apis/<g>/<v>/<res> | /apis/<g>/<v>/namespaces/<ns>/<res>
  const afterVersion = parts[0] === 'api' ? parts.slice(2) : parts.slice(3);
  if (afterVersion[0] === 'namespaces' && afterVersion.length === 3) return true;
  return afterVersion.length === 1;
}

/**
 * The resource a request path addresses, as "<group>/<resource>[/<subresource>]"
 * ("" for the core group): "apps/deployments", "/pods/status",
 * "stratus.dev/virtualmachines/scale"; "" for other paths (discovery).
 */
export function resourceOf(path: string): string {
  const parts = path.split('?')[0]!.split('/').filter(Boolean);
  let group: string;
  let rest: string[];
  if (parts[0] === 'api') [group, rest] = ['', parts.slice(2)];
  else if (parts[0] === 'apis') [group, rest] = [parts[1] ?? '', parts.slice(3)];
  else return '';
  // A namespace object itself is /api/v1/namespaces/<ns>; anything under it is namespaced.
  if (rest[0] === 'namespaces' && rest.length > 2) rest = rest.slice(2);
  const [resource, , subresource] = rest;
  if (!resource) return '';
  return `${group}/${resource}${subresource ? `/${subresource}` : ''}`;
}

export function encodeQuery(query: Query | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined) params.set(k, String(v));
  const s = params.toString();
  return s ? `?${s}` : '';
}

/** What the client needs of a kubeconfig (client-node's KubeConfig has it). */
export interface ClusterAccess {
  getCurrentCluster(): { server: string } | null;
  /** Puts the TLS material and the (possibly refreshed) auth headers on the options. */
  applyToHTTPSOptions(options: HttpsRequestOptions): Promise<void>;
}

export class RestClient {
  readonly server: string;
  private readonly kc: ClusterAccess;
  private readonly options: RestClientOptions;
  private agent?: Agent | HttpAgent;
  private readonly secure: boolean;

  constructor(kc: ClusterAccess, options: RestClientOptions = {}) {
    const cluster = kc.getCurrentCluster();
    if (!cluster) throw new Error('kubeconfig has no current cluster');
    this.kc = kc;
    this.server = cluster.server.replace(/\/+$/, '');
    this.secure = this.server.startsWith('https:');
    this.options = options;
  }

  /**
   * The credentials (TLS material and headers) come with every call, and
   * client-node's a new Agent too; connections are only reused
   * through one keep-alive Agent, so the TLS material goes there, once, and
   * each request takes only the (possibly refreshed) headers.
   */
  private async httpOptions(method: string, headers: Record<string, string>): Promise<HttpsRequestOptions> {
    const credentials: HttpsRequestOptions = { headers: {} };
    await this.kc.applyToHTTPSOptions(credentials);
    if (!this.agent) {
      const { ca, cert, key, pfx, passphrase, rejectUnauthorized, servername } = credentials;
      const agentOptions = { keepAlive: true, maxSockets: this.options.maxSockets ?? 100 };
      this.agent = this.secure ? new Agent({ ...agentOptions, ca, cert, key, pfx, passphrase, rejectUnauthorized, servername }) : new HttpAgent(agentOptions);
    }
    const merged: Record<string, string> = { ...(credentials.headers as Record<string, string>), ...headers };
    if (credentials.auth) merged.Authorization = `Basic ${Buffer.from(credentials.auth).toString('base64')}`;
    if (this.options.userAgent) merged['User-Agent'] = this.options.userAgent;
    return { method, headers: merged, agent: this.agent };
  }

  /** Sends a request and parses the JSON answer; non-2xx answers throw ApiError. */
  async request<T = unknown>(method: string, path: string, o: RequestOptions = {}): Promise<T> {
    return this.requestWithHeaders<T>(method, path, { Accept: 'application/json' }, o);
  }

  /** Like request, with explicit headers (e.g. the discovery v2 Accept type). */
  async requestWithHeaders<T = unknown>(method: string, path: string, extraHeaders: Record<string, string>, o: RequestOptions = {}): Promise<T> {
    const verb = verbOf(method, o.query, path);
    const started = performance.now();
    const headers: Record<string, string> = { ...extraHeaders };
    let payload: string | undefined;
    if (o.body !== undefined) {
      payload = typeof o.body === 'string' ? o.body : JSON.stringify(o.body);
      headers['Content-Type'] = o.contentType ?? 'application/json';
      // Node sends a DELETE body neither chunked nor sized unless told its length.
      headers['Content-Length'] = String(Buffer.byteLength(payload));
    }
    const opts = await this.httpOptions(method, headers);
    const url = this.server + path + encodeQuery(o.query);
    let code = 0;
    try {
      const res = await this.send(url, opts, payload, o.signal, o.timeoutMs ?? 60_000);
      code = res.status;
      const body = res.body ? (JSON.parse(res.body) as unknown) : undefined;
      if (res.status < 200 || res.status >= 300) {
        throw new ApiError(verb, path, res.status, (body ?? {}) as StatusBody);
      }
      return body as T;
    } finally {
      this.options.observer?.(verb, code, (performance.now() - started) / 1000, resourceOf(path));
    }
  }

  private send(
    url: string,
    opts: HttpsRequestOptions,
    payload: string | undefined,
    signal: AbortSignal | undefined,
    timeoutMs: number,
  ): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const req = (this.secure ? request : httpRequest)(url, { ...opts, signal }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      req.setTimeout(timeoutMs, () => req.destroy(new Error(`timeout after ${timeoutMs} ms: ${opts.method} ${url}`)));
      req.on('error', reject);
      req.end(payload);
    });
  }

  /**
   * Opens a streaming GET (a watch). The caller reads the response and
   * destroys it when done; a non-2xx answer throws ApiError.
   */
  async stream(path: string, query: Query, signal?: AbortSignal, headersTimeoutMs = 30_000): Promise<IncomingMessage> {
    const opts = await this.httpOptions('GET', { Accept: 'application/json' });
    const url = this.server + path + encodeQuery(query);
    const started = performance.now();
    return new Promise((resolve, reject) => {
      const req = (this.secure ? request : httpRequest)(url, { ...opts, signal }, (res) => {
        // Headers arrived; from here on the caller watches the stream itself.
        req.setTimeout(0);
        const code = res.statusCode ?? 0;
        this.options.observer?.('watch', code, (performance.now() - started) / 1000, resourceOf(path));
        if (code >= 200 && code < 300) return resolve(res);
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          let body: StatusBody = {};
          try {
            body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as StatusBody;
          } catch {
            // Not a Status object; the code alone tells.
          }
          reject(new ApiError('watch', path, code, body));
        });
      });
      req.setTimeout(headersTimeoutMs, () => req.destroy(new Error(`no answer within ${headersTimeoutMs} ms: GET ${url}`)));
      req.on('error', reject);
      req.end();
    });
  }

  /** Closes idle keep-alive connections (for a clean process exit). */
  close(): void {
    this.agent?.destroy();
  }
}
