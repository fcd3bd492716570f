// `stratus up` as a user runs it: it comes up, writes a kubeconfig that
// kubectl can use, and on Ctrl-C (SIGINT) leaves no process and no temporary
// folder behind.
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../../pkg/util/package-root.js';
import { eventually } from '../support/kube.js';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function childPids(pid: number): number[] {
  try {
    return execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' }).split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

it('runs until SIGINT, then stops every process and removes its temporary state', async () => {
  const work = mkdtempSync(join(tmpdir(), 'stratus-up-test-'));
  // A temporary folder of its own: other test files start planes in the shared one meanwhile.
  const temp = join(work, 'tmp');
  mkdirSync(temp);
  const child = spawn(process.execPath, [join(packageRoot(), 'bin', 'stratus.js'), 'up', '--health-address', '127.0.0.1:0'], {
    cwd: work,
    env: { ...process.env, TMPDIR: temp },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    await eventually(async () => output.includes('press Ctrl-C to stop'), 60_000, '"stratus up" ready');
    const kubeconfig = join(work, '.stratus', 'kubeconfig');
    expect(existsSync(kubeconfig)).toBe(true);
    const kubectl = process.env.STRATUS_TEST_KUBECTL ?? 'kubectl';
    const nodes = await eventually(async () => {
      const out = execFileSync(kubectl, ['--kubeconfig', kubeconfig, 'get', 'nodes', '--no-headers'], { encoding: 'utf8' });
      return out.includes(' Ready ') ? out : undefined;
    }, 30_000, 'nodes Ready');
    expect(nodes).toContain('stratus-node-1');
    const planeProcesses = childPids(child.pid!);
    expect(planeProcesses.length).toBeGreaterThanOrEqual(3);

    child.kill('SIGINT');
    const code = await exited;
    // A failure shows the output, which says why.
    if (code !== 0) throw new Error(`stratus up exited with ${code}:\n${output}`);
    expect(output).toContain('stratus: stopped');
    for (const pid of planeProcesses) expect(alive(pid)).toBe(false);
    expect(readdirSync(temp).filter((d) => /^stratus-[A-Za-z0-9]{6}$/.test(d))).toEqual([]);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(work, { recursive: true, force: true });
  }
});
