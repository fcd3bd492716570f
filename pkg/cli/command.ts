// The shape every stratus subcommand shares: parsed flags in, exit code out.
import { parseArgs, type ParseArgsConfig } from 'node:util';

export interface Command {
  name: string;
  usage: string;
  run(args: string[]): Promise<number>;
}

/** Exit codes: 0 ok, 1 the work failed (invalid manifests, unhealthy objects), 2 bad usage. */
export const ExitCode = { ok: 0, failed: 1, usage: 2 } as const;

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** parseArgs with errors turned into UsageError, so every command reports them the same way. */
export function parseFlags<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T, allowPositionals = false) {
  try {
    return parseArgs({ args, options, allowPositionals, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}
