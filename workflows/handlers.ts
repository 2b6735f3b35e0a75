// The environment workflow's message handlers, registered before its first await: the `created` Update behind
// /create, the `debug` Update, the `cancel` and `complete` signals and the `status` query.
import { ApplicationFailure, condition, setHandler } from '@temporalio/workflow';
import type { DebugRequests } from './debug-requests';
import {
  cancelSignal,
  completeSignal,
  createdUpdate,
  DEBUG_FAILED,
  debugUpdate,
  ENVIRONMENT_NOT_READY,
  statusQuery,
} from './definitions';
import type { StopControl } from './keep-alive';
import type { EnvironmentState } from './state';

export type CreateOutcome = { ok: true } | { ok: false; failure: ApplicationFailure };

export interface HandlerContext {
  environmentId: string;
  state: EnvironmentState;
  control: StopControl;
  debug: DebugRequests;
  /** The outcome of the create calls, once known. */
  created(): CreateOutcome | undefined;
}

export function registerHandlers({ environmentId, state, control, debug, created }: HandlerContext): void {
  setHandler(createdUpdate, async () => {
    await condition(() => created() !== undefined);
    const outcome = created()!;
    if (!outcome.ok) throw outcome.failure;
    return { environmentId };
  });

  setHandler(
    debugUpdate,
    async () => {
      state.debugRequested();
      const answer = await debug.ask();
      if ('error' in answer) throw ApplicationFailure.create({ type: DEBUG_FAILED, message: answer.error });
      return answer;
    },
    {
      // The guard: refused before it is written to history unless the environment can be debugged.
      validator: () => {
        if (state.phase === 'Ready' || state.phase === 'Debugging') return;
        throw ApplicationFailure.create({
          type: ENVIRONMENT_NOT_READY,
          message: `Environment ${environmentId} is ${state.phase}: debug access needs a Ready environment`,
        });
      },
    },
  );

  setHandler(cancelSignal, () => {
    control.stopRequested = true;
    state.message('Cancel requested');
  });

  setHandler(completeSignal, (args) => {
    if (args?.enableDebug) {
      debug.enqueue(); // the CLI's way into the debug branch; the answer shows in the status query
      state.debugRequested();
      return;
    }
    control.stopRequested = true;
    state.message('Complete requested');
  });

  setHandler(statusQuery, () => state.snapshot());
}
