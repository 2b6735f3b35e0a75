// The environment's observable state: what the `status` query answers and the search attributes mirror.
// Lives only in workflow memory (rebuilt by replay), so messages cost no history events.
import { upsertSearchAttributes } from '@temporalio/workflow';
import { environmentPhaseKey } from './definitions';
import type { EnvironmentInput, EnvironmentStatus, Phase, ResultStatus } from './types';

const MAX_MESSAGES = 50;

export class EnvironmentState {
  private readonly status: EnvironmentStatus;
  private seq = 0;

  constructor(input: EnvironmentInput) {
    const now = new Date().toISOString();
    this.status = {
      environmentId: input.names.environmentId,
      environmentLabel: input.names.environmentLabel,
      phase: 'Creating',
      conditions: [{ phase: 'Creating', enteredAt: now }],
      messages: [],
      createdAt: now,
      updatedAt: now,
      result: null,
      environmentBaseUri: null,
      debug: null,
    };
  }

  get phase(): Phase {
    return this.status.phase;
  }

  enter(phase: Phase, message?: string): void {
    if (this.status.phase === phase) return;
    this.status.phase = phase;
    this.status.conditions.push({ phase, enteredAt: new Date().toISOString() });
    // Destroying lasts milliseconds: not worth a history event (the status query still shows it).
    if (phase !== 'Destroying') upsertSearchAttributes([{ key: environmentPhaseKey, value: phase }]);
    this.message(message ?? `Phase ${phase}`);
  }

  message(text: string): void {
    const at = new Date().toISOString();
    this.status.messages.push({ seq: ++this.seq, at, text });
    if (this.status.messages.length > MAX_MESSAGES) this.status.messages.shift();
    this.status.updatedAt = at;
  }

  recordResult(status: ResultStatus, reason: string | null, environmentBaseUri: string | null): void {
    this.status.result = { status, reason, delivered: false };
    this.status.environmentBaseUri = environmentBaseUri;
  }

  markDelivered(delivered: boolean): void {
    if (this.status.result) this.status.result.delivered = delivered;
  }

  /** A debug request arrived (Update `debug` or signal `complete` with enableDebug); see `debugAnswered`. */
  debugRequested(): void {
    const previous = this.status.debug;
    this.status.debug = {
      state: 'Requested',
      host: previous?.host ?? null,
      port: previous?.port ?? null,
      error: null,
      leaseExpiresAt: previous?.leaseExpiresAt ?? null,
    };
    this.message('Debug access requested');
  }

  /** Publishes the debug branch's answer: access with its lease, or the error. */
  debugAnswered(answer: { host: string; port: number; leaseExpiresAt: string } | { error: string }): void {
    const debug = this.status.debug!;
    if ('error' in answer) {
      Object.assign(debug, { state: 'Failed', error: answer.error });
      this.message(`Debug access failed: ${answer.error}`);
    } else {
      Object.assign(debug, { state: 'Ready', error: null, ...answer });
      this.message(`Debug access on ${answer.host}:${answer.port} until ${answer.leaseExpiresAt}`);
    }
  }

  snapshot(): EnvironmentStatus {
    return JSON.parse(JSON.stringify(this.status)) as EnvironmentStatus;
  }
}
