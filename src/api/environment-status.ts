// One environment's `status` query, with "no such environment" as the 404 the REST contract expects.
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { statusQuery } from '../../workflows/definitions';
import type { EnvironmentStatus } from '../../workflows/types';
import { HttpError } from './errors';

export async function environmentStatus(client: Client, environmentId: string): Promise<EnvironmentStatus> {
  try {
    return await client.workflow.getHandle(environmentId).query(statusQuery);
  } catch (error) {
    if (error instanceof WorkflowNotFoundError)
      throw new HttpError(404, 'NotFoundException', `No environment ${environmentId}`);
    throw error;
  }
}
