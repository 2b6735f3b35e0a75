// Activity stubs with the timeouts and retry policies derived from the environment's settings snapshot.
import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { EnvironmentSettings, RetryBudget } from './types';

const retryFrom = (budget: RetryBudget) => ({
  initialInterval: budget.delayMs,
  maximumInterval: budget.maxDelayMs,
  backoffCoefficient: 2,
});

export function environmentActivities(settings: EnvironmentSettings) {
  const monitorMs =
    Math.max(settings.podRunning.durationMs, settings.serviceRunning.durationMs) + settings.agentPing.durationMs;
  // proxyActivities returns a Proxy: pick the functions out explicitly (spreading a Proxy copies nothing).
  // A local activity: it runs inside the first workflow task, so /create's pass-through reply waits for the two
  // create calls plus one workflow task instead of an activity dispatch and a second task (two round trips).
  const { createPodAndService } = proxyLocalActivities<Pick<Activities, 'createPodAndService'>>({
    startToCloseTimeout: settings.httpRequestTimeoutMs * 2,
    scheduleToCloseTimeout: settings.httpRequestTimeoutMs * 4,
    retry: { initialInterval: 200, maximumInterval: 2000, backoffCoefficient: 2 },
  });
  const { awaitEnvironmentReady } = proxyActivities<Pick<Activities, 'awaitEnvironmentReady'>>({
    startToCloseTimeout: monitorMs + 60_000,
    heartbeatTimeout: settings.heartbeatTimeoutMs,
    retry: { initialInterval: 1000, maximumInterval: 5000, backoffCoefficient: 2, maximumAttempts: 20 },
  });
  // Room for the final-log upload to Bifrost (bounded by its max delay) before the callback request itself.
  const { sendCallback } = proxyActivities<Pick<Activities, 'sendCallback'>>({
    startToCloseTimeout:
      (settings.finalLogMaxDelayMs ?? 0) + settings.httpConnectTimeoutMs + settings.httpRequestTimeoutMs,
    scheduleToCloseTimeout: settings.callback.durationMs,
    retry: retryFrom(settings.callback),
  });
  const { destroyEnvironment } = proxyActivities<Pick<Activities, 'destroyEnvironment'>>({
    startToCloseTimeout: 60_000,
    scheduleToCloseTimeout: settings.destroy.durationMs,
    retry: retryFrom(settings.destroy),
  });
  const { enableDebug } = proxyActivities<Pick<Activities, 'enableDebug'>>({
    startToCloseTimeout: settings.sshPing.durationMs + settings.httpRequestTimeoutMs * 2,
    scheduleToCloseTimeout: settings.sshPing.durationMs + settings.httpRequestTimeoutMs * 4,
    retry: { initialInterval: 500, maximumInterval: 2000, backoffCoefficient: 2 },
  });
  return { createPodAndService, awaitEnvironmentReady, sendCallback, destroyEnvironment, enableDebug };
}
