// Loads the kubeconfig the way kubectl does: --kubeconfig, then $KUBECONFIG
// (a list of files; the first to set a name or the current context wins),
// then ~/.kube/config, then the in-cluster service account — and finally
// the one `stratus up` wrote in this folder (.stratus/kubeconfig).
//
// Certificates, tokens and token files (the service account's, re-read as
// the kubelet rotates it) are read here. Only a user with an `exec` or
// `auth-provider` plugin is handed to client-node's KubeConfig, imported
// then: importing client-node loads all its generated API models, about
// 65 MB of the operator's memory (bench/scale.ts measures the operator).
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, isAbsolute, join } from 'node:path';
import type { RequestOptions } from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import { isIPv6 } from 'node:net';
import { parse } from 'yaml';
import type { ClusterAccess } from '../runtime/client/rest-client.js';
import { UsageError } from './command.js';

const serviceAccount = '/var/run/secrets/kubernetes.io/serviceaccount';
/** How long a token read from a file is used before it is read again (client-go's is a minute too). */
const tokenFileTtlMs = 60_000;

interface Cluster {
  server: string;
  'certificate-authority'?: string;
  'certificate-authority-data'?: string;
  'insecure-skip-tls-verify'?: boolean;
  'tls-server-name'?: string;
}

interface User {
  'client-certificate'?: string;
  'client-certificate-data'?: string;
  'client-key'?: string;
  'client-key-data'?: string;
  token?: string;
  tokenFile?: string;
  username?: string;
  password?: string;
  exec?: unknown;
  'auth-provider'?: unknown;
}

interface Merged {
  currentContext?: string;
  clusters: Map<string, Cluster>;
  users: Map<string, User>;
  contexts: Map<string, { cluster: string; user: string }>;
}

/** Makes a file path in a kubeconfig absolute: relative ones are relative to the kubeconfig's folder. */
function resolvePaths<T extends object>(entry: T, keys: (keyof T)[], dir: string): T {
  const out = { ...entry };
  for (const k of keys) {
    const p = out[k];
    if (typeof p === 'string' && p && !isAbsolute(p)) out[k] = join(dir, p) as T[keyof T];
  }
  return out;
}

/** A kubeconfig list's entries (`- name: …, cluster: {…}`), as name and value. */
function entries<T>(list: unknown, field: string): { name: string; value: T }[] {
  return (Array.isArray(list) ? list : []).flatMap((e: Record<string, unknown>) => (e && typeof e.name === 'string' && e[field] ? [{ name: e.name, value: e[field] as T }] : []));
}

/** The first file to name an entry wins. */
function addNew<T>(into: Map<string, T>, list: { name: string; value: T }[], fix: (value: T) => T): void {
  for (const { name, value } of list) if (!into.has(name)) into.set(name, fix(value));
}

function merge(files: string[]): Merged {
  const merged: Merged = { clusters: new Map(), users: new Map(), contexts: new Map() };
  for (const file of files) {
    let doc: Record<string, unknown>;
    try {
      doc = (parse(readFileSync(file, 'utf8')) as Record<string, unknown> | null) ?? {};
    } catch (err) {
      throw new UsageError(`kubeconfig ${file}: ${(err as Error).message}`);
    }
    const dir = dirname(file);
    merged.currentContext ??= (doc['current-context'] as string | undefined) || undefined;
    addNew(merged.clusters, entries<Cluster>(doc.clusters, 'cluster'), (c) => resolvePaths(c, ['certificate-authority'], dir));
    addNew(merged.users, entries<User>(doc.users, 'user'), (u) => resolvePaths(u, ['client-certificate', 'client-key', 'tokenFile'], dir));
    addNew(merged.contexts, entries<{ cluster: string; user: string }>(doc.contexts, 'context'), (c) => c);
  }
  return merged;
}

/** Data given inline (base64) or in a file. */
function material(data: string | undefined, file: string | undefined): Buffer | undefined {
  if (data) return Buffer.from(data, 'base64');
  if (file) return readFileSync(file);
  return undefined;
}

/** A token from a file, read again once it is older than the TTL. */
function fileToken(file: string): () => string {
  let cached: { token: string; at: number } | undefined;
  return () => {
    if (!cached || Date.now() - cached.at >= tokenFileTtlMs) cached = { token: readFileSync(file, 'utf8').trim(), at: Date.now() };
    return cached.token;
  };
}

/** A cluster and the user talking to it, with credentials of its own (no plugin). */
class StaticAccess implements ClusterAccess {
  private readonly tls: Pick<RequestOptions, 'ca' | 'cert' | 'key' | 'servername' | 'rejectUnauthorized'>;
  private readonly token?: () => string;
  private readonly basic?: string;

  constructor(private readonly cluster: Cluster, user: User) {
    this.tls = {
      ca: material(cluster['certificate-authority-data'], cluster['certificate-authority']),
      cert: material(user['client-certificate-data'], user['client-certificate']),
      key: material(user['client-key-data'], user['client-key']),
      ...(cluster['tls-server-name'] ? { servername: cluster['tls-server-name'] } : {}),
      ...(cluster['insecure-skip-tls-verify'] ? { rejectUnauthorized: false } : {}),
    };
    if (user.token) this.token = () => user.token!;
    else if (user.tokenFile) this.token = fileToken(user.tokenFile);
    if (user.username) this.basic = `${user.username}:${user.password ?? ''}`;
  }

  getCurrentCluster(): { server: string } {
    return { server: this.cluster.server };
  }

  async applyToHTTPSOptions(options: RequestOptions): Promise<void> {
    for (const [k, v] of Object.entries(this.tls)) if (v !== undefined) (options as Record<string, unknown>)[k] = v;
    if (this.token) options.headers = { ...options.headers, Authorization: `Bearer ${this.token()}` };
    if (this.basic) options.auth = this.basic;
  }
}

/** A user with an exec or auth-provider plugin: client-node's KubeConfig runs it, loaded from the same place. */
class PluginAccess implements ClusterAccess {
  private loaded?: Promise<ClusterAccess>;

  constructor(
    private readonly server: string,
    private readonly load: (kc: KubeConfig) => void,
  ) {}

  getCurrentCluster(): { server: string } {
    return { server: this.server };
  }

  async applyToHTTPSOptions(options: RequestOptions): Promise<void> {
    this.loaded ??= import('@kubernetes/client-node').then(({ KubeConfig }) => {
      const kc = new KubeConfig();
      this.load(kc);
      return kc;
    });
    await (await this.loaded).applyToHTTPSOptions(options);
  }
}

function inCluster(): ClusterAccess {
  const host = process.env.KUBERNETES_SERVICE_HOST!;
  const port = process.env.KUBERNETES_SERVICE_PORT ?? '443';
  const server = `https://${isIPv6(host) ? `[${host}]` : host}:${port}`;
  return new StaticAccess({ server, 'certificate-authority': `${serviceAccount}/ca.crt` }, { tokenFile: `${serviceAccount}/token` });
}

function fromFiles(files: string[], load: (kc: KubeConfig) => void): ClusterAccess {
  const config = merge(files);
  const context = config.currentContext ? config.contexts.get(config.currentContext) : undefined;
  const cluster = context ? config.clusters.get(context.cluster) : undefined;
  if (!cluster?.server) throw new UsageError('the kubeconfig has no current cluster (check its current-context)');
  const user = config.users.get(context!.user) ?? {};
  if (user.exec || user['auth-provider']) return new PluginAccess(cluster.server, load);
  return new StaticAccess(cluster, user);
}

export function loadKubeConfig(path?: string): ClusterAccess {
  if (path) {
    if (!existsSync(path)) throw new UsageError(`--kubeconfig: ${path} does not exist`);
    return fromFiles([path], (kc) => kc.loadFromFile(path));
  }
  if (process.env.KUBECONFIG) {
    // As kubectl: files on the list that do not exist are skipped.
    const listed = process.env.KUBECONFIG.split(delimiter).filter((f) => f && existsSync(f));
    if (!listed.length) throw new UsageError(`KUBECONFIG: none of ${process.env.KUBECONFIG} exists`);
    return fromFiles(listed, (kc) => kc.loadFromDefault());
  }
  const home = join(homedir(), '.kube', 'config');
  if (existsSync(home)) return fromFiles([home], (kc) => kc.loadFromFile(home));
  if (process.env.KUBERNETES_SERVICE_HOST && existsSync(`${serviceAccount}/token`)) return inCluster();
  if (existsSync('.stratus/kubeconfig')) return fromFiles(['.stratus/kubeconfig'], (kc) => kc.loadFromFile('.stratus/kubeconfig'));
  throw new UsageError('no cluster: pass --kubeconfig, set KUBECONFIG, or run "stratus up" for a local one');
}
