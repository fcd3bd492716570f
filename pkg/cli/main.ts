// The stratus command line: dispatches to a subcommand.
import { ExitCode, UsageError, type Command } from './command.js';
import { runCommand } from './run.js';
import { upCommand } from './up.js';
import { validateCommand } from './validate.js';
import { statusCommand } from './status.js';
import { installCommand, uninstallCommand } from './install.js';
import { syncCommand } from './sync.js';

const commands: Command[] = [upCommand, runCommand, installCommand, uninstallCommand, validateCommand, statusCommand, syncCommand];

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

export async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(help() + '\n');
    return name ? ExitCode.ok : ExitCode.usage;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    process.stderr.write(`stratus: unknown command "${name}"\n\n${help()}\n`);
    return ExitCode.usage;
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
