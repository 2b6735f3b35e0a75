// The contract module names each workflow type once; those names must be the exported workflow functions'.
import { ENVIRONMENT_WORKFLOW_TYPE, PHASES, SWEEP_WORKFLOW_TYPE } from '../../workflows/definitions';
import { environmentWorkflow, sweepWorkflow } from '../../workflows';

describe('workflow contract', () => {
  it('names the workflow types after the exported workflow functions', () => {
    expect(ENVIRONMENT_WORKFLOW_TYPE).toBe(environmentWorkflow.name);
    expect(SWEEP_WORKFLOW_TYPE).toBe(sweepWorkflow.name);
  });

  it('lists each phase once, Destroyed last', () => {
    expect(new Set(PHASES).size).toBe(PHASES.length);
    expect(PHASES[PHASES.length - 1]).toBe('Destroyed');
  });
});
