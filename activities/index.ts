// createActivities(deps): every activity of the driver, bound to its Kubernetes client and settings.
import type { ActivityDeps } from './deps';
import { createCallbackActivities } from './callback';
import { createCleanupActivities } from './cleanup';
import { createCreateActivities } from './create';
import { createDebugActivities } from './debug';
import { createMonitorActivities } from './monitor';
import { createSweeperActivities } from './sweeper';

export type { ActivityDeps } from './deps';

export function createActivities(deps: ActivityDeps) {
  return {
    ...createCreateActivities(deps),
    ...createMonitorActivities(deps),
    ...createCallbackActivities(deps),
    ...createCleanupActivities(deps),
    ...createDebugActivities(deps),
    ...createSweeperActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
