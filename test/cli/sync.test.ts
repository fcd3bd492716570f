// `stratus sync` as a GitOps agent: applies a folder as an ApplySet, prunes
// exactly what left it, refuses a folder with an invalid file, and follows
// edits with --watch.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ConfigMaps, Namespaces, Secrets } from '../../pkg/kube/resources.js';
import { Apps, DiskImages, Networks, Scalers, Snapshots, VirtualMachines, Volumes } from '../../pkg/api/resources.js';
import type { Client } from '../../pkg/runtime/client/client.js';
import { packageRoot } from '../../pkg/util/package-root.js';
import { eventually, kubeconfigPath, kubectl, testClient } from '../support/kube.js';

const run = promisify(execFile);
const stratus = join(packageRoot(), 'bin', 'stratus.js');
const exampleNamespaces = ['demo-vm', 'demo-app', 'tenant-a', 'demo-group', 'demo-zero', 'demo-url', 'demo-day2'];
let client: Client;
let folder: string;
let watcher: ChildProcess | undefined;

async function sync(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run(process.execPath, [stratus, 'sync', '--kubeconfig', kubeconfigPath(), '--no-wait', ...args], { maxBuffer: 16 << 20 });
    return { code: 0, ...r };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

beforeAll(() => {
  client = testClient();
  folder = mkdtempSync(join(tmpdir(), 'stratus-sync-'));
  cpSync(join(packageRoot(), 'examples'), folder, { recursive: true });
});
afterAll(async () => {
  watcher?.kill('SIGTERM');
  rmSync(folder, { recursive: true, force: true });
  // Admission gave the examples' Volumes, Networks, Snapshots and DiskImages their finalizers, and no controller runs here to release them.
  for (const ns of exampleNamespaces) {
    for (const type of [Volumes, Networks, Snapshots, DiskImages]) {
      for (const o of (await client.list(type, { namespace: ns })).items) await client.patch(type, ns, o.metadata.name!, { merge: { metadata: { finalizers: null } } });
    }
    await client.deleteIfExists(Namespaces, undefined, ns);
  }
  // Gone before the file ends: test/api/examples.test.ts makes namespaces of the same names.
  for (const ns of exampleNamespaces) await eventually(async () => !(await client.tryGet(Namespaces, undefined, ns)), 60_000, `namespace ${ns} gone`);
  client.rest.close();
});

it('applies the examples as one ApplySet', async () => {
  const r = await sync('--prune', folder);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/applied +VirtualMachine demo-vm\/web-1/);
  const vm = await client.get(VirtualMachines, 'demo-vm', 'web-1');
  expect(vm.metadata.labels?.['applyset.kubernetes.io/part-of']).toMatch(/^applyset-.+-v1$/);
  const parent = await client.get(Secrets, 'default', `stratus-sync-${folder.split('/').pop()!.toLowerCase()}`);
  expect(parent.metadata.annotations?.['applyset.kubernetes.io/contains-group-kinds']).toContain('VirtualMachine.stratus.dev');
  // A second sync changes nothing.
  const again = await sync('--prune', folder);
  expect(again.stdout).not.toMatch(/^applied/m);
  expect(again.stdout).toMatch(/unchanged +VirtualMachine demo-vm\/web-1/);
});

it('prunes the objects of a removed file and leaves objects it never applied alone', async () => {
  await client.create(ConfigMaps, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'not-from-git', namespace: 'demo-app' }, data: { keep: 'me' } });
  unlinkSync(join(folder, '05-scale-to-zero.yaml'));
  const r = await sync('--prune', folder);
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/pruned +App demo-zero\/worker/);
  expect(r.stdout).toMatch(/pruned +Scaler demo-zero\/worker/);
  expect(await client.tryGet(Apps, 'demo-zero', 'worker')).toBeUndefined();
  expect(await client.tryGet(Scalers, 'demo-zero', 'worker')).toBeUndefined();
  expect(await client.tryGet(ConfigMaps, 'demo-app', 'not-from-git')).toBeDefined();
  expect(await client.tryGet(Apps, 'demo-app', 'uploads')).toBeDefined();
});

it('refuses the whole folder when one file is invalid, and prunes nothing', async () => {
  writeFileSync(join(folder, '99-broken.yaml'), 'apiVersion: stratus.dev/v1alpha1\nkind: Volume\nmetadata: {name: broken, namespace: demo-app}\nspec: {size: 1Gi, accessMode: Sometimes}\n');
  unlinkSync(join(folder, '04-vm-group.yaml'));
  const r = await sync('--prune', folder);
  expect(r.code).toBe(1);
  expect(r.stdout).toContain('nothing applied');
  expect(r.stdout).toContain('spec.accessMode: Unsupported value: "Sometimes"');
  // 04's objects were not pruned: nothing happens while the folder is invalid.
  expect(await client.tryGet(VirtualMachines, 'demo-group', 'workers')).toBeDefined();
  rmSync(join(folder, '99-broken.yaml'));
  cpSync(join(packageRoot(), 'examples', '04-vm-group.yaml'), join(folder, '04-vm-group.yaml'));
});

it('shows what a dry run would do without doing it', async () => {
  const file = join(folder, '02-app-with-volume.yaml');
  writeFileSync(file, readFileSync(file, 'utf8').replace('replicas: 2', 'replicas: 3'));
  const r = await sync('--prune', '--dry-run', folder);
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/would apply +App demo-app\/uploads/);
  expect(((await client.get(Apps, 'demo-app', 'uploads')).spec as { replicas: number }).replicas).toBe(2);
});

it('follows an edit with --watch within seconds', async () => {
  watcher = spawn(process.execPath, [stratus, 'sync', '--kubeconfig', kubeconfigPath(), '--no-wait', '--prune', '--watch', folder], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  watcher.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  watcher.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  await eventually(async () => out.includes('watching'), 30_000, 'the watcher to start');
  const file = join(folder, '05-scale-to-zero.yaml');
  cpSync(join(packageRoot(), 'examples', '05-scale-to-zero.yaml'), file);
  // demo-zero may still be terminating from the prune above: the watcher retries until it is gone.
  await eventually(async () => (await client.tryGet(Apps, 'demo-zero', 'worker')) !== undefined, 40_000, 'the restored file applied').catch((err: Error) => {
    throw new Error(`${err.message}\nwatcher output:\n${out}`);
  });
  // The App changed by the earlier edit of 02 (replicas 3) is applied too.
  expect(((await client.get(Apps, 'demo-app', 'uploads')).spec as { replicas: number }).replicas).toBe(3);
  // A broken edit mid-way: no prune, the watcher keeps going.
  writeFileSync(file, 'apiVersion: stratus.dev/v1alpha1\nkind: App\nmetadata: {name: worker, namespace: demo-zero\n');
  await eventually(async () => out.includes('nothing applied'), 20_000, 'the broken edit reported');
  expect(await client.tryGet(Apps, 'demo-zero', 'worker')).toBeDefined();
  const status = await kubectl(['get', 'configmap', '-n', 'demo-zero', 'jobs', '-o', 'name']);
  expect(status.stdout.trim()).toBe('configmap/jobs');
}, 90_000);
