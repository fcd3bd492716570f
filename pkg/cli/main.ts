// The stratus command line: dispatches to a subcommand. Each one is loaded
// only when it runs, so `stratus run` (the operator, and all the image
// ships) never loads the embedded plane's control plane, PKI or simulators.
import { ExitCode, UsageError, type Command } from './command.js';

interface Entry {
  name: string;
  summary: string;
  load(): Promise<Command>;
}

const commands: Entry[] = [
  { name: 'up', summary: 'run Stratus on a local control plane with simulators (no cluster needed)', load: async () => (await import('./up.js')).upCommand },
  { name: 'run', summary: 'run the Stratus controllers against a cluster', load: async () => (await import('./run.js')).runCommand },
  { name: 'install', summary: 'install the CRDs (and optionally the operator) into a cluster', load: async () => (await import('./install.js')).installCommand },
  { name: 'uninstall', summary: 'remove the operator and the CRDs from a cluster', load: async () => (await import('./install.js')).uninstallCommand },
  { name: 'validate', summary: "check manifests offline, with the apiserver's verdicts", load: async () => (await import('./validate.js')).validateCommand },
  { name: 'status', summary: 'show the health of Stratus objects and why', load: async () => (await import('./status.js')).statusCommand },
  { name: 'sync', summary: 'apply a folder as an ApplySet (validate, apply, prune, wait) — a small GitOps agent', load: async () => (await import('./sync.js')).syncCommand },
];

function help(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'Usage: stratus <command> [flags]',
    '',
    'Stratus: a cloud (IaaS + PaaS) built as Kubernetes custom resources.',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run "stratus <command> --help" for a command\'s flags.',
  ].join('\n');
}

/** The command, or why this build has none by that name (the operator image ships without `up`). */
async function load(entry: Entry): Promise<Command | string> {
  try {
    return await entry.load();
  } catch (err) {
    if ((err as { code?: string }).code === 'ERR_MODULE_NOT_FOUND') return `"${entry.name}" is not part of this build (${(err as Error).message.split('\n')[0]})`;
    throw err;
  }
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(help() + '\n');
    return name ? ExitCode.ok : ExitCode.usage;
  }
  const entry = commands.find((c) => c.name === name);
  if (!entry) {
    process.stderr.write(`stratus: unknown command "${name}"\n\n${help()}\n`);
    return ExitCode.usage;
  }
  const command = await load(entry);
  if (typeof command === 'string') {
    process.stderr.write(`stratus: ${command}\n`);
    return ExitCode.failed;
  }
  try {
    return await command.run(args);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`stratus ${name}: ${err.message}\n\n${command.usage}\n`);
      return ExitCode.usage;
    }
    process.stderr.write(`stratus ${name}: ${err instanceof Error ? err.message : String(err)}\n`);
    return ExitCode.failed;
  }
}
