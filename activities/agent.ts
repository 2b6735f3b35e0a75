// The build agent answers HTTP: `HEAD <serviceUri>/pnc-ba-<envId><ping-path>` until a 2xx.
import type { RetryBudget } from '../workflows/types';
import { retryUntil } from './backoff';

export async function pingOnce(url: string, timeoutMs: number, signal: AbortSignal): Promise<boolean> {
  const response = await fetch(url, {
    method: 'HEAD',
    signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]),
  });
  if (response.status >= 200 && response.status < 300) return true;
  throw new Error(`Build agent ping ${url}: response status code ${response.status}`);
}

export function awaitAgent(
  url: string,
  requestTimeoutMs: number,
  budget: RetryBudget,
  deadline: number,
  signal: AbortSignal,
): Promise<boolean> {
  return retryUntil(
    () => pingOnce(url, requestTimeoutMs, signal),
    budget,
    deadline,
    signal,
    `Build agent ${url} did not answer.`,
  );
}
