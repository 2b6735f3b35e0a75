// Debug requests waiting for the debug branch: `debug` Updates await their answer; `complete` signals with
// enableDebug (the CLI path) only read it later in the status query. One run of the branch answers every request
// that arrived before it started; later ones wait for the next run (which renews the lease).
import type { DebugAccessReply } from './definitions';

export type DebugAnswer = DebugAccessReply | { error: string };

export class DebugRequests {
  private waiters: ((answer: DebugAnswer) => void)[] = [];
  private signalled = 0;

  get pending(): boolean {
    return this.waiters.length > 0 || this.signalled > 0;
  }

  /** An Update's request: resolves with the answer of the branch run that takes it. */
  ask(): Promise<DebugAnswer> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** A signal's request: nobody waits, the answer is published in the status query. */
  enqueue(): void {
    this.signalled++;
  }

  /** Takes every request received so far; those arriving later wait for the next run of the branch. */
  take(): (answer: DebugAnswer) => void {
    const waiters = this.waiters;
    this.waiters = [];
    this.signalled = 0;
    return (answer) => waiters.forEach((resolve) => resolve(answer));
  }
}
