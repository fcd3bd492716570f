// `stratus sync`: a small GitOps agent for a folder of manifests.
import { basename, resolve as resolvePath } from 'node:path';
import { existsSync, statSync } from 'node:fs';
import { watch } from 'chokidar';
import { Syncer, type SyncOptions, type SyncResult } from '../gitops/sync.js';
import { Client } from '../runtime/client/client.js';
import { RestClient } from '../runtime/client/rest-client.js';
import { RestMapper } from '../runtime/client/rest-mapper.js';
import { ExitCode, parseFlags, UsageError, type Command } from './command.js';
import { loadKubeConfig } from './kubeconfig.js';

// Backoff for re-trying a failed sync under --watch.
const retryInitialMs = 2_000;
const retryMaxMs = 60_000;

const usage = `Usage: stratus sync [flags] <folder>

Applies every YAML in the folder as one ApplySet: validates all of it
offline first (nothing is applied if anything is invalid), applies CRDs
before the objects that use them, server-side applies everything under the
field manager "stratus-sync", labels what it applied
(applyset.kubernetes.io/part-of), then waits for health and reports per object.

Flags:
  --prune               delete the set's objects that are no longer in the folder
  --dry-run             show what would happen (server-side dry run); change nothing
  --watch               keep running and sync again when a file changes;
                        a sync whose applies failed is retried with backoff
  --force-conflicts     take over fields another manager owns (default: report a conflict)
  --no-wait             do not wait for health
  --timeout SECONDS     how long to wait for health (default 300)
  --name NAME           the ApplySet parent Secret (default stratus-sync-<folder name>)
  --applyset-namespace NS  where the parent lives (default "default")
  --kubeconfig PATH     the cluster
  -o, --output FORMAT   text (default) or json
  -h, --help            show this help`;

function printText(r: SyncResult): void {
  if (r.invalid.length) {
    process.stdout.write(`nothing applied: ${r.invalid.length} problem${r.invalid.length === 1 ? '' : 's'} in the folder\n`);
    for (const line of r.invalid) process.stdout.write(`  ${line}\n`);
    return;
  }
  for (const o of r.objects) {
    const where = `${o.kind} ${o.namespace ? o.namespace + '/' : ''}${o.name}`;
    const h = o.health ? ` ${o.health}` : '';
    process.stdout.write(`${o.action.padEnd(11)} ${where}${h}${o.message ? `: ${o.message}` : ''}\n`);
  }
  process.stdout.write(r.ok ? 'sync complete: everything is current\n' : 'sync finished with problems\n');
}

export const syncCommand: Command = {
  name: 'sync',
  usage,
  async run(args) {
    const { values, positionals } = parseFlags(
      args,
      {
        prune: { type: 'boolean', default: false },
        'dry-run': { type: 'boolean', default: false },
        watch: { type: 'boolean', default: false },
        'force-conflicts': { type: 'boolean', default: false },
        'no-wait': { type: 'boolean', default: false },
        timeout: { type: 'string', default: '300' },
        name: { type: 'string' },
        'applyset-namespace': { type: 'string', default: 'default' },
        kubeconfig: { type: 'string' },
        output: { type: 'string', short: 'o', default: 'text' },
        help: { type: 'boolean', short: 'h' },
      },
      true,
    );
    if (values.help) {
      process.stdout.write(usage + '\n');
      return ExitCode.ok;
    }
    if (positionals.length !== 1) throw new UsageError('name one folder');
    const folder = resolvePath(positionals[0]!);
    if (!existsSync(folder) || !statSync(folder).isDirectory()) throw new UsageError(`${positionals[0]} is not a folder`);
    if (values.output !== 'text' && values.output !== 'json') throw new UsageError('--output: want text or json');
    const timeout = Number(values.timeout);
    if (!Number.isFinite(timeout) || timeout <= 0) throw new UsageError('--timeout: want seconds > 0');
    const parentName = values.name ?? `stratus-sync-${basename(folder).toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '') || 'root'}`;
    const options: SyncOptions = {
      folder,
      parent: { name: parentName, namespace: values['applyset-namespace']! },
      prune: values.prune!,
      dryRun: values['dry-run']!,
      force: values['force-conflicts']!,
      wait: !values['no-wait'],
      timeoutMs: timeout * 1000,
    };
    const rest = new RestClient(loadKubeConfig(values.kubeconfig));
    const syncer = new Syncer(new Client(rest, 'stratus-sync'), new RestMapper(rest));
    const once = async (): Promise<SyncResult> => {
      const result = await syncer.sync(options);
      if (values.output === 'json') process.stdout.write(JSON.stringify(result, null, 2) + '\n');
      else printText(result);
      return result;
    };
    try {
      if (!values.watch) return (await once()).ok ? ExitCode.ok : ExitCode.failed;
      await watchFolder(folder, once);
      return ExitCode.ok;
    } finally {
      rest.close();
    }
  },
};

/**
 * Syncs once, then again (debounced) on every change until SIGINT/SIGTERM;
 * syncs never overlap. The watcher is ready before the first sync starts, so
 * an edit made while that sync runs is not missed. A sync that fails (an API
 * error, a namespace still terminating) is retried with backoff until one
 * succeeds or the folder changes; an invalid folder or an unhealthy object
 * waits for the next change, as a retry would end the same way.
 */
async function watchFolder(folder: string, once: () => Promise<SyncResult>): Promise<void> {
  const watcher = watch(folder, { ignoreInitial: true, ignored: (p) => basename(p).startsWith('.') });
  await new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  let timer: NodeJS.Timeout | undefined;
  let retry: NodeJS.Timeout | undefined;
  let retryDelayMs = retryInitialMs;
  let queued = false;
  let stopped = false;
  const syncLogged = async (): Promise<void> => {
    const failed = await once().then(
      (r) => r.objects.some((o) => o.action === 'failed'),
      (err: unknown) => {
        process.stderr.write(`sync failed: ${(err as Error).message}\n`);
        return true;
      },
    );
    if (!failed || stopped) {
      retryDelayMs = retryInitialMs;
      return;
    }
    process.stderr.write(`retrying in ${retryDelayMs / 1000}s\n`);
    retry = setTimeout(() => enqueue('retrying'), retryDelayMs);
    retryDelayMs = Math.min(retryDelayMs * 2, retryMaxMs);
  };
  let running: Promise<unknown> = syncLogged();
  const enqueue = (why: string): void => {
    if (queued) return;
    queued = true;
    running = running.then(async () => {
      queued = false;
      clearTimeout(retry);
      process.stderr.write(`${why}: syncing ${folder}\n`);
      await syncLogged();
    });
  };
  const trigger = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      retryDelayMs = retryInitialMs;
      enqueue('changed');
    }, 300);
  };
  watcher.on('all', trigger);
  process.stderr.write(`watching ${folder} (Ctrl-C to stop)\n`);
  await new Promise<void>((resolve) => {
    const stop = (): void => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  stopped = true;
  clearTimeout(timer);
  clearTimeout(retry);
  await watcher.close();
  await running;
  clearTimeout(retry);
}
