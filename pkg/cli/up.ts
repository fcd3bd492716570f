// `stratus up`: the embedded default. A real control plane, the simulators
// and Stratus's controllers on this machine, until Ctrl-C.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { ControlPlane } from '../controlplane/control-plane.js';
import { locateBinaries } from '../controlplane/binaries.js';
import { createLogger } from '../runtime/log/logger.js';
import { startSimulators, type SimulatorOptions } from '../simulators/index.js';
import { realisticKubelet } from '../simulators/kubelet/index.js';
import { realisticStorage } from '../simulators/storage/index.js';
import { realisticCdi } from '../simulators/cdi/index.js';
import { realisticKubeVirt } from '../simulators/kubevirt/index.js';
import { realisticMetrics } from '../simulators/metrics/index.js';
import { realisticGateway } from '../simulators/gateway/index.js';
import { ExitCode, parseFlags, UsageError, type Command } from './command.js';
import { startOperator } from './operator.js';

const usage = `Usage: stratus up [flags]

Runs Stratus with no cluster: a local Kubernetes control plane (etcd,
kube-apiserver, kube-controller-manager built from the upstream sources on
first use), simulated nodes, storage, CDI, KubeVirt and a Gateway API
implementation, and the Stratus controllers. Stops cleanly on Ctrl-C.

Flags:
  --kubeconfig PATH    where to write the admin kubeconfig (default .stratus/kubeconfig)
  --keep-state         keep the cluster's state in .stratus/state and reuse it next time
  --state-dir PATH     keep state in PATH instead (implies --keep-state)
  --sim-profile NAME   simulator timings: fast (default) or realistic
  --no-simulators      start only the control plane and controllers
  --health-address H:P /healthz, /readyz and /metrics of the controllers (default 127.0.0.1:8081)
  --log-level LEVEL    error, warn, info (default), debug
  --log-format FORMAT  text (default) or json
  -h, --help           show this help`;

function simulatorOptions(profile: string): SimulatorOptions {
  if (profile === 'fast') return {};
  if (profile === 'realistic') return { kubelet: realisticKubelet, storage: realisticStorage, cdi: realisticCdi, kubevirt: realisticKubeVirt, metrics: realisticMetrics, gateway: realisticGateway };
  throw new UsageError(`--sim-profile: unknown profile "${profile}" (want fast or realistic)`);
}

/** Refuses to share a state folder with another running `stratus up`. */
function claimStateDir(dir: string): () => void {
  const pidFile = resolve(dir, 'stratus.pid');
  if (existsSync(pidFile)) {
    const pid = Number(readFileSync(pidFile, 'utf8'));
    let alive = false;
    try {
      process.kill(pid, 0);
      alive = true;
    } catch {
      // Stale: that process is gone.
    }
    if (alive && pid !== process.pid) throw new UsageError(`${dir} is in use by another stratus up (pid ${pid})`);
  }
  mkdirSync(dir, { recursive: true });
  writeFileSync(pidFile, String(process.pid));
  return () => rmSync(pidFile, { force: true });
}

function kubectlHint(kubeconfig: string): string {
  const onPath = spawnSync('kubectl', ['version', '--client'], { stdio: 'ignore' }).status === 0;
  const kubectl = onPath ? 'kubectl' : locateBinaries().kubectl;
  const shown = relative(process.cwd(), kubeconfig) || kubeconfig;
  return `${kubectl} --kubeconfig ${shown.includes(' ') ? JSON.stringify(shown) : shown} get nodes`;
}

export const upCommand: Command = {
  name: 'up',
  usage,
  async run(args) {
    const { values } = parseFlags(args, {
      kubeconfig: { type: 'string' },
      'keep-state': { type: 'boolean' },
      'state-dir': { type: 'string' },
      'sim-profile': { type: 'string', default: 'fast' },
      'no-simulators': { type: 'boolean' },
      'health-address': { type: 'string', default: '127.0.0.1:8081' },
      'log-level': { type: 'string', default: 'info' },
      'log-format': { type: 'string', default: 'text' },
      help: { type: 'boolean', short: 'h' },
    });
    if (values.help) {
      process.stdout.write(usage + '\n');
      return ExitCode.ok;
    }
    if (values['log-format'] !== 'text' && values['log-format'] !== 'json') throw new UsageError('--log-format: want text or json');
    const sims = values['no-simulators'] ? undefined : simulatorOptions(values['sim-profile']!);
    const log = createLogger({ level: values['log-level'], format: values['log-format'] });
    const kubeconfig = resolve(values.kubeconfig ?? '.stratus/kubeconfig');
    const stateDir = values['state-dir'] ? resolve(values['state-dir']) : values['keep-state'] ? resolve('.stratus/state') : undefined;
    const releaseState = stateDir ? claimStateDir(stateDir) : () => {};
    const say = (line: string): void => void process.stderr.write(`stratus: ${line}\n`);

    const stop = new AbortController();
    const onSignal = (sig: NodeJS.Signals): void => {
      say(`${sig} received, shutting down`);
      stop.abort();
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);

    const started = Date.now();
    let failed = false;
    const plane = new ControlPlane({
      stateDir,
      kubeconfigPath: kubeconfig,
      onProgress: say,
      onUnexpectedExit: (component, code) => {
        say(`${component} exited unexpectedly (code ${code}); see its log in ${plane.dir}/logs. Shutting down.`);
        failed = true;
        stop.abort();
      },
    });
    let simulators: Awaited<ReturnType<typeof startSimulators>> | undefined;
    let operator: Awaited<ReturnType<typeof startOperator>> | undefined;
    try {
      await plane.start();
      if (sims && !stop.signal.aborted) simulators = await startSimulators(plane.kubeConfig(), { ...sims, logger: log });
      if (!stop.signal.aborted) {
        say('installing the Stratus CRDs and starting the controllers');
        operator = await startOperator({ kubeConfig: plane.kubeConfig(), logger: log, installCrds: true, healthAddress: values['health-address'] });
        void operator.done.catch((err: unknown) => {
          say(`controllers stopped: ${(err as Error).message}`);
          failed = true;
          stop.abort();
        });
      }
      if (!stop.signal.aborted) {
        say(`ready in ${((Date.now() - started) / 1000).toFixed(1)}s: Kubernetes ${plane.version.kubernetes} at ${plane.server}`);
        say(`kubeconfig written to ${kubeconfig}; try:\n\n    ${kubectlHint(kubeconfig)}\n`);
        say('press Ctrl-C to stop');
        await new Promise<void>((done) => stop.signal.addEventListener('abort', () => done(), { once: true }));
      }
    } catch (err) {
      failed = true;
      say(`failed: ${(err as Error).message}`);
    } finally {
      await operator?.stop();
      await simulators?.stop();
      await plane.stop();
      releaseState();
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      say(stateDir ? `stopped; state kept in ${stateDir}` : 'stopped');
    }
    return failed ? ExitCode.failed : ExitCode.ok;
  },
};
