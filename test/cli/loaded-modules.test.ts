// `stratus run` is the operator, and all the image ships: it loads no module
// of the embedded plane (control plane, PKI, simulators) and no test support,
// and, with a kubeconfig of certificates or tokens, not client-node (whose
// generated API models cost about 65 MB: pkg/cli/kubeconfig.ts).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../../pkg/util/package-root.js';
import { stratusBin } from '../support/cli.js';
import { createNamespace, deleteNamespace, eventually, kubeconfigPath, testClient } from '../support/kube.js';

const dir = mkdtempSync(join(tmpdir(), 'stratus-modules-'));
const preload = join(packageRoot(), 'dist', 'test', 'support', 'module-log.js');

afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function modulesOf(args: string[], running?: (log: () => string[]) => Promise<unknown>): Promise<string[]> {
  const file = join(dir, `${args[0]}.log`);
  const child = spawn(process.execPath, ['--import', preload, stratusBin, ...args], { env: { ...process.env, STRATUS_MODULE_LOG: file }, stdio: ['ignore', 'ignore', 'pipe'] });
  const read = () => {
    try {
      return readFileSync(file, 'utf8').split('\n').filter(Boolean);
    } catch {
      return [];
    }
  };
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (running) {
    await running(read);
    child.kill('SIGTERM');
  }
  await exited;
  return read();
}

const embedded = (modules: string[]) => modules.filter((m) => /\/dist\/pkg\/(simulators|controlplane)\/|@peculiar|\/dist\/test\/(?!support\/module-log)|test-support|test-fixtures/.test(m));

it('stratus run loads no simulator, control-plane or PKI module, nor test support, nor client-node', async () => {
  const client = testClient();
  const ns = await createNamespace(client, 'modules');
  try {
    const modules = await modulesOf(['run', '--kubeconfig', kubeconfigPath(), '--namespace', ns, '--health-address', 'off', '--log-level', 'error'], (log) =>
      // Running: its controllers have loaded (the Scaler's is registered last).
      eventually(async () => log().some((m) => m.includes('/dist/controllers/scaler/controller.js')), 30_000, 'the controllers loaded'),
    );
    expect(modules.some((m) => m.includes('/dist/pkg/runtime/manager/manager.js'))).toBe(true);
    expect(embedded(modules)).toEqual([]);
    expect(modules.filter((m) => m.includes('/node_modules/@kubernetes/client-node/'))).toEqual([]);
  } finally {
    await deleteNamespace(client, ns);
    client.rest.close();
  }
});

it('stratus up does load them (so the check above can see them)', async () => {
  const modules = await modulesOf(['up', '--help']);
  expect(embedded(modules).some((m) => m.includes('/dist/pkg/controlplane/'))).toBe(true);
});
