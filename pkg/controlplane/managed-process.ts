// A child process of the control plane: started with its output in a log file,
// stopped with SIGTERM and, after a grace period, SIGKILL.
//
// Children run in their own process group so a Ctrl-C in the terminal reaches
// only Stratus, which then stops them in order (controller-manager, apiserver,
// etcd). Where util-linux's `setpriv` exists, each child is also given a
// parent-death signal, so even a SIGKILLed Stratus leaves no process behind.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { openSync, closeSync, readFileSync } from 'node:fs';

let setprivChecked: boolean | undefined;
function hasSetpriv(): boolean {
  setprivChecked ??= spawnSync('setpriv', ['--help'], { stdio: 'ignore' }).status === 0;
  return setprivChecked;
}

export interface ManagedProcessOptions {
  name: string;
  command: string;
  args: string[];
  logFile: string;
  env?: NodeJS.ProcessEnv;
}

export class ManagedProcess {
  readonly name: string;
  readonly logFile: string;
  private readonly child: ChildProcess;
  private readonly exited: Promise<number | null>;
  private exitCode: number | null | undefined;

  constructor(options: ManagedProcessOptions) {
    this.name = options.name;
    this.logFile = options.logFile;
    const out = openSync(options.logFile, 'a');
    const [command, args] = hasSetpriv()
      ? ['setpriv', ['--pdeathsig', 'SIGKILL', '--', options.command, ...options.args]]
      : [options.command, options.args];
    try {
      this.child = spawn(command, args, {
        stdio: ['ignore', out, out],
        detached: true,
        env: options.env ?? process.env,
      });
    } finally {
      closeSync(out);
    }
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        this.exitCode = code ?? (signal ? -1 : null);
        resolve(this.exitCode);
      });
      this.child.once('error', () => {
        this.exitCode = -1;
        resolve(-1);
      });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return this.exitCode === undefined;
  }

  /** Resolves with the exit code when the process ends, for whatever reason. */
  whenExited(): Promise<number | null> {
    return this.exited;
  }

  /** The last lines of the process's log, for error messages. */
  logTail(lines = 20): string {
    try {
      return readFileSync(this.logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '';
    }
  }

  async stop(graceMs = 10_000): Promise<void> {
    if (!this.running) return;
    this.signal('SIGTERM');
    const timer = setTimeout(() => this.signal('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  /** Sends a signal to the whole process group (the child and anything it started). */
  signal(sig: NodeJS.Signals): void {
    if (this.child.pid === undefined || !this.running) return;
    try {
      process.kill(-this.child.pid, sig);
    } catch {
      // Already gone.
    }
  }
}
