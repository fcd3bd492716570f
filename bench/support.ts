// Shared pieces of the benchmarks: a private control plane, parallel work,
// and printing figures.
import { ControlPlane } from '../pkg/controlplane/control-plane.js';

export async function withControlPlane<T>(fn: (plane: ControlPlane) => Promise<T>, options: { thirdPartyApis?: boolean } = {}): Promise<T> {
  const plane = new ControlPlane({ thirdPartyApis: options.thirdPartyApis ?? false, onProgress: (l) => process.stderr.write(`  [plane] ${l}\n`) });
  await plane.start();
  try {
    return await fn(plane);
  } finally {
    await plane.stop();
  }
}

/** Runs `fn` over `items` with at most `concurrency` in flight. */
export async function parallel<T>(items: T[], concurrency: number, fn: (item: T, index: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        await fn(items[i]!, i);
      }
    }),
  );
}

export function report(name: string, value: number, unit: string, note = ''): void {
  process.stdout.write(`${name.padEnd(48)} ${value.toFixed(value < 10 ? 2 : 0).padStart(12)} ${unit}${note ? `  (${note})` : ''}\n`);
}

export function heapUsed(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with node --expose-gc');
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}
