// Helpers for integration tests: a client and kubectl for the shared control
// plane, a fresh namespace per test file, and polling.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { KubeConfig } from '@kubernetes/client-node';
import { Client } from '../../pkg/runtime/client/client.js';
import { RestClient } from '../../pkg/runtime/client/rest-client.js';
import { Namespaces } from '../../pkg/kube/resources.js';
import { sleep } from '../../pkg/util/sleep.js';

export function kubeconfigPath(): string {
  const path = process.env.STRATUS_TEST_KUBECONFIG;
  if (!path) throw new Error('STRATUS_TEST_KUBECONFIG is not set: run integration tests through jest (global setup starts the control plane)');
  return path;
}

export function testKubeConfig(): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPath());
  return kc;
}

export function testClient(fieldManager = 'stratus-test'): Client {
  return new Client(new RestClient(testKubeConfig()), fieldManager);
}

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the control plane's own kubectl against the test cluster; never throws on a non-zero exit. */
export function kubectl(args: string[], input?: string): Promise<KubectlResult> {
  const binary = process.env.STRATUS_TEST_KUBECTL ?? 'kubectl';
  return new Promise((resolve) => {
    const child = execFile(binary, ['--kubeconfig', kubeconfigPath(), ...args], { maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : 1) : 0;
      resolve({ code, stdout, stderr });
    });
    child.stdin?.end(input ?? '');
  });
}

/** Creates a namespace with a random suffix; tests isolate by namespace. */
export async function createNamespace(client: Client, prefix: string): Promise<string> {
  const name = `${prefix}-${randomBytes(3).toString('hex')}`;
  await client.create(Namespaces, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  return name;
}

export async function deleteNamespace(client: Client, name: string): Promise<void> {
  await client.deleteIfExists(Namespaces, undefined, name);
}

/** Polls `probe` until it returns a value that is not undefined/false, or fails with the last state. */
export async function eventually<T>(probe: () => Promise<T | undefined | false>, timeoutMs = 30_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value as T;
      last = value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last: ${last instanceof Error ? last.message : JSON.stringify(last)}`);
    }
    await sleep(100);
  }
}
