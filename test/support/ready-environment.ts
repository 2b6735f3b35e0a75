// Brings one environment to Ready the way a cluster would: agent up on the Service's cluster IP, pod Running,
// and the SUCCESS callback received.
import { environmentNames } from '../../workflows/names';
import type { TestDriver } from './driver';
import { startBuildAgent, type startCallbackReceiver } from './fakes';
import { call, createBody, serviceAddress } from './invoker';
import { markPodRunning } from './kubelet';

type Receiver = Awaited<ReturnType<typeof startCallbackReceiver>>;

export async function readyEnvironment(
  driver: TestDriver,
  receiver: Receiver,
  overrides: Record<string, unknown> = {},
) {
  const created = await call(driver.baseUrl, 'POST', '/create', createBody(receiver.url(), overrides));
  if (created.status !== 200) throw new Error(`/create answered ${created.status}: ${created.text}`);
  const environmentId: string = created.json.environmentId;
  const names = environmentNames(String(overrides.environmentLabel ?? 'azq3l5f6dbaaa'), environmentId);
  const { ip, port } = await serviceAddress(driver.kube, environmentId);
  const agent = await startBuildAgent(ip, port);
  const callbacks = receiver.received.length;
  await markPodRunning(driver.kube, names.podName);
  const callback = await receiver.next(callbacks + 1);
  const body = JSON.parse(callback.body);
  if (body.status !== 'SUCCESS') throw new Error(`expected SUCCESS, got ${callback.body}`);
  return { environmentId, names, agent, callback: body };
}
