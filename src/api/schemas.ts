// The wire contract (contract §1–2) as TypeBox schemas: each is the validator, the OpenAPI document and the
// request type at once. Unknown properties are accepted and ignored, as Jackson did (no additionalProperties).
// Every string is bounded (maxLength + an ASCII pattern, see limits.ts), so bad input is a 400 naming the field.
import { Type, type Static, type TSchema } from 'typebox';
import { JSON_LIMITS_KEYWORD } from './json-limits';
import * as L from './limits';
import { PHASES } from '../../workflows/definitions';

const text = (maxLength: number, pattern: string, description?: string) =>
  Type.String({ maxLength, pattern, ...(description ? { description } : {}) });

/** `T | null`, without anyOf: a bad value is then reported alone, not with "must be null" and "anyOf" noise. */
function nullable<T extends TSchema>(schema: T) {
  const { type, ...rest } = schema as unknown as { type: string };
  return Type.Unsafe<Static<T> | null>({ ...rest, type: [type, 'null'] });
}

/** A string enum that is also bounded like every other string (the OpenAPI walk checks that). */
function choice<const V extends string>(values: readonly V[], description?: string) {
  const maxLength = Math.max(...values.map((v) => v.length));
  return Type.Unsafe<V>({ type: 'string', enum: [...values], maxLength, pattern: L.WORD, description });
}

const dnsLabel = (maxLength: number) => text(maxLength, L.DNS_LABEL);

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'HEAD', 'PATCH', 'OPTIONS'] as const;

/** `org.jboss.pnc.api.dto.Request`: the completion callback the driver calls. */
export const callbackRequestSchema = Type.Object({
  method: choice(HTTP_METHODS),
  uri: text(L.MAX.url, L.HTTP_URL, 'http(s) URL the result is sent to'),
  headers: Type.Optional(
    Type.Array(
      Type.Object({
        name: text(L.MAX.headerName, L.HTTP_TOKEN),
        value: text(L.MAX.headerValue, L.HEADER_VALUE),
      }),
      { maxItems: L.MAX.callbackHeaders },
    ),
  ),
  // Free-form JSON the driver carries along: bounded in depth and size, and well-formed Unicode.
  attachment: Type.Optional(
    Type.Unknown({
      [JSON_LIMITS_KEYWORD]: { maxDepth: L.MAX.attachmentDepth, maxLength: L.MAX.attachmentLength },
    }),
  ),
});

export const createRequestSchema = Type.Object({
  // Becomes part of object names: a DNS label short enough for `pnc-ba-service-<label>-<6 hex>` (≤ 63).
  environmentLabel: Type.Optional(nullable(dnsLabel(L.MAX.environmentLabel))),
  completionCallback: Type.Optional(nullable(callbackRequestSchema)),
  imageId: Type.Optional(nullable(text(L.MAX.imageId, L.IMAGE_REFERENCE, 'builder image reference'))),
  repositoryDependencyUrl: Type.Optional(nullable(text(L.MAX.url, L.URI_REFERENCE))),
  repositoryDeployUrl: Type.Optional(nullable(text(L.MAX.url, L.URI_REFERENCE))),
  repositoryBuildContentId: Type.Optional(nullable(text(L.MAX.identifier, L.IDENTIFIER))),
  // Parsed like Java's Double.parseDouble (GiB) after validation; the message then quotes the value.
  podMemoryOverride: Type.Optional(nullable(text(L.MAX.podMemoryOverride, L.PRINTABLE_ASCII, 'GiB, e.g. "8"'))),
  allowSshDebug: Type.Optional(nullable(Type.Boolean())),
  buildConfigId: Type.Optional(nullable(text(L.MAX.identifier, L.IDENTIFIER))),
  sidecarEnabled: Type.Optional(nullable(Type.Boolean())),
  sidecarArchiveEnabled: Type.Optional(nullable(Type.Boolean())),
});
export type CreateRequestBody = Static<typeof createRequestSchema>;

const logHeader = (description: string) => text(L.MAX.logHeader, L.PRINTABLE_ASCII, description);

/** The invoker's MDC headers on /create (contract §0). Blank required ones are refused by request-context.ts. */
export const createHeadersSchema = Type.Object({
  'log-process-context': logHeader('required'),
  'log-tmp': logHeader('required'),
  'log-exp': logHeader('required'),
  'log-user-id': logHeader('required'),
  'log-request-context': Type.Optional(logHeader('generated when absent')),
  'process-context-variant': Type.Optional(logHeader('echoed in cancel.headers')),
  'log-build-id': Type.Optional(logHeader('echoed in cancel.headers')),
  'trace-id': Type.Optional(logHeader('echoed in cancel.headers')),
  'span-id': Type.Optional(logHeader('echoed in cancel.headers')),
  'trace-flags': Type.Optional(logHeader('echoed in cancel.headers')),
  traceparent: Type.Optional(logHeader('W3C trace context')),
  tracestate: Type.Optional(logHeader('W3C trace context')),
});
export type CreateHeaders = Static<typeof createHeadersSchema>;

export const completeRequestSchema = Type.Object({
  // Goes into a label selector and a visibility query: only what a label value may be.
  environmentLabel: Type.Optional(nullable(text(L.MAX.dnsLabel, L.DNS_LABEL_OR_EMPTY))),
  // Checked before anything reaches Temporal: a workflow id is a DNS label here.
  environmentId: Type.Optional(nullable(text(L.MAX.dnsLabel, L.DNS_LABEL_OR_EMPTY))),
  enableDebug: Type.Optional(nullable(Type.Boolean())),
});

export const environmentIdParams = Type.Object({ environmentId: dnsLabel(L.MAX.dnsLabel) });

export const environmentsQuery = Type.Object({
  label: Type.Optional(dnsLabel(L.MAX.dnsLabel)),
  phase: Type.Optional(choice(PHASES)),
  // A string: query values are never coerced (coercion would also turn a body's `5` into "5").
  limit: Type.Optional(text(4, '^(1000|[1-9][0-9]{0,2})$', '1–1000, default 100')),
});

/** Temporal's codec-server protocol (POST /codec/encode|decode): payloads with base64 metadata and data. */
export const codecRequestSchema = Type.Object({
  payloads: Type.Array(
    Type.Object({
      metadata: Type.Optional(
        // additionalProperties rather than Type.Record's patternProperties, which OpenAPI 3.0 cannot show.
        Type.Unsafe<Record<string, string>>({
          type: 'object',
          additionalProperties: text(L.MAX.codecMetadataValue, L.BASE64),
          maxProperties: L.MAX.codecMetadataEntries,
          propertyNames: { type: 'string', maxLength: L.MAX.headerName, pattern: L.HTTP_TOKEN },
        }),
      ),
      data: Type.Optional(text(L.MAX.codecData, L.BASE64)),
    }),
    { maxItems: L.MAX.codecPayloads },
  ),
});
