// Maps a validated /create request onto the workflow input: REST body type → workflow types, one way. Only the
// fields of the contract are carried over; unknown properties (accepted and ignored) never reach Temporal.
import { randomBytes } from 'node:crypto';
import { environmentNames } from '../../workflows/names';
import type {
  EnvironmentCreateRequest,
  EnvironmentInput,
  HttpRequestSpec,
  RequestContext,
} from '../../workflows/types';
import type { DriverConfig } from '../config';
import { badRequest } from './errors';
import { InvalidMemoryError, resourcesMemory } from './pod-memory';
import type { CreateRequestBody } from './schemas';

/** The REST body of /create, as its schema types it. */
export type CreateBody = CreateRequestBody;
type CallbackBody = NonNullable<CreateBody['completionCallback']>;

function callbackSpec(callback: CallbackBody): HttpRequestSpec {
  return {
    method: callback.method,
    uri: callback.uri,
    headers: (callback.headers ?? []).map(({ name, value }) => ({ name, value })),
    attachment: callback.attachment ?? null,
  };
}

export function normalizeCreateRequest(body: CreateBody): EnvironmentCreateRequest {
  return {
    environmentLabel: body.environmentLabel ?? null,
    completionCallback: body.completionCallback ? callbackSpec(body.completionCallback) : null,
    imageId: body.imageId ?? null,
    repositoryDependencyUrl: body.repositoryDependencyUrl ?? null,
    repositoryDeployUrl: body.repositoryDeployUrl ?? null,
    repositoryBuildContentId: body.repositoryBuildContentId ?? null,
    podMemoryOverride: body.podMemoryOverride ?? null,
    allowSshDebug: body.allowSshDebug ?? false,
    buildConfigId: body.buildConfigId ?? null,
    sidecarEnabled: body.sidecarEnabled ?? false,
    sidecarArchiveEnabled: body.sidecarArchiveEnabled ?? false,
  };
}

export function buildEnvironmentInput(
  body: CreateBody,
  context: RequestContext,
  config: DriverConfig,
): EnvironmentInput {
  const request = normalizeCreateRequest(body);
  let memory: string;
  try {
    memory = resourcesMemory(request.podMemoryOverride, config.templateDefaults.builderPodMemoryGiB);
  } catch (error) {
    if (error instanceof InvalidMemoryError) throw badRequest(`body/podMemoryOverride: ${error.message}`);
    throw error;
  }
  // The Java driver turned a null label into "null-xxxxxx"; kept for wire compatibility.
  const label = request.environmentLabel ?? 'null';
  const environmentId = `${label}-${randomBytes(3).toString('hex')}`;
  return {
    names: environmentNames(label, environmentId),
    request,
    context,
    resourcesMemory: memory,
    settings: config.settings,
  };
}
