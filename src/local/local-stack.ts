// The embedded servers of one `npm start` (local mode), seen together: their readiness checks, one switch that
// ends supervision at shutdown, and <DATA_DIR>/local-stack.json naming their current pids and log files while
// this process lives.
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import type { EmbeddedCheck, Supervised, SupervisionOptions, SupervisorLog } from './supervisor';

export class LocalStack {
  private readonly children: Supervised[] = [];
  /** Pass to startTemporalDevServer / startControlPlane. */
  readonly supervision: SupervisionOptions;

  constructor(
    private readonly file: string,
    private readonly log: SupervisorLog,
  ) {
    this.supervision = { log, onChange: () => this.writeFile() };
  }

  add(...children: Supervised[]): void {
    // However this process ends normally, its children end with it (processes.ts): so does the file naming them.
    if (this.children.length === 0) process.once('exit', () => rmSync(this.file, { force: true }));
    this.children.push(...children);
    this.writeFile();
  }

  checks = (): EmbeddedCheck[] => this.children.map((child) => child.check());

  /** A deliberate shutdown: children that exit from now on (Ctrl-C reaches them too) stay down. */
  halt(): void {
    for (const child of this.children) child.halt();
  }

  private writeFile(): void {
    const children = Object.fromEntries(
      this.children.map((child) => [
        child.name,
        { pid: child.pid(), status: child.check().status, logFile: child.logFile },
      ]),
    );
    try {
      writeFileSync(`${this.file}.tmp`, JSON.stringify({ pid: process.pid, children }, null, 2));
      renameSync(`${this.file}.tmp`, this.file); // readers never see half a file
    } catch (error) {
      this.log.warn({ err: error, file: this.file }, 'could not write the local stack file');
    }
  }
}
