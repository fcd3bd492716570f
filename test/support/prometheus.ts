// A real Prometheus (the Debian package's binary) scraping a load generator:
// a tiny HTTP server exposing gauges the test sets.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../pkg/util/ports.js';
import { sleep } from '../../pkg/util/sleep.js';

/** Exposes gauges in the Prometheus text format on /metrics. */
export class LoadGenerator {
  private readonly gauges = new Map<string, number>();
  private server?: Server;
  port = 0;

  set(name: string, value: number): void {
    this.gauges.set(name, value);
  }

  async start(): Promise<number> {
    this.server = createServer((req, res) => {
      if (req.url !== '/metrics') return void res.writeHead(404).end();
      const body = [...this.gauges].map(([k, v]) => `# TYPE ${k} gauge\n${k} ${v}\n`).join('');
      res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' }).end(body);
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const a = this.server.address();
    this.port = typeof a === 'object' && a ? a.port : 0;
    return this.port;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}

export function prometheusBinary(): string {
  const found = spawnSync('sh', ['-c', 'command -v prometheus'], { encoding: 'utf8' }).stdout.trim();
  if (!found) throw new Error('prometheus is not installed: apt-get install prometheus (.ci/run does this)');
  return found;
}

export class Prometheus {
  private child?: ChildProcess;
  private dir?: string;
  url = '';

  /** Starts Prometheus scraping `targets` (host:port) every second. */
  async start(targets: string[]): Promise<string> {
    const binary = prometheusBinary();
    this.dir = mkdtempSync(join(tmpdir(), 'stratus-prometheus-'));
    const config = join(this.dir, 'prometheus.yml');
    writeFileSync(
      config,
      `global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nscrape_configs:\n  - job_name: load\n    static_configs:\n      - targets: [${targets.map((t) => `"${t}"`).join(', ')}]\n`,
    );
    const port = await freePort();
    this.url = `http://127.0.0.1:${port}`;
    this.child = spawn(binary, [`--config.file=${config}`, `--storage.tsdb.path=${join(this.dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      try {
        if ((await fetch(`${this.url}/-/ready`)).ok) return this.url;
      } catch {
        // not up yet
      }
      await sleep(200);
    }
    throw new Error('prometheus did not become ready in 30 s');
  }

  async stop(): Promise<void> {
    if (this.child && this.child.exitCode === null) {
      const exited = new Promise((resolve) => this.child!.once('exit', resolve));
      this.child.kill('SIGTERM');
      await exited;
    }
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
  }
}
