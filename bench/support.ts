// Shared pieces of the benchmarks: a private control plane, parallel work,
// and printing figures.
import { ControlPlane } from '../pkg/controlplane/control-plane.js';
import type { KubeObject } from '../pkg/meta/object.js';
import type { ResourceType } from '../pkg/meta/resource.js';
import { Cache } from '../pkg/runtime/cache/cache.js';
import type { Client } from '../pkg/runtime/client/client.js';

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

/** Watches `type` in `namespace`: when all `count` objects exist (made), and when `done` holds for all of them (done). */
export function track<T extends KubeObject>(client: Client, type: ResourceType, namespace: string, count: number, done: (o: T) => boolean, signal: AbortSignal): { made: Promise<number>; done: Promise<number> } {
  const cache = new Cache(client, { namespace });
  const seen = new Set<string>();
  const ready = new Set<string>();
  let made!: (at: number) => void;
  let finished!: (at: number) => void;
  const result = { made: new Promise<number>((r) => (made = r)), done: new Promise<number>((r) => (finished = r)) };
  cache.informer<T>(type).subscribe((e) => {
    const name = e.obj.metadata.name!;
    if (e.type === 'delete') seen.delete(name);
    else seen.add(name);
    if (e.type === 'delete' || !done(e.obj)) ready.delete(name);
    else ready.add(name);
    if (seen.size === count) made(performance.now());
    if (ready.size === count) finished(performance.now());
  });
  cache.start(signal);
  return result;
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
