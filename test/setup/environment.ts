// Starts the shared control plane and simulators for integration tests, or
// reuses a running one when STRATUS_TEST_KUBECONFIG is already set.
import { ControlPlane } from '../../pkg/controlplane/control-plane.js';
import { locateBinaries } from '../../pkg/controlplane/binaries.js';
import { startSimulators } from '../../pkg/simulators/index.js';
import { createLogger } from '../../pkg/runtime/log/logger.js';
import { installStratusCrds } from '../../pkg/api/install.js';
import { Client } from '../../pkg/runtime/client/client.js';
import { RestClient } from '../../pkg/runtime/client/rest-client.js';

export interface TestEnvironment {
  kubeconfigPath: string;
  kubectl: string;
  stop(): Promise<void>;
}

export async function startTestEnvironment(): Promise<TestEnvironment> {
  const kubectl = locateBinaries().kubectl;
  const existing = process.env.STRATUS_TEST_KUBECONFIG;
  if (existing) return { kubeconfigPath: existing, kubectl, stop: async () => {} };
  const started = Date.now();
  const plane = new ControlPlane({ onProgress: (line) => process.stderr.write(`[control plane] ${line}\n`) });
  await plane.start();
  // Simulators log warnings and errors only, so a failing test shows why.
  const sims = await startSimulators(plane.kubeConfig(), { logger: createLogger({ level: 'warn', format: 'text' }) });
  const rest = new RestClient(plane.kubeConfig());
  await installStratusCrds(new Client(rest));
  rest.close();
  process.stderr.write(`[control plane] up with simulators in ${Date.now() - started} ms\n`);
  return {
    kubeconfigPath: plane.adminKubeconfigPath,
    kubectl,
    stop: async () => {
      await sims.stop();
      await plane.stop();
    },
  };
}
