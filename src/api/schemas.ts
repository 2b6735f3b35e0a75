// JSON schemas of the wire contract (contract §1–2). Unknown properties are accepted and ignored, as Jackson did.
const nullableString = { type: ['string', 'null'] } as const;

export const requestSchema = {
  type: 'object',
  required: ['method', 'uri'],
  properties: {
    method: { type: 'string', enum: ['GET', 'POST', 'PUT', 'DELETE', 'HEAD', 'PATCH', 'OPTIONS'] },
    uri: { type: 'string', pattern: '^https?://' },
    headers: {
      type: 'array',
      items: {
        type: 'object',
        required: ['name', 'value'],
        properties: { name: { type: 'string', minLength: 1 }, value: { type: 'string' } },
      },
    },
    attachment: {},
  },
} as const;

export const createRequestSchema = {
  type: 'object',
  properties: {
    // Becomes part of object names: a DNS label short enough for `pnc-ba-service-<label>-<6 hex>` (≤ 63).
    environmentLabel: { type: ['string', 'null'], pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$', maxLength: 41 },
    // Nullable without anyOf: a bad field is then reported alone, not with "must be null" and "anyOf" noise.
    completionCallback: { ...requestSchema, type: ['object', 'null'] },
    imageId: nullableString,
    repositoryDependencyUrl: nullableString,
    repositoryDeployUrl: nullableString,
    repositoryBuildContentId: nullableString,
    podMemoryOverride: nullableString,
    allowSshDebug: { type: ['boolean', 'null'] },
    buildConfigId: nullableString,
    sidecarEnabled: { type: ['boolean', 'null'] },
    sidecarArchiveEnabled: { type: ['boolean', 'null'] },
  },
} as const;

export const completeRequestSchema = {
  type: 'object',
  properties: {
    // Goes into a label selector: only what a label value may be.
    environmentLabel: { type: ['string', 'null'], pattern: '^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?$', maxLength: 63 },
    environmentId: nullableString,
    enableDebug: { type: ['boolean', 'null'] },
  },
} as const;

export const environmentIdParams = {
  type: 'object',
  required: ['environmentId'],
  properties: { environmentId: { type: 'string', pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$', maxLength: 63 } },
} as const;
