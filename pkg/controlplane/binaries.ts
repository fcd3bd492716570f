// Locates the control-plane binaries in the cache, building them from the
// pinned Go module (hack/controlplane) when they are missing.
import { spawn } from 'node:child_process';
import { accessSync, constants, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { packageRoot } from '../util/package-root.js';

export interface ControlPlaneBinaries {
  dir: string;
  kubernetesVersion: string;
  etcdVersion: string;
  etcd: string;
  kubeApiserver: string;
  kubeControllerManager: string;
  /** The kubectl of the same release, for tests and for users without one. */
  kubectl: string;
}

function moduleDir(): string {
  return join(packageRoot(), 'hack', 'controlplane');
}

/** The versions pinned in hack/controlplane/go.mod. */
export function pinnedVersions(): { kubernetes: string; etcd: string } {
  const goMod = readFileSync(join(moduleDir(), 'go.mod'), 'utf8');
  const version = (module: string): string => {
    const match = new RegExp(`^(?:require)?\\s*${module.replace(/[./]/g, '\\$&')}\\s+(v\\S+)`, 'm').exec(goMod);
    if (!match?.[1]) throw new Error(`hack/controlplane/go.mod does not require ${module}`);
    return match[1];
  };
  return { kubernetes: version('k8s.io/kubernetes'), etcd: version('go.etcd.io/etcd/server/v3') };
}

export function cacheRoot(): string {
  return process.env.STRATUS_CACHE_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'stratus');
}

function binariesIn(dir: string, kubernetesVersion: string, etcdVersion: string): ControlPlaneBinaries {
  return {
    dir,
    kubernetesVersion,
    etcdVersion,
    etcd: join(dir, 'etcd'),
    kubeApiserver: join(dir, 'kube-apiserver'),
    kubeControllerManager: join(dir, 'kube-controller-manager'),
    kubectl: join(dir, 'kubectl'),
  };
}

function allExecutable(b: ControlPlaneBinaries): boolean {
  try {
    for (const file of [b.etcd, b.kubeApiserver, b.kubeControllerManager, b.kubectl]) accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The binaries for the pinned versions. `STRATUS_K8S_BIN_DIR` points at a
 * folder of prebuilt ones instead (used as is, never built).
 */
export function locateBinaries(): ControlPlaneBinaries {
  const versions = pinnedVersions();
  const override = process.env.STRATUS_K8S_BIN_DIR;
  const dir = override ?? join(cacheRoot(), `k8s-${versions.kubernetes}-etcd-${versions.etcd}`);
  return binariesIn(dir, versions.kubernetes, versions.etcd);
}

/** Builds the binaries if they are not cached yet; `onProgress` receives the build's lines. */
export async function ensureBinaries(onProgress: (line: string) => void = () => {}): Promise<ControlPlaneBinaries> {
  const binaries = locateBinaries();
  if (allExecutable(binaries)) return binaries;
  if (process.env.STRATUS_K8S_BIN_DIR) {
    throw new Error(`STRATUS_K8S_BIN_DIR=${binaries.dir} lacks etcd, kube-apiserver, kube-controller-manager or kubectl`);
  }
  const child = spawn('bash', [join(moduleDir(), 'build.sh'), binaries.dir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const forward = (stream: NodeJS.ReadableStream): void => {
    createInterface({ input: stream }).on('line', onProgress);
  };
  forward(child.stdout!);
  forward(child.stderr!);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', resolve);
  });
  if (code !== 0 || !allExecutable(binaries)) {
    throw new Error(`building the control plane failed (exit ${code}); is Go ≥ 1.26 on PATH? See the lines above.`);
  }
  return binaries;
}
