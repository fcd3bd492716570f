// Starts and stops a real Kubernetes control plane on this machine: etcd,
// kube-apiserver and kube-controller-manager, built from the upstream modules,
// serving the third-party APIs Stratus drives with their upstream CRDs and
// KubeVirt's and CDI's admission webhooks (hack/upstream).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { freePort } from '../util/ports.js';
import { ensureBinaries, type ControlPlaneBinaries } from './binaries.js';
import { etcdArgs, kubeApiserverArgs, kubeControllerManagerArgs, type EtcdPorts } from './components.js';
import { getStatus, waitHealthy } from './health.js';
import { ManagedProcess } from './managed-process.js';
import { ensureAdmissionPki, ensurePki, readPem, type PkiFiles } from './pki-files.js';
import { kubeconfigYaml, writeKubeconfig } from './kubeconfig.js';
import { admissionArgs, pointWebhooksAt } from './admission.js';
import { ensureUpstream, readObjects, type UpstreamApis } from './upstream.js';
import { Client } from '../runtime/client/client.js';
import { RestClient } from '../runtime/client/rest-client.js';
import { installCrds } from '../apply/crds.js';
import { writeVirtApiKubeconfig } from './virt-api-identity.js';
import { MutatingWebhookConfigurations, ValidatingWebhookConfigurations } from '../kube/resources.js';

export interface ControlPlaneOptions {
  /**
   * Folder for etcd data, certificates and logs. When set, it is kept after
   * stop and reused by the next start; when unset, a temporary folder is used
   * and removed on stop.
   */
  stateDir?: string;
  /** Also write the admin kubeconfig here (e.g. `.stratus/kubeconfig`). */
  kubeconfigPath?: string;
  /** Receives progress lines (the first build, each component's start). */
  onProgress?: (line: string) => void;
  /** Called when a component exits without being asked to. */
  onUnexpectedExit?: (component: string, code: number | null) => void;
  /**
   * Whether to serve the third-party APIs (KubeVirt, CDI, Multus, CSI
   * snapshots, Gateway API) with their upstream CRDs, and KubeVirt's
   * and CDI's admission webhooks. Default true.
   */
  thirdPartyApis?: boolean;
  startTimeoutMs?: number;
}

interface Ports extends EtcdPorts {
  apiserver: number;
  controllerManager: number;
  admission: number;
}

export class ControlPlane {
  private readonly options: ControlPlaneOptions;
  private readonly ownsStateDir: boolean;
  readonly dir: string;
  private binaries?: ControlPlaneBinaries;
  private pki?: PkiFiles;
  private ports?: Ports;
  private etcd?: ManagedProcess;
  private apiserver?: ManagedProcess;
  private controllerManager?: ManagedProcess;
  private admission?: ManagedProcess;
  private upstream?: UpstreamApis;
  private stopping = false;

  constructor(options: ControlPlaneOptions = {}) {
    this.options = options;
    this.ownsStateDir = options.stateDir === undefined;
    this.dir = options.stateDir ?? mkdtempSync(join(tmpdir(), 'stratus-'));
    mkdirSync(join(this.dir, 'logs'), { recursive: true });
  }

  private progress(line: string): void {
    this.options.onProgress?.(line);
  }

  /** The apiserver's URL, e.g. https://127.0.0.1:41234. */
  get server(): string {
    if (!this.ports) throw new Error('control plane not started');
    return `https://127.0.0.1:${this.ports.apiserver}`;
  }

  get etcdUrl(): string {
    if (!this.ports) throw new Error('control plane not started');
    return `http://127.0.0.1:${this.ports.client}`;
  }

  get adminKubeconfigPath(): string {
    return join(this.dir, 'admin.kubeconfig');
  }

  get version(): { kubernetes: string; etcd: string } {
    if (!this.binaries) throw new Error('control plane not started');
    return { kubernetes: this.binaries.kubernetesVersion, etcd: this.binaries.etcdVersion };
  }

  /** A client-node KubeConfig for the admin identity. */
  kubeConfig(): KubeConfig {
    const kc = new KubeConfig();
    kc.loadFromFile(this.adminKubeconfigPath);
    return kc;
  }

  async start(): Promise<void> {
    const timeout = this.options.startTimeoutMs ?? 90_000;
    const began = Date.now();
    this.binaries = await ensureBinaries((line) => this.progress(line));
    if (this.options.thirdPartyApis !== false) this.upstream = await ensureUpstream((line) => this.progress(line));
    this.pki = await ensurePki(join(this.dir, 'pki'));
    this.ports = await this.choosePorts();

    this.progress(`starting etcd ${this.binaries.etcdVersion}`);
    await this.startEtcd(timeout);
    this.progress(`starting kube-apiserver ${this.binaries.kubernetesVersion}`);
    await this.startApiserver(timeout);
    this.writeKubeconfigs();
    this.progress('starting kube-controller-manager');
    await this.startControllerManager(timeout);
    if (this.upstream) await this.serveThirdPartyApis(this.upstream, timeout);
    this.progress(`control plane ready at ${this.server} in ${((Date.now() - began) / 1000).toFixed(1)}s`);
  }

  /** Ports are remembered in the state folder so a kept plane comes back where it was. */
  private async choosePorts(): Promise<Ports> {
    const file = join(this.dir, 'ports.json');
    const previous: Partial<Ports> = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Partial<Ports>) : {};
    const ports: Ports = {
      client: await freePort(previous.client),
      peer: await freePort(previous.peer),
      apiserver: await freePort(previous.apiserver),
      controllerManager: await freePort(previous.controllerManager),
      admission: await freePort(previous.admission),
    };
    writeFileSync(file, JSON.stringify(ports));
    return ports;
  }

  private launch(name: string, command: string, args: string[]): ManagedProcess {
    const proc = new ManagedProcess({ name, command, args, logFile: join(this.dir, 'logs', `${name}.log`) });
    void proc.whenExited().then((code) => {
      if (!this.stopping && this.isCurrent(proc)) this.options.onUnexpectedExit?.(name, code);
    });
    return proc;
  }

  private isCurrent(proc: ManagedProcess): boolean {
    return proc === this.etcd || proc === this.apiserver || proc === this.controllerManager || proc === this.admission;
  }

  private async waitFor(proc: ManagedProcess, url: string, timeoutMs: number, tls = {}): Promise<void> {
    try {
      await waitHealthy({ url, tls, timeoutMs, stillRunning: () => proc.running, what: proc.name });
    } catch (err) {
      const detail = err instanceof Error ? err.message : String(err);
      throw new Error(`${detail}\n--- last lines of ${proc.logFile} ---\n${proc.logTail()}`);
    }
  }

  private async startEtcd(timeoutMs: number): Promise<void> {
    const ports = this.ports!;
    this.etcd = this.launch('etcd', this.binaries!.etcd, etcdArgs(join(this.dir, 'etcd'), ports));
    await this.waitFor(this.etcd, `http://127.0.0.1:${ports.client}/health`, timeoutMs);
  }

  /** Starts (or, after stopApiserver, restarts) kube-apiserver on the same port. */
  async startApiserver(timeoutMs = 90_000): Promise<void> {
    const pki = this.pki!;
    this.apiserver = this.launch(
      'kube-apiserver',
      this.binaries!.kubeApiserver,
      kubeApiserverArgs(pki, this.ports!.client, this.ports!.apiserver),
    );
    await this.waitFor(this.apiserver, `${this.server}/readyz`, timeoutMs, this.adminTls());
  }

  /** Stops only kube-apiserver (for tests of how clients survive an outage). */
  async stopApiserver(): Promise<void> {
    const proc = this.apiserver;
    this.apiserver = undefined;
    await proc?.stop();
  }

  private async startControllerManager(timeoutMs: number): Promise<void> {
    const pki = this.pki!;
    const kubeconfig = join(this.dir, 'controller-manager.kubeconfig');
    this.controllerManager = this.launch(
      'kube-controller-manager',
      this.binaries!.kubeControllerManager,
      kubeControllerManagerArgs(pki, kubeconfig, this.ports!.controllerManager),
    );
    await this.waitFor(this.controllerManager, `https://127.0.0.1:${this.ports!.controllerManager}/healthz`, timeoutMs, {
      insecure: true,
    });
  }

  /**
   * The upstream CRDs, then KubeVirt's and CDI's webhooks: the admission server's
   * informers need the CRDs served, and its webhooks are registered only once
   * it answers, so no request meets a webhook that is not there yet.
   */
  private async serveThirdPartyApis(upstream: UpstreamApis, timeoutMs: number): Promise<void> {
    const rest = new RestClient(this.kubeConfig());
    try {
      const client = new Client(rest, 'stratus-controlplane');
      const crds = [...readObjects(upstream.crdDir).values()];
      this.progress(`installing ${crds.length} upstream CRDs (KubeVirt, CDI, Multus, CSI snapshots, Gateway API)`);
      await installCrds(client, crds, timeoutMs);
      const pki = await ensureAdmissionPki(join(this.dir, 'pki'));
      const port = this.ports!.admission;
      this.progress('starting the KubeVirt and CDI admission webhooks');
      const kubeconfig = join(this.dir, 'virt-api.kubeconfig');
      await writeVirtApiKubeconfig(client, kubeconfig, this.server, readPem(this.pki!.caCert));
      this.admission = this.launch('stratus-admission', upstream.admissionServer, admissionArgs({ kubeconfig, cert: pki.cert, key: pki.key, port }));
      await this.waitFor(this.admission, `https://127.0.0.1:${port}/healthz`, timeoutMs, { ca: readPem(pki.caCert) });
      for (const config of pointWebhooksAt([...readObjects(upstream.admissionDir).values()], `https://127.0.0.1:${port}`, readPem(pki.caCert))) {
        const type = config.kind === 'MutatingWebhookConfiguration' ? MutatingWebhookConfigurations : ValidatingWebhookConfigurations;
        await client.apply(type, config, { force: true });
      }
    } finally {
      rest.close();
    }
  }

  private adminTls(): { ca: string; cert: string; key: string } {
    const pki = this.pki!;
    return { ca: readPem(pki.caCert), cert: readPem(pki.adminCert), key: readPem(pki.adminKey) };
  }

  private writeKubeconfigs(): void {
    const pki = this.pki!;
    const ca = readPem(pki.caCert);
    const admin = { server: this.server, caPem: ca, clientCertPem: readPem(pki.adminCert), clientKeyPem: readPem(pki.adminKey), name: 'stratus' };
    writeKubeconfig(this.adminKubeconfigPath, admin);
    if (this.options.kubeconfigPath) writeKubeconfig(this.options.kubeconfigPath, admin);
    writeFileSync(
      join(this.dir, 'controller-manager.kubeconfig'),
      kubeconfigYaml({
        server: this.server,
        caPem: ca,
        clientCertPem: readPem(pki.controllerManagerCert),
        clientKeyPem: readPem(pki.controllerManagerKey),
        name: 'kube-controller-manager',
      }),
      { mode: 0o600 },
    );
  }

  /** Compacts etcd's history up to its current revision, expiring every older resourceVersion. */
  async compactEtcd(): Promise<number> {
    const post = async (path: string, body: object): Promise<Record<string, unknown>> => {
      const res = await fetch(`${this.etcdUrl}${path}`, { method: 'POST', body: JSON.stringify(body) });
      if (!res.ok) throw new Error(`etcd ${path}: HTTP ${res.status} ${await res.text()}`);
      return (await res.json()) as Record<string, unknown>;
    };
    const status = await post('/v3/maintenance/status', {});
    const revision = Number((status.header as { revision?: string } | undefined)?.revision ?? 0);
    await post('/v3/kv/compaction', { revision: String(revision), physical: true });
    return revision;
  }

  /** Whether the apiserver answers /readyz right now. */
  async apiserverReady(): Promise<boolean> {
    try {
      return (await getStatus(`${this.server}/readyz`, this.adminTls())).status === 200;
    } catch {
      return false;
    }
  }

  async stop(): Promise<void> {
    this.stopping = true;
    // Reverse order of start: clients before the servers they use.
    await this.admission?.stop();
    await this.controllerManager?.stop();
    await this.apiserver?.stop();
    await this.etcd?.stop();
    if (this.ownsStateDir) rmSync(this.dir, { recursive: true, force: true });
  }
}
