// One log stream: pino writes one JSON object per line on stdout; on a terminal (or with LOG_FORMAT=pretty) the
// same records are rendered for humans by pino-pretty. The API's Fastify logger and the Temporal SDK (temporal.ts)
// write through the same stream, so nothing else reaches stdout.
import { hostname } from 'node:os';
import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import pretty from 'pino-pretty';

export type LogFormat = 'auto' | 'json' | 'pretty';

export interface LoggingConfig {
  level: string;
  format: LogFormat;
  /** Fields on every line (service, role). */
  base?: Record<string, string>;
}

/** A pino logger and the options Fastify needs to make its own one on the same stream. */
export interface Logging {
  log: Logger;
  /** For `Fastify({ logger })`: Fastify builds its logger from options and refuses a ready-made pino instance. */
  fastifyOptions: LoggerOptions & { stream: DestinationStream };
}

export function resolveFormat(format: LogFormat, isTTY = process.stdout.isTTY === true): 'json' | 'pretty' {
  return format === 'auto' ? (isTTY ? 'pretty' : 'json') : format;
}

/** Synchronous in both formats: the last lines before process.exit() are not lost. */
function destination(format: 'json' | 'pretty'): DestinationStream {
  if (format === 'json') return pino.destination({ dest: 1, sync: true });
  return pretty({
    destination: 1,
    sync: true,
    colorize: process.stdout.isTTY === true,
    translateTime: 'SYS:HH:MM:ss.l',
    singleLine: true,
    ignore: 'pid,hostname,service',
  });
}

export function createLogging(config: LoggingConfig): Logging {
  const stream = destination(resolveFormat(config.format));
  const options: LoggerOptions = {
    level: config.level,
    base: { pid: process.pid, hostname: hostname(), ...config.base },
    // Fastify logs request headers only on request; an Authorization value never goes out.
    redact: ['req.headers.authorization'],
  };
  return { log: pino(options, stream), fastifyOptions: { ...options, stream } };
}
