// The environment's user log as Bifrost's final-log upload wants it (contract §2.1), byte for byte what the Java
// client (pnc bifrost-upload-client BifrostLogUploader.uploadString) sends: a multipart form of text/plain parts
// md5sum, endTime, loggerName, tag and logfile, the whole body gzip-compressed (Content-Encoding: gzip); md5sum is
// the hex MD5 of the logfile part's UTF-8 bytes, before compression (Bifrost checks it against what it stores).
import { createHash, randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { EnvironmentNames, FinalLogSource, ResultStatus } from '../workflows/types';

/** The Java driver's user logger: Bifrost shows the environment part of a build log under it. */
export const FINAL_LOG_LOGGER_NAME = 'org.jboss.pnc._userlog_.envdriver';
export const FINAL_LOG_TAG = 'build-log';

export interface UserLogFacts {
  names: EnvironmentNames;
  source: FinalLogSource;
  status: ResultStatus;
  reason: string | null;
  endTime: Date;
}

const seconds = (fromIso: string, to: Date | string) =>
  `${((new Date(to).getTime() - new Date(fromIso).getTime()) / 1000).toFixed(1)} s`;

/**
 * One line per status message with its time, how long each phase took, and the result. Only what the status query
 * shows anyway: no ssh password, token or header value is ever part of the source.
 */
export function renderUserLog({ names, source, status, reason, endTime }: UserLogFacts): string {
  // Continuation lines of a multi-line message are indented, so every line that starts with a time is a message.
  const indent = (text: string) => text.replace(/\n/g, '\n  ');
  const lines = [
    `Environment ${names.environmentId} (label ${names.environmentLabel}), created ${source.createdAt}`,
    ...source.messages.map((message) => `${message.at} ${indent(message.text)}`),
  ];
  const phases = source.conditions.map((condition, i) => {
    const next = source.conditions[i + 1];
    return next ? `${condition.phase} ${seconds(condition.enteredAt, next.enteredAt)}` : condition.phase;
  });
  lines.push(`Phases: ${phases.join(' → ')}`);
  const ready = source.conditions.find((condition) => condition.phase === 'Ready');
  if (ready) lines.push(`Pod running and build agent answering after ${seconds(source.createdAt, ready.enteredAt)}`);
  lines.push(`Result ${status} after ${seconds(source.createdAt, endTime)}${reason ? `: ${indent(reason)}` : ''}`);
  return `${lines.join('\n')}\n`;
}

export function md5Hex(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex');
}

export interface FinalLogBody {
  contentType: string;
  /** The gzip-compressed multipart form. */
  body: Uint8Array;
  md5sum: string;
}

/** The upload's body. endTime in ISO-8601 (Bifrost parses it as an OffsetDateTime). */
export function finalLogBody(log: string, endTime: Date): FinalLogBody {
  const md5sum = md5Hex(log);
  const boundary = `envdriver-${randomBytes(12).toString('hex')}`;
  const parts: [string, string][] = [
    ['md5sum', md5sum],
    ['endTime', endTime.toISOString()],
    ['loggerName', FINAL_LOG_LOGGER_NAME],
    ['tag', FINAL_LOG_TAG],
    ['logfile', log],
  ];
  const form = parts
    .map(
      ([name, value]) =>
        `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n` +
        `Content-Type: text/plain; charset=UTF-8\r\n\r\n${value}\r\n`,
    )
    .join('');
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    body: gzipSync(Buffer.from(`${form}--${boundary}--\r\n`, 'utf8')),
    md5sum,
  };
}
