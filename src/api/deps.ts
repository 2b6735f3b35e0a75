// What the REST adapter needs. It holds no state of its own: any replica can answer any request.
import type { Client } from '@temporalio/client';
import type { DriverConfig } from '../config';
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
  client: Client;
  lifecycle: Lifecycle;
  /** Optional: tests that do not look at metrics leave it out. */
  metrics?: DriverMetrics;
  /** Local mode: the embedded servers this process supervises; ready is DOWN while one is down. */
  embeddedChecks?: () => HealthCheck[];
}
