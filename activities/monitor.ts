// awaitEnvironmentReady: one heartbeating activity for the whole readiness wait (pod ‖ service, then agent
// ping), so the workflow history stays small. Progress is kept in heartbeat details: a retry on another
// worker resumes the same phase with the budget that was left, instead of starting the clock again.
import { Context, log } from '@temporalio/activity';
import type { EnvironmentInput, ReadinessOutcome } from '../workflows/types';
import { awaitAgent } from './agent';
import { BudgetExhausted } from './backoff';
import type { ActivityDeps } from './deps';
import { TIMEOUT_MESSAGE } from './messages';
import { awaitPodRunning } from './pods';
import { describePodResources } from './quota';
import { awaitServiceAddress } from './services';

interface MonitorProgress {
  phase: 'pod' | 'agent';
  phaseStartedAt: number;
  serviceUri?: string;
}

export function createMonitorActivities(deps: ActivityDeps) {
  const { kube } = deps;

  async function awaitPodAndService(
    input: EnvironmentInput,
    startedAt: number,
    signal: AbortSignal,
  ): Promise<string | ReadinessOutcome> {
    const { names, settings } = input;
    const both = new AbortController();
    const onAbort = () => both.abort(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      const pod = awaitPodRunning(
        kube,
        names.podName,
        settings.podRunning,
        startedAt + settings.podRunning.durationMs,
        both.signal,
      )
        .catch(async (error: unknown) => {
          if (!(error instanceof BudgetExhausted)) throw error;
          const resources = await describePodResources(kube, names.podName);
          return {
            kind: 'failed' as const,
            status: 'FAILED' as const,
            cause: 'PodRunningTimeout',
            reason: `Unable to start pod ${names.podName}. ${error.lastError}${TIMEOUT_MESSAGE}${resources}`,
          };
        })
        .then((outcome) => {
          if (outcome.kind === 'failed') both.abort(new Error('pod failed')); // the first failure short-circuits the other
          return outcome;
        });
      const service = awaitServiceAddress(
        kube,
        names.serviceName,
        settings.agentServiceScheme,
        settings.serviceRunning,
        startedAt + settings.serviceRunning.durationMs,
        both.signal,
      );
      const podOutcome = await pod;
      if (podOutcome.kind === 'failed') {
        service.catch(() => undefined);
        deps.metrics.readiness(podOutcome.status, podOutcome.cause);
        return { ready: false, status: podOutcome.status, reason: podOutcome.reason };
      }
      try {
        return await service;
      } catch (error) {
        if (error instanceof BudgetExhausted) {
          deps.metrics.readiness('FAILED', 'ServiceTimeout');
          return { ready: false, status: 'FAILED', reason: `${error.lastError}${TIMEOUT_MESSAGE}` };
        }
        throw error;
      }
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }

  return {
    async awaitEnvironmentReady(input: EnvironmentInput): Promise<ReadinessOutcome> {
      const context = Context.current();
      const signal = context.cancellationSignal;
      const progress: MonitorProgress = (context.info.heartbeatDetails as MonitorProgress | undefined) ?? {
        phase: 'pod',
        phaseStartedAt: Date.now(),
      };
      context.heartbeat(progress);
      const beat = setInterval(() => context.heartbeat(progress), 1000);
      try {
        if (progress.phase === 'pod') {
          const address = await awaitPodAndService(input, progress.phaseStartedAt, signal);
          if (typeof address !== 'string') return address;
          Object.assign(progress, { phase: 'agent', phaseStartedAt: Date.now(), serviceUri: address });
          context.heartbeat(progress);
        }
        const { settings, names } = input;
        const baseUri = `${progress.serviceUri}${names.contextPath}`;
        try {
          await awaitAgent(
            `${baseUri}${settings.agentPingPath}`,
            settings.httpRequestTimeoutMs,
            settings.agentPing,
            progress.phaseStartedAt + settings.agentPing.durationMs,
            signal,
          );
        } catch (error) {
          if (error instanceof BudgetExhausted) {
            deps.metrics.readiness('FAILED', 'AgentTimeout');
            return {
              ready: false,
              status: 'FAILED',
              reason: `Build agent did not answer within the time allowed: ${error.lastError}`,
            };
          }
          throw error;
        }
        deps.metrics.readiness('SUCCESS', 'Ready');
        log.info('environment ready', { environmentId: names.environmentId, environmentBaseUri: baseUri });
        return { ready: true, environmentBaseUri: baseUri };
      } finally {
        clearInterval(beat);
      }
    },
  };
}
