// One control plane (and its simulators) for the whole integration run.
// Tests find it through STRATUS_TEST_KUBECONFIG and isolate by namespace.
import { startTestEnvironment } from './environment.js';

export default async function globalSetup(): Promise<void> {
  const env = await startTestEnvironment();
  process.env.STRATUS_TEST_KUBECONFIG = env.kubeconfigPath;
  process.env.STRATUS_TEST_KUBECTL = env.kubectl;
  (globalThis as { __stratusTestEnv?: typeof env }).__stratusTestEnv = env;
}
