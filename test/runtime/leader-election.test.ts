// Two managers, one lease: exactly one leads; a SIGKILLed leader is replaced
// once its lease expires (15 s), a SIGTERMed one hands over at once.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { Client } from '../../pkg/runtime/client/client.js';
import { packageRoot } from '../../pkg/util/package-root.js';
import { createNamespace, deleteNamespace, eventually, kubeconfigPath, testClient } from '../support/kube.js';

let client: Client;
let ns: string;
const processes: { id: string; child: ChildProcess; out: string[] }[] = [];

beforeAll(async () => {
  client = testClient();
  ns = await createNamespace(client, 'leader');
});
afterAll(async () => {
  for (const p of processes) p.child.kill('SIGKILL');
  await deleteNamespace(client, ns);
  client.rest.close();
});

function startManager(id: string): { id: string; child: ChildProcess; out: string[] } {
  const child = spawn(process.execPath, [join(packageRoot(), 'dist/test/support/leader-process.js'), kubeconfigPath(), id, ns], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const out: string[] = [];
  child.stdout!.on('data', (d: Buffer) => out.push(...d.toString().split('\n').filter(Boolean)));
  const p = { id, child, out };
  processes.push(p);
  return p;
}

const leaders = () => processes.filter((p) => p.out.includes(`LEADING ${p.id}`) && p.child.exitCode === null && p.child.signalCode === null);

it('elects exactly one leader and hands over on SIGKILL within 20 s and on SIGTERM at once', async () => {
  startManager('one');
  startManager('two');
  const [first] = await eventually(async () => (leaders().length >= 1 ? leaders() : undefined), 20_000, 'a leader');
  await new Promise((r) => setTimeout(r, 3000));
  expect(leaders().map((p) => p.id)).toEqual([first!.id]);

  const killedAt = Date.now();
  first!.child.kill('SIGKILL');
  const [second] = await eventually(async () => leaders().filter((p) => p !== first).at(0) && leaders(), 25_000, 'a new leader');
  const handover = Date.now() - killedAt;
  expect(second!.id).not.toBe(first!.id);
  process.stderr.write(`leader handover after SIGKILL: ${handover} ms\n`);
  expect(handover).toBeLessThan(20_000);

  const third = startManager('three');
  await new Promise((r) => setTimeout(r, 2000));
  expect(leaders().map((p) => p.id)).toEqual([second!.id]);
  const termAt = Date.now();
  second!.child.kill('SIGTERM');
  await eventually(async () => third.out.includes('LEADING three'), 10_000, 'three to lead');
  expect(Date.now() - termAt).toBeLessThan(5_000);
  expect(second!.out).toContain(`STOPPED ${second!.id}`);
}, 90_000);
