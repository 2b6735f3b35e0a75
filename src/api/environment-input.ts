// Maps a validated /create request onto the workflow input: REST schema → workflow types, one way.
import { randomBytes } from 'node:crypto';
import { environmentNames } from '../../workflows/names';
import type { EnvironmentCreateRequest, EnvironmentInput, RequestContext } from '../../workflows/types';
import type { DriverConfig } from '../config';
import { badRequest } from './errors';
import { InvalidMemoryError, resourcesMemory } from './pod-memory';

export type CreateBody = Partial<{ [K in keyof EnvironmentCreateRequest]: EnvironmentCreateRequest[K] | null }>;

export function normalizeCreateRequest(body: CreateBody): EnvironmentCreateRequest {
  const callback = body.completionCallback ?? null;
  return {
    environmentLabel: body.environmentLabel ?? null,
    completionCallback: callback && {
      ...callback,
      headers: callback.headers ?? [],
      attachment: callback.attachment ?? null,
    },
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
    if (error instanceof InvalidMemoryError) throw badRequest(`podMemoryOverride: ${error.message}`);
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
