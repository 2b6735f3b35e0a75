// The Java driver's failsafe retry loops: exponential backoff (factor 2), each wait capped by the budget left.
import type { RetryBudget } from '../workflows/types';

export interface Attempt<T> {
  /** Returns a value to stop, or undefined to try again; throws are remembered as the last error and retried. */
  (): Promise<T | undefined>;
}

export class BudgetExhausted extends Error {
  constructor(readonly lastError: string) {
    super(lastError);
  }
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Retries `attempt` until it yields a value or `deadline` (epoch ms) passes. */
export async function retryUntil<T>(
  attempt: Attempt<T>,
  budget: RetryBudget,
  deadline: number,
  signal?: AbortSignal,
  initialError = 'no attempt made',
): Promise<T> {
  let delay = budget.delayMs;
  let lastError = initialError;
  for (;;) {
    try {
      const value = await attempt();
      if (value !== undefined) return value;
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      lastError = error instanceof Error ? error.message : String(error);
    }
    const left = deadline - Date.now();
    if (left <= 0) throw new BudgetExhausted(lastError);
    await sleep(Math.min(delay, left), signal);
    delay = Math.min(delay * 2, budget.maxDelayMs);
  }
}
