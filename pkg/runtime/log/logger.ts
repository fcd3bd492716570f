// Structured logs (winston): JSON lines for machines, or a compact text form
// for a terminal. Controllers log through child loggers that carry
// `controller`, `key` and `reconcileID`.
import winston from 'winston';

export type LogFormat = 'json' | 'text';

export interface LoggerOptions {
  level?: string;
  format?: LogFormat;
  /** Defaults to stderr, so stdout stays free for command output. */
  stream?: NodeJS.WritableStream;
}

const textFormat = winston.format.printf((info) => {
  const { level, message, timestamp, ...rest } = info;
  const fields = Object.entries(rest)
    .filter(([k]) => typeof k === 'string')
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ');
  return `${String(timestamp)} ${level.padEnd(5)} ${String(message)}${fields ? ' ' + fields : ''}`;
});

export function createLogger(o: LoggerOptions = {}): winston.Logger {
  return winston.createLogger({
    level: o.level ?? 'info',
    format: winston.format.combine(
      winston.format.timestamp(),
      winston.format.errors({ stack: true }),
      o.format === 'text' ? textFormat : winston.format.json(),
    ),
    transports: [new winston.transports.Stream({ stream: o.stream ?? process.stderr })],
  });
}

/** A logger that drops everything: the default where none is given. */
export function silentLogger(): winston.Logger {
  return winston.createLogger({ silent: true, transports: [new winston.transports.Console({ silent: true })] });
}

