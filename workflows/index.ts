// The worker's workflowsPath: every workflow type this task queue runs.
export { environmentWorkflow } from './environment';
export { sweepWorkflow } from './sweep';
