// What the REST adapter needs. It holds no state of its own: any replica can answer any request.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Tracer } from '@opentelemetry/api';
import type { Client } from '@temporalio/client';
import type {
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { DriverConfig } from '../config';
import type { EnvironmentClient } from '../temporal/environment-client';
import type { DriverMetrics } from '../metrics';

export interface Lifecycle {
  shuttingDown: boolean;
}

/** One check of a MicroProfile health answer. */
export interface HealthCheck {
  name: string;
  status: 'UP' | 'DOWN';
  data?: Record<string, string | number>;
}

export interface ApiDeps {
  config: DriverConfig;
  /** Wrapped in the Temporal client layer (EnvironmentClient) before any route sees it. */
  client: Client;
  lifecycle: Lifecycle;
  /** Optional: tests that do not look at metrics leave it out. */
  metrics?: DriverMetrics;
  /** Local mode: the embedded servers this process supervises; ready is DOWN while one is down. */
  embeddedChecks?: () => HealthCheck[];
  /** Set when tracing is on (OTEL_*): a server span per request, continuing the invoker's traceparent. */
  tracer?: Tracer;
}

/** What routes get: the Temporal client layer instead of the raw client. */
export interface RouteDeps extends Omit<ApiDeps, 'client'> {
  environments: EnvironmentClient;
}

/** The routes' Fastify instance: the TypeBox provider types each request from its route's schemas. */
export type ApiApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;
