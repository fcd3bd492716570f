// Runs the stratus command (bin/stratus.js, so the compiled CLI as users run it).
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { packageRoot } from '../../pkg/util/package-root.js';

const run = promisify(execFile);
export const stratusBin = join(packageRoot(), 'bin', 'stratus.js');

/** Never throws on a non-zero exit. */
export async function stratus(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    return { code: 0, ...(await run(process.execPath, [stratusBin, ...args], { maxBuffer: 16 << 20 })) };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}
