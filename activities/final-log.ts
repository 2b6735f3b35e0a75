// The final log (contract §2.1): before its callback, an environment's user log goes to Bifrost. Bifrost is a
// courtesy, the callback is not: the upload has a time budget (bifrost-uploader.max-delay, and never more than the
// callback attempt's own timeout leaves), and whatever Bifrost does, the callback follows.
import { Context, log } from '@temporalio/activity';
import { setTimeout as sleep } from 'node:timers/promises';
import type { EnvironmentCreateResult, EnvironmentNames, FinalLogSource } from '../workflows/types';
import type { ActivityMetrics } from './deps';
import { finalLogBody, renderUserLog } from './final-log-format';
import type { OutboundHttp } from './outbound-http';

export interface FinalLogTarget {
  /** Bifrost's base URL; the upload goes to `/final-log/upload` on its host, as Java's `URI.resolve` did. */
  apiUrl: string;
  maxDelayMs: number;
}

export type FinalLogOutcome = 'uploaded' | 'refused' | 'gave-up' | 'no-room';

/** Java's client retried 6 times, 10 s more each time; ours waits 1 s more each time, within the budget. */
const MAX_ATTEMPTS = 7;
const RETRY_STEP_MS = 1000;
/** Kept free for the activity's own work besides the two HTTP calls (reading the ssh password Secret). */
const SLACK_MS = 1000;

export interface FinalLogUpload {
  names: EnvironmentNames;
  result: EnvironmentCreateResult;
  source: FinalLogSource;
  requestTimeoutMs: number;
  budgetMs: number;
}

/** Transport failures by name and code only: never the URL (it may carry credentials) nor any header. */
function describe(error: unknown): string {
  const cause = (error as { cause?: { code?: string } }).cause;
  const { name, message } = error as Error;
  return `${name}: ${message}${cause?.code ? ` (${cause.code})` : ''}`;
}

/** Posts the log, retrying transport errors, 429 and 5xx (as the Java client), until the budget is spent. */
export async function uploadFinalLog(
  outbound: OutboundHttp,
  target: FinalLogTarget,
  upload: FinalLogUpload,
): Promise<{ outcome: FinalLogOutcome; attempts: number; error?: string }> {
  const deadline = Date.now() + upload.budgetMs;
  const endTime = new Date();
  const { status, reason } = upload.result;
  const text = renderUserLog({ names: upload.names, source: upload.source, status, reason: reason ?? null, endTime });
  const { contentType, body } = finalLogBody(text, endTime);
  const headers = new Headers();
  for (const { name, value } of upload.source.headers) headers.append(name, value);
  headers.set('Content-Type', contentType);
  headers.set('Content-Encoding', 'gzip');
  const url = new URL('/final-log/upload', target.apiUrl).toString();
  let error = '';
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    try {
      const response = await outbound(url, {
        method: 'POST',
        headers,
        body,
        timeoutMs: Math.max(1, Math.min(upload.requestTimeoutMs, deadline - Date.now())),
        serviceAuth: true,
      });
      await response.body?.cancel();
      if (response.ok) return { outcome: 'uploaded', attempts: attempt };
      error = `Bifrost answered ${response.status}`;
      if (response.status !== 429 && response.status < 500) return { outcome: 'refused', attempts: attempt, error };
    } catch (failure) {
      error = describe(failure);
    }
    const pauseMs = attempt * RETRY_STEP_MS;
    if (attempt === MAX_ATTEMPTS || Date.now() + pauseMs >= deadline)
      return { outcome: 'gave-up', attempts: attempt, error };
    await sleep(pauseMs);
  }
  return { outcome: 'gave-up', attempts: MAX_ATTEMPTS, error };
}

/** What sendCallback records in its heartbeat details, so a retried attempt does not upload again. */
interface CallbackProgress {
  finalLog?: FinalLogOutcome;
}

/**
 * Uploads the final log once per callback: the first attempt that gets this far uploads (or gives up), then
 * heartbeats the outcome, which later attempts read. A worker dying between the upload and that heartbeat makes
 * the next attempt upload again: at least once, never a callback lost or delayed beyond the budget.
 */
export async function uploadFinalLogOnce(
  deps: { outbound: OutboundHttp; metrics: ActivityMetrics; finalLog?: FinalLogTarget | null },
  input: { names: EnvironmentNames; result: EnvironmentCreateResult; requestTimeoutMs: number },
  // Absent from inputs scheduled by workflow code older than the final log: nothing to upload then.
  source: FinalLogSource | undefined,
): Promise<void> {
  const target = deps.finalLog;
  if (!target || !source) return;
  const context = Context.current();
  const progress = context.info.heartbeatDetails as CallbackProgress | undefined;
  if (progress?.finalLog) return;
  const { environmentId } = input.names;
  // An activity scheduled before Bifrost was configured has no room for it in its timeout: the callback wins.
  const budgetMs = Math.min(target.maxDelayMs, context.info.startToCloseTimeoutMs - input.requestTimeoutMs - SLACK_MS);
  const { outcome, attempts, error } =
    budgetMs > 0
      ? await uploadFinalLog(deps.outbound, target, { ...input, source, budgetMs })
      : { outcome: 'no-room' as const, attempts: 0, error: 'no time left in the callback attempt' };
  deps.metrics.finalLogUpload(outcome);
  if (outcome === 'uploaded') log.info('final log uploaded to Bifrost', { environmentId, attempts });
  else log.warn('final log not uploaded to Bifrost; the callback goes on', { environmentId, outcome, attempts, error });
  context.heartbeat({ finalLog: outcome } satisfies CallbackProgress);
}
