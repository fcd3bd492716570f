// `stratus run`: only the controllers, against an existing cluster.
import { createLogger } from '../runtime/log/logger.js';
import { ExitCode, parseFlags, UsageError, type Command } from './command.js';
import { loadKubeConfig } from './kubeconfig.js';
import { startOperator } from './operator.js';

const usage = `Usage: stratus run [flags]

Runs the Stratus controllers against a cluster (KUBECONFIG, --kubeconfig, or
the in-cluster service account). The CRDs must be installed ("stratus install").

Flags:
  --kubeconfig PATH            the cluster to manage
  --namespace NS               watch and reconcile only this namespace (default: all)
  --workers N                  workers per controller (default: each controller's own)
  --health-address HOST:PORT   /healthz, /readyz and /metrics (default 0.0.0.0:8081; "off" disables)
  --leader-elect               elect a leader among replicas (Lease, 15s/10s/2s)
  --leader-election-namespace NS  where the Lease lives (default: the pod's namespace, else stratus-system)
  --log-level LEVEL            error, warn, info (default), debug
  --log-format FORMAT          json (default) or text
  -h, --help                   show this help`;

export const runCommand: Command = {
  name: 'run',
  usage,
  async run(args) {
    const { values } = parseFlags(args, {
      kubeconfig: { type: 'string' },
      namespace: { type: 'string' },
      workers: { type: 'string' },
      'health-address': { type: 'string', default: '0.0.0.0:8081' },
      'leader-elect': { type: 'boolean', default: false },
      'leader-election-namespace': { type: 'string' },
      'log-level': { type: 'string', default: 'info' },
      'log-format': { type: 'string', default: 'json' },
      help: { type: 'boolean', short: 'h' },
    });
    if (values.help) {
      process.stdout.write(usage + '\n');
      return ExitCode.ok;
    }
    const workers = values.workers === undefined ? undefined : Number(values.workers);
    if (workers !== undefined && (!Number.isInteger(workers) || workers < 1)) throw new UsageError('--workers: want a whole number ≥ 1');
    if (values['log-format'] !== 'text' && values['log-format'] !== 'json') throw new UsageError('--log-format: want text or json');
    const logger = createLogger({ level: values['log-level'], format: values['log-format'] });
    const kubeConfig = loadKubeConfig(values.kubeconfig);
    const leNamespace = values['leader-election-namespace'] ?? process.env.POD_NAMESPACE ?? 'stratus-system';
    const operator = await startOperator({
      kubeConfig,
      logger,
      namespace: values.namespace,
      workers,
      healthAddress: values['health-address'] === 'off' ? undefined : values['health-address'],
      leaderElection: values['leader-elect'] ? { namespace: leNamespace, name: 'stratus-controllers' } : undefined,
    });
    const onSignal = (sig: string): void => {
      logger.info('shutting down', { signal: sig });
      void operator.stop();
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    logger.info('controllers started', { namespace: values.namespace ?? '(all)', health: values['health-address'] });
    try {
      await operator.done;
      return ExitCode.ok;
    } catch (err) {
      logger.error('stopped', { error: (err as Error).message });
      return ExitCode.failed;
    }
  },
};
