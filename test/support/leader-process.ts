// A manager process for the leader-election test: campaigns for a lease and
// prints "LEADING <identity>" when it wins. SIGTERM shuts it down cleanly
// (releasing the lease); losing the lease exits with code 1.
import { KubeConfig } from '@kubernetes/client-node';
import { Manager } from '../../pkg/runtime/manager/manager.js';
import { createLogger } from '../../pkg/runtime/log/logger.js';

const [kubeconfig, identity, namespace] = process.argv.slice(2);
const kc = new KubeConfig();
kc.loadFromFile(kubeconfig!);
const manager = new Manager({ kubeConfig: kc, logger: createLogger({ level: process.env.STRATUS_TEST_LOG ?? 'warn', format: 'text' }), leaderElection: { namespace: namespace!, name: 'stratus-test-leader', identity } });
manager.addRunnable({
  name: 'announce',
  start: async (signal) => {
    process.stdout.write(`LEADING ${identity}\n`);
    await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
  },
});
const stop = new AbortController();
process.once('SIGTERM', () => stop.abort());
try {
  await manager.start(stop.signal);
  process.stdout.write(`STOPPED ${identity}\n`);
} catch (err) {
  process.stdout.write(`LOST ${identity}: ${(err as Error).message}\n`);
  process.exitCode = 1;
}
