// Locates the third-party APIs built from their upstream modules
// (hack/upstream): the CRDs the plane serves, virt-api's webhook
// configurations and the admission server. Builds them when they are missing,
// as binaries.ts does the control plane.
import { spawn, spawnSync } from 'node:child_process';
import { accessSync, constants, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parse } from 'yaml';
import type { KubeObject } from '../meta/object.js';
import { packageRoot } from '../util/package-root.js';

export interface UpstreamApis {
  dir: string;
  /** One CustomResourceDefinition per file. */
  crdDir: string;
  /** Webhook configurations, naming a Service the plane replaces with the admission server. */
  admissionDir: string;
  admissionServer: string;
}

function buildScript(): string {
  return join(packageRoot(), 'hack', 'upstream', 'build.sh');
}

/** Where the build for the current pins lives (the script hashes the pins). */
export function locateUpstream(): UpstreamApis {
  const run = spawnSync('bash', [buildScript(), '--print-dest'], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`hack/upstream/build.sh --print-dest failed: ${run.stderr}`);
  const dir = run.stdout.trim();
  return { dir, crdDir: join(dir, 'crds'), admissionDir: join(dir, 'admission'), admissionServer: join(dir, 'bin', 'stratus-admission') };
}

function complete(apis: UpstreamApis): boolean {
  try {
    accessSync(apis.admissionServer, constants.X_OK);
    return readdirSync(apis.crdDir).length > 0 && readdirSync(apis.admissionDir).length > 0;
  } catch {
    return false;
  }
}

/** Builds the upstream APIs if they are not cached yet; `onProgress` receives the build's lines. */
export async function ensureUpstream(onProgress: (line: string) => void = () => {}): Promise<UpstreamApis> {
  const apis = locateUpstream();
  if (complete(apis)) return apis;
  const child = spawn('bash', [buildScript()], { stdio: ['ignore', 'pipe', 'pipe'] });
  for (const stream of [child.stdout!, child.stderr!]) createInterface({ input: stream }).on('line', onProgress);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', resolve);
  });
  if (code !== 0 || !complete(apis)) throw new Error(`building the upstream APIs failed (exit ${code}); is Go ≥ 1.26 on PATH? See the lines above.`);
  return apis;
}

/** The YAML objects of a folder, by file name. */
export function readObjects(dir: string): Map<string, KubeObject> {
  return new Map(
    readdirSync(dir)
      .filter((f) => f.endsWith('.yaml'))
      .sort()
      .map((f) => [f, parse(readFileSync(join(dir, f), 'utf8')) as KubeObject]),
  );
}
