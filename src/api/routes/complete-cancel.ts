// PUT /complete and PUT /cancel/{id}: signals to the environment workflows, from any replica.
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { FastifyBaseLogger } from 'fastify';
import { randomBytes } from 'node:crypto';
import { cancelSignal, completeSignal } from '../../../workflows/definitions';
import { requestDebugAccess } from '../debug-access';
import type { ApiApp, ApiDeps } from '../deps';
import { HttpError } from '../errors';
import { completeRequestSchema, environmentIdParams } from '../schemas';

const NO_DEBUG = { debugHost: null, debugPort: -1 };

/** Signals one environment; an unknown or finished one is not an error (the Java driver answered 200 too). */
async function signalEnvironment(
  client: Client,
  log: FastifyBaseLogger,
  environmentId: string,
  signal: typeof cancelSignal | typeof completeSignal,
): Promise<boolean> {
  try {
    await client.workflow.getHandle(environmentId).signal(signal);
    return true;
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) {
      log.info({ environmentId }, 'no running environment with this id');
      return false;
    }
    throw error;
  }
}

/** Running environments with this label (visibility query). */
export async function runningEnvironmentIds(client: Client, taskQueue: string, label: string): Promise<string[]> {
  const ids: string[] = [];
  // Scoped to our task queue: deployments sharing a Temporal namespace must not complete each other's builds.
  const query = `WorkflowType = 'environmentWorkflow' AND TaskQueue = '${taskQueue}' AND EnvironmentLabel = '${label}' AND ExecutionStatus = 'Running'`;
  for await (const workflow of client.workflow.list({ query })) ids.push(workflow.workflowId);
  return ids;
}

export function completeCancelRoutes(app: ApiApp, { client, config }: ApiDeps): void {
  app.put('/cancel/:environmentId', { schema: { params: environmentIdParams } }, async (request) => {
    await signalEnvironment(client, request.log, request.params.environmentId, cancelSignal);
    return NO_DEBUG;
  });

  app.put('/complete', { schema: { body: completeRequestSchema } }, async (request) => {
    // Both names are DNS labels or empty by now (schema): nothing unbounded reaches Temporal or a selector.
    const { environmentLabel, environmentId, enableDebug } = request.body;
    if (enableDebug) {
      if (!environmentId || !environmentId.trim())
        throw new HttpError(400, 'BadRequestException', 'environmentId is required with enableDebug');
      return requestDebugAccess(client, environmentId, config.settings);
    }
    if (environmentLabel && environmentLabel.trim()) {
      const ids = await runningEnvironmentIds(client, config.temporal.taskQueue, environmentLabel);
      await Promise.all(ids.map((id) => signalEnvironment(client, request.log, id, completeSignal)));
      // Objects of this label that no running workflow owns (leftovers, debug objects) go too.
      const sweep = await client.workflow.start('sweepWorkflow', {
        workflowId: `sweep-label-${environmentLabel}-${randomBytes(3).toString('hex')}`,
        taskQueue: config.temporal.taskQueue,
        args: [{ labelSelector: `environment=${environmentLabel}`, olderThanMs: 0 }],
      });
      request.log.info(
        { environmentLabel, environments: ids.length, sweep: sweep.workflowId },
        'completed environments by label',
      );
    } else if (environmentId && environmentId.trim()) {
      await signalEnvironment(client, request.log, environmentId, completeSignal);
    } else {
      throw new HttpError(400, 'BadRequestException', 'environmentId or environmentLabel is required');
    }
    return NO_DEBUG;
  });
}
