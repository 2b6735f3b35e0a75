// The contract module names each workflow type once; those names must be the exported workflow functions'.
import * as templates from '../../src/config/default-templates';
import {
  ENVIRONMENT_WORKFLOW_TYPE,
  PHASES,
  POD_ENV_PROPERTIES,
  SWEEP_WORKFLOW_TYPE,
  TEMPLATE_PROPERTIES,
} from '../../workflows/definitions';
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

  it('knows every property the default templates use, and the pod passes the env table to the agent', () => {
    const used = Object.values(templates).flatMap((text) => [...text.matchAll(/%\{([^}:]+)/g)].map((m) => m[1]));
    expect(used.filter((name) => !(TEMPLATE_PROPERTIES as readonly string[]).includes(name))).toEqual([]);
    for (const [name, property] of Object.entries(POD_ENV_PROPERTIES)) {
      expect(templates.DEFAULT_POD_TEMPLATE).toContain(`- name: ${name}\n          value: '%{${property}}'`);
    }
  });
});
