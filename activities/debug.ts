// enableDebug: SSH access to a live environment. Creates the NodePort ssh service and the Route (both owned by
// the pod and labelled, so nothing leaks), then really checks the SSH port — unlike the Java driver, whose check
// could never fail. On a cluster without the Route API the host is build-agent.host (what the default Route
// template puts in spec.host anyway) and no Route is made.
import { ApplicationFailure } from '@temporalio/common';
import { Context, log } from '@temporalio/activity';
import { connect } from 'node:net';
import type { EnvironmentInput, RetryBudget } from '../workflows/types';
import { DEBUG_FAILED } from '../workflows/definitions';
import { BudgetExhausted, retryUntil } from './backoff';
import { podOwnerReference } from './create';
import type { ActivityDeps } from './deps';
import { createFailure } from './k8s/errors';
import { renderDebugObjects } from './environment-objects';
import { createObject, readObject, type Manifest } from './objects';
import { TemplateError } from './templates';

export interface DebugAccess {
  host: string;
  port: number;
}

/** One TCP connect; resolves when something accepts (sshd), rejects with the socket error otherwise. */
function tcpConnect(host: string, port: number, timeoutMs: number): Promise<true> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port, timeout: timeoutMs });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => socket.destroy(new Error(`connect timeout after ${timeoutMs} ms`)));
    socket.once('error', reject);
  });
}

export async function checkSshPort(
  host: string,
  port: number,
  connectTimeoutMs: number,
  budget: RetryBudget,
  signal?: AbortSignal,
): Promise<void> {
  try {
    await retryUntil(() => tcpConnect(host, port, connectTimeoutMs), budget, Date.now() + budget.durationMs, signal);
  } catch (error) {
    if (!(error instanceof BudgetExhausted)) throw error;
    throw ApplicationFailure.nonRetryable(
      `SSH port ${host}:${port} did not accept a connection within ${budget.durationMs / 1000} s: ${error.lastError}`,
      DEBUG_FAILED,
    );
  }
}

function renderDebug(deps: ActivityDeps, input: EnvironmentInput, pod: Manifest) {
  try {
    return renderDebugObjects(deps, input, podOwnerReference(pod), deps.routeApi);
  } catch (error) {
    if (error instanceof TemplateError)
      throw ApplicationFailure.nonRetryable(`Debug template: ${error.message}`, DEBUG_FAILED);
    throw error;
  }
}

export function createDebugActivities(deps: ActivityDeps) {
  return {
    async enableDebug(input: EnvironmentInput): Promise<DebugAccess> {
      const { kube } = deps;
      const { names, settings } = input;
      const pod = await readObject(kube, 'Pod', names.podName);
      const { sshService, route } = renderDebug(deps, input, pod);
      const created = await Promise.all([
        createObject(kube, 'Service', sshService),
        route ? createObject(kube, 'Route', route) : null,
      ]).catch((error) => {
        const failure = createFailure(error, 'debug objects');
        if (failure instanceof ApplicationFailure && failure.nonRetryable) {
          throw ApplicationFailure.nonRetryable(`Cannot create debug objects: ${failure.message}`, DEBUG_FAILED);
        }
        throw failure;
      });
      const ports: Manifest[] = created[0].spec?.ports ?? [];
      const port = ports.find((p) => p.name === settings.sshServicePortName)?.nodePort;
      if (!port)
        throw ApplicationFailure.nonRetryable(
          `No ssh service in response! No port named ${settings.sshServicePortName} with a nodePort`,
          DEBUG_FAILED,
        );
      const host: string | undefined = created[1] ? created[1].spec?.host : settings.agentHost;
      if (!host) {
        const why = route ? `Route ${names.routeName} has no spec.host` : 'No Route API and build-agent.host is empty';
        throw ApplicationFailure.nonRetryable(why, DEBUG_FAILED);
      }
      await checkSshPort(
        host,
        port,
        settings.httpConnectTimeoutMs,
        settings.sshPing,
        Context.current().cancellationSignal,
      );
      log.info('debug access ready', { environmentId: names.environmentId, host, port });
      return { host, port };
    },
  };
}
