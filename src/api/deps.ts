// What the REST adapter needs. It holds no state of its own: any replica can answer any request.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Client } from '@temporalio/client';
import type {
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { DriverConfig } from '../config';
import type { DriverMetrics } from '../metrics';

export interface Lifecycle {
  shuttingDown: boolean;
}

export interface ApiDeps {
  config: DriverConfig;
  client: Client;
  lifecycle: Lifecycle;
  /** Optional: tests that do not look at metrics leave it out. */
  metrics?: DriverMetrics;
}

/** The routes' Fastify instance: the TypeBox provider types each request from its route's schemas. */
export type ApiApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;
