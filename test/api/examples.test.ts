// Every example passes `stratus validate` and a server dry run, and the
// CRDs explain their fields.
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { packageRoot } from '../../pkg/util/package-root.js';
import { kubectl } from '../support/kube.js';

const run = promisify(execFile);
const examples = join(packageRoot(), 'examples');

it('passes stratus validate', async () => {
  const { stdout, stderr } = await run(process.execPath, [join(packageRoot(), 'bin', 'stratus.js'), 'validate', examples]);
  expect(stdout).toBe('');
  expect(stderr).toMatch(/^valid: \d+ documents, 0 invalid/);
});

it('rejects an invalid manifest with exit code 1 and the field path', async () => {
  const result = await run(process.execPath, [join(packageRoot(), 'bin', 'stratus.js'), 'validate', join(packageRoot(), 'test', 'api', 'invalid-example.yaml')]).catch((e: { code: number; stdout: string }) => e);
  expect((result as { code?: number }).code).toBe(1);
  expect((result as { stdout: string }).stdout).toContain('spec.minReplicas: Invalid value: "object": minReplicas must not be greater than maxReplicas');
});

it('is accepted by the apiserver (server-side dry run)', async () => {
  // A dry run creates nothing, so the examples' namespaces must exist for real: namespaces of their own,
  // since test/cli/sync.test.ts applies the examples for real (its objects get finalizers at admission).
  const namespaces = ['demo-vm', 'demo-app', 'tenant-a', 'demo-group', 'demo-zero', 'demo-url', 'demo-day2'];
  const own = new RegExp(`\\b(${namespaces.join('|')})\\b`, 'g');
  const manifests = readdirSync(examples).filter((f) => f.endsWith('.yaml')).sort().map((f) => readFileSync(join(examples, f), 'utf8').replace(own, 'dry-$1'));
  for (const n of namespaces) await kubectl(['create', 'namespace', `dry-${n}`]);
  const r = await kubectl(['apply', '--server-side', '--dry-run=server', '-f', '-'], manifests.join('\n---\n'));
  await kubectl(['delete', 'namespace', '--wait=false', ...namespaces.map((n) => `dry-${n}`)]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  expect(r.stdout).toContain('virtualmachine.stratus.dev/web-1 serverside-applied (server dry run)');
});

it('documents the fields for kubectl explain', async () => {
  const r = await kubectl(['explain', 'volumes.stratus.dev.spec.size']);
  expect(r.code).toBe(0);
  expect(r.stdout).toContain('May grow');
  const all = await kubectl(['api-resources', '--categories=stratus', '-o', 'name']);
  expect(all.stdout.trim().split('\n').sort()).toEqual([
    'apps.stratus.dev',
    'diskimages.stratus.dev',
    'networks.stratus.dev',
    'restores.stratus.dev',
    'scalers.stratus.dev',
    'snapshots.stratus.dev',
    'snapshotschedules.stratus.dev',
    'virtualmachines.stratus.dev',
    'volumes.stratus.dev',
  ]);
});
