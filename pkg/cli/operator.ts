// Runs the Stratus controllers on a manager until told to stop: shared by
// `stratus run` and `stratus up`.
import type { Logger } from 'winston';
import { registerControllers } from '../../controllers/index.js';
import { cachedPods } from '../../controllers/shared/cached-pod.js';
import type { Clock } from '../../controllers/shared/clock.js';
import { installStratusCrds } from '../api/install.js';
import type { ClusterAccess } from '../runtime/client/rest-client.js';
import { Manager } from '../runtime/manager/manager.js';

export interface OperatorOptions {
  kubeConfig: ClusterAccess;
  logger: Logger;
  namespace?: string;
  workers?: number;
  healthAddress?: string;
  leaderElection?: { namespace: string; name: string };
  /** Install or update the CRDs first (stratus up does; stratus run leaves it to `stratus install`). */
  installCrds?: boolean;
  /** Where the settings ConfigMap lives (default stratus-system, where admission reads it too). */
  settingsNamespace?: string;
  /** The time cron schedules run by (default the wall clock). */
  clock?: Clock;
}

export interface RunningOperator {
  manager: Manager;
  /** Resolves when the manager stops; rejects when leadership is lost. */
  done: Promise<void>;
  stop(): Promise<void>;
}

export async function startOperator(o: OperatorOptions): Promise<RunningOperator> {
  const manager = new Manager({
    kubeConfig: o.kubeConfig,
    logger: o.logger,
    namespace: o.namespace,
    healthAddress: o.healthAddress,
    leaderElection: o.leaderElection,
    userAgent: 'stratus-controllers',
    cacheTransforms: [cachedPods],
  });
  if (o.installCrds) await installStratusCrds(manager.client);
  registerControllers(manager, { workers: o.workers, settingsNamespace: o.settingsNamespace, clock: o.clock });
  const stop = new AbortController();
  const done = manager.start(stop.signal);
  return {
    manager,
    done,
    async stop() {
      stop.abort();
      await done.catch(() => {});
    },
  };
}
