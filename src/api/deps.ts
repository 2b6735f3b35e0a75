// What the REST adapter needs. It holds no state of its own: any replica can answer any request.
import type { Client } from '@temporalio/client';
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
