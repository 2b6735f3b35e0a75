// A trivial workflow for the stack smoke test: proves a real worker runs code and search attributes index.
import { upsertSearchAttributes } from '@temporalio/workflow';
import { environmentLabelKey } from '../../../workflows/definitions';

export async function smokeWorkflow(label: string): Promise<string> {
  upsertSearchAttributes([{ key: environmentLabelKey, value: label }]);
  return `hello ${label}`;
}
