// Types shared by the REST adapter, the workflow and the activities. Pure types: no runtime imports.
import type { PHASES } from './definitions';

/** The invoker's `Request` DTO (contract §2.2). */
export interface HttpRequestSpec {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'HEAD' | 'PATCH' | 'OPTIONS';
  uri: string;
  headers: { name: string; value: string }[];
  attachment: unknown;
}

/** Validated `EnvironmentCreateRequest` (contract §1.1). Strings may be null, booleans default to false. */
export interface EnvironmentCreateRequest {
  environmentLabel: string | null;
  completionCallback: HttpRequestSpec | null;
  imageId: string | null;
  repositoryDependencyUrl: string | null;
  repositoryDeployUrl: string | null;
  repositoryBuildContentId: string | null;
  podMemoryOverride: string | null;
  allowSshDebug: boolean;
  buildConfigId: string | null;
  sidecarEnabled: boolean;
  sidecarArchiveEnabled: boolean;
}

/** The invoker's log/trace headers captured at /create (contract §0); both template keys and outbound headers. */
export interface RequestContext {
  processContext: string;
  tmp: string;
  exp: string;
  userId: string;
  /** Ordered name/value pairs echoed in `cancel.headers` (log-*, trace headers). */
  headers: { name: string; value: string }[];
  traceparent?: string;
  traceId?: string;
  spanId?: string;
}

/** A retry loop of the Java driver: a total budget and an exponential backoff (factor 2). */
export interface RetryBudget {
  durationMs: number;
  delayMs: number;
  maxDelayMs: number;
}

/** The driver settings an environment needs, snapshotted into the workflow input at /create. */
export interface EnvironmentSettings {
  podRunning: RetryBudget;
  serviceRunning: RetryBudget;
  agentPing: RetryBudget;
  callback: RetryBudget;
  destroy: RetryBudget;
  sshPing: RetryBudget;
  httpConnectTimeoutMs: number;
  httpRequestTimeoutMs: number;
  /** build-agent.service-scheme, e.g. `http`. */
  agentServiceScheme: string;
  /** build-agent.ping-path, appended to `/pnc-ba-<envId>` without a slash in between. */
  agentPingPath: string;
  /** build-agent.host: the Route host of debug access; the debug host itself on a cluster without Routes. */
  agentHost: string;
  workingDirectory: string;
  sshServicePortName: string;
  /** How long a Ready environment lives without complete/cancel (the pod's activeDeadlineSeconds by default). */
  lifetimeMs: number;
  /** How long a Failed environment is kept for inspection before it is destroyed. */
  failedGraceMs: number;
  /** How long a debugged environment is kept; asking for debug again renews it. */
  debugLeaseMs: number;
  /** Heartbeat timeout of the long activities: how fast a dead worker's wait is taken over. */
  heartbeatTimeoutMs: number;
  /**
   * bifrost-uploader.max-delay when a Bifrost is configured: the room the callback activity leaves for the final-log
   * upload. Absent from older inputs and when no Bifrost is configured (no room, no upload).
   */
  finalLogMaxDelayMs?: number;
}

/** The names of the objects an environment owns (contract §3.1). */
export interface EnvironmentNames {
  environmentId: string;
  environmentLabel: string;
  podName: string;
  serviceName: string;
  sshServiceName: string;
  routeName: string;
  secretName: string;
  /** `/pnc-ba-<envId>` */
  contextPath: string;
}

/** The workflow input. */
export interface EnvironmentInput {
  names: EnvironmentNames;
  request: EnvironmentCreateRequest;
  context: RequestContext;
  /** `ceil(GiB*1024)Mi`, computed and validated at the edge. */
  resourcesMemory: string;
  settings: EnvironmentSettings;
}

export type ResultStatus = 'SUCCESS' | 'FAILED' | 'TIMED_OUT' | 'CANCELLED' | 'SYSTEM_ERROR';

/** One of PHASES (workflows/definitions.ts), in the order an environment passes them. */
export type Phase = (typeof PHASES)[number];

export interface StatusMessage {
  seq: number;
  at: string;
  text: string;
}

export interface PhaseCondition {
  phase: Phase;
  enteredAt: string;
}

export interface DebugState {
  state: 'Requested' | 'Ready' | 'Failed';
  host: string | null;
  port: number | null;
  error: string | null;
  /** When the debug lease ends, ISO time; null before the debug objects exist. */
  leaseExpiresAt: string | null;
}

/** What the callback activity renders into the environment's user log for Bifrost (contract §2.1). */
export interface FinalLogSource {
  /** The invoker's MDC headers from /create (RequestContext.headers): Bifrost files the log under them. */
  headers: { name: string; value: string }[];
  createdAt: string;
  conditions: PhaseCondition[];
  /** The newest status messages, capped in number and length. */
  messages: StatusMessage[];
}

/** What the `status` query answers. */
export interface EnvironmentStatus {
  environmentId: string;
  environmentLabel: string;
  phase: Phase;
  conditions: PhaseCondition[];
  messages: StatusMessage[];
  createdAt: string;
  updatedAt: string;
  /** The callback outcome once sent (or given up on). */
  result: { status: ResultStatus; reason: string | null; delivered: boolean } | null;
  environmentBaseUri: string | null;
  debug: DebugState | null;
}

/** What the readiness monitor concludes. */
export type ReadinessOutcome =
  { ready: true; environmentBaseUri: string } | { ready: false; status: 'FAILED' | 'SYSTEM_ERROR'; reason: string };

/** The callback body, `EnvironmentCreateResult` (contract §2.3), plus an additive reason on failures. */
export interface EnvironmentCreateResult {
  environmentBaseUri: string | null;
  workingDirectory: string | null;
  sshPassword: string | null;
  status: ResultStatus;
  reason?: string;
}

/** Input of the sweep workflow (orphan reaper Schedule, complete-by-label). */
export interface SweepInput {
  /** Extra label selector, e.g. `environment=build-1`; empty for every object of ours. */
  labelSelector: string;
  /** Only objects whose environment's newest object is at least this old. */
  olderThanMs: number;
}

export interface SweepResult {
  environmentsSeen: number;
  skippedLive: number;
  skippedYoung: number;
  deleted: string[];
  /** Kinds whose list call failed, `<Kind>: <error>`; the other kinds were still swept. */
  listFailures: string[];
}

/** The four object templates as configured (YAML text; see src/config/default-templates.ts). */
export interface EnvironmentTemplateSources {
  pod: string;
  service: string;
  sshService: string;
  route: string;
}

/** Driver-wide values that go into the template properties (config keys of contract §3.4). */
export interface TemplateDefaults {
  firewallAllowedDestinations: string;
  allowedHttpOutgoingDestinations: string | null;
  proxyServer: string | null;
  proxyPort: string | null;
  nonProxyHosts: string;
  containerPort: string;
  builderPodMemoryGiB: number;
  /** Used when a request has no repositoryDependencyUrl / repositoryDeployUrl (artifactory.default-*-repo). */
  defaultDependencyUrl?: string | null;
  defaultDeployUrl?: string | null;
}
