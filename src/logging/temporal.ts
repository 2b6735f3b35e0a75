// The Temporal SDK logs through its Runtime logger: worker lifecycle, the workflow bundler (webpack's report),
// workflow `log` (through a sink), activity `log`, and — forwarded — the Rust core. This adapter hands all of it
// to pino, so it lands in the one JSON stream with the SDK's metadata as top-level fields.
import type { LogLevel, LogMetadata, Logger as TemporalLogger } from '@temporalio/common';
import { Runtime } from '@temporalio/worker';
import type { Level, Logger } from 'pino';
import { ENVIRONMENT_WORKFLOW_TYPE } from '../../workflows/definitions';

// Workflow ID = environmentId for the environment workflow type (DESIGN §3).

const LEVELS: Record<LogLevel, Level> = { TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' };
/** Keys pino writes itself: a metadata field of the same name would make a duplicate key. */
const RESERVED = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'service', 'role']);
const WEBPACK_REPORT = /^asset workflow-bundle-/;
/** An activity's task token completes the activity from anywhere: not for logs. */
const DROPPED = new Set(['taskToken']);
/** The worker's options ("Creating worker", DEBUG) hold the payload codec, and with it the encryption key. */
const SECRET_OPTIONS = ['dataConverter', 'loadedDataConverter'];

function withoutSecrets(options: unknown): unknown {
  if (typeof options !== 'object' || options === null) return options;
  const copy: Record<string, unknown> = { ...options };
  for (const key of SECRET_OPTIONS) if (key in copy) copy[key] = '[Redacted]';
  return copy;
}

/** SDK metadata → pino fields: errors under `err` (pino's serializer), `environmentId` on environment lines. */
export function temporalFields(meta: LogMetadata | undefined): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  // Object.keys skips symbol keys such as the SDK's LogTimestamp; pino stamps its own time.
  for (const key of Object.keys(meta ?? {})) {
    const value = meta![key];
    if (DROPPED.has(key) || value === undefined) continue;
    if ((key === 'error' || key === 'err') && value instanceof Error) fields.err = value;
    else if (key === 'options') fields.options = withoutSecrets(value);
    else fields[RESERVED.has(key) ? `temporal_${key}` : key] = value;
  }
  if (fields.environmentId === undefined && fields.workflowType === ENVIRONMENT_WORKFLOW_TYPE) {
    fields.environmentId = fields.workflowId;
  }
  return fields;
}

export class PinoTemporalLogger implements TemporalLogger {
  constructor(private readonly target: Logger) {}

  log(level: LogLevel, message: string, meta?: LogMetadata): void {
    // The bundler logs webpack's whole report at INFO on every start; only a failed bundle is news.
    const method = level === 'INFO' && WEBPACK_REPORT.test(message) ? 'debug' : (LEVELS[level] ?? 'info');
    if (this.target.isLevelEnabled(method)) this.target[method](temporalFields(meta), message);
  }
  trace(message: string, meta?: LogMetadata): void {
    this.log('TRACE', message, meta);
  }
  debug(message: string, meta?: LogMetadata): void {
    this.log('DEBUG', message, meta);
  }
  info(message: string, meta?: LogMetadata): void {
    this.log('INFO', message, meta);
  }
  warn(message: string, meta?: LogMetadata): void {
    this.log('WARN', message, meta);
  }
  error(message: string, meta?: LogMetadata): void {
    this.log('ERROR', message, meta);
  }
}

/**
 * Installs the SDK runtime with this logger; call once, before any Worker or NativeConnection. Core's own lines
 * (WARN and up, the SDK's default filter) are forwarded instead of printed by Rust in another format. With
 * forwarding the SDK holds every line of its logger back ~100 ms to merge both sources in time order (flushed on
 * shutdown; a SIGKILL loses that last 100 ms).
 */
export function installTemporalLogging(log: Logger): void {
  Runtime.install({
    logger: new PinoTemporalLogger(log),
    telemetryOptions: { logging: { filter: { core: 'WARN', other: 'ERROR' }, forward: {} } },
  });
}
