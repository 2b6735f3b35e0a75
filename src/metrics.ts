// Prometheus metrics: what the driver did (per outcome and failure cause) and how many environments are in each
// phase right now (from Temporal visibility at scrape time, so every replica reports the same truth).
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ActivityMetrics } from '../activities/deps';

export interface DriverMetrics {
  registry: Registry;
  activities: ActivityMetrics;
  createRequest(outcome: string, seconds: number): void;
  /** Environments per phase, counted by Temporal visibility when scraped (API role only). */
  countPhasesWith(count: () => Promise<Record<string, number>>): void;
}

export function createMetrics(): DriverMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const creates = new Histogram({
    name: 'environment_driver_create_duration_seconds',
    help: 'POST /create, from request to pass-through reply, by outcome',
    labelNames: ['outcome'],
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers,
  });
  const readiness = new Counter({
    name: 'environment_driver_readiness_total',
    help: 'Readiness waits by result (SUCCESS, FAILED, SYSTEM_ERROR) and cause (pod status or what timed out)',
    labelNames: ['status', 'cause'],
    registers,
  });
  const callbacks = new Counter({
    name: 'environment_driver_callback_attempts_total',
    help: 'Callback delivery attempts by result status and whether the invoker accepted it',
    labelNames: ['status', 'delivered'],
    registers,
  });
  const finalLogs = new Counter({
    name: 'environment_driver_final_log_uploads_total',
    help: 'Final-log uploads to Bifrost before a callback, by outcome (uploaded, refused, gave-up, no-room)',
    labelNames: ['outcome'],
    registers,
  });
  const deleted = new Counter({
    name: 'environment_driver_objects_deleted_total',
    help: 'Kubernetes objects deleted by environment destroy or by the orphan sweeper',
    labelNames: ['by'],
    registers,
  });
  const artifactoryTokens = new Counter({
    name: 'environment_driver_artifactory_tokens_total',
    help: 'Artifactory build-agent tokens: minted, mint-failed, revoked, unknown (404), revoke-failed, unconfigured',
    labelNames: ['event'],
    registers,
  });
  return {
    registry,
    activities: {
      readiness: (status, cause) => readiness.inc({ status, cause }),
      callbackAttempt: (status, delivered) => callbacks.inc({ status, delivered: String(delivered) }),
      finalLogUpload: (outcome) => finalLogs.inc({ outcome }),
      deleted: (by, count) => deleted.inc({ by }, count),
      artifactoryToken: (event) => artifactoryTokens.inc({ event }),
    },
    createRequest: (outcome, seconds) => creates.observe({ outcome }, seconds),
    countPhasesWith(count) {
      new Gauge({
        name: 'environment_driver_environments',
        help: 'Running environments by phase (Temporal visibility)',
        labelNames: ['phase'],
        registers,
        async collect() {
          // A running workflow is never Destroyed: that phase is its last step.
          for (const [phase, running] of Object.entries(await count()))
            if (phase !== 'Destroyed') this.set({ phase }, running);
        },
      });
    },
  };
}
