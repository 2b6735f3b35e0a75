// The build agent's repository token comes from Indy (contract §3.9): asked per build content id with the
// driver's service credential, delivered to the pod through its Secret, never written to workflow history.
import { environmentNames } from '../../workflows/names';
import { startDriver } from '../support/driver';
import { startFakeIndy } from '../support/fakes';
import { call, createBody } from '../support/invoker';
import { namespaceObjects } from '../support/observe';

describe('repository token from Indy', () => {
  it('is fetched for the build content id and reaches the pod through its Secret only', async () => {
    const indy = await startFakeIndy(200);
    const driver = await startDriver({ env: { INDY_URL: indy.url, CALLBACK_AUTHORIZATION: 'Bearer service-account' } });
    try {
      const created = await call(driver.baseUrl, 'POST', '/create', createBody(null));
      expect(created.status).toBe(200);
      const names = environmentNames('azq3l5f6dbaaa', created.json.environmentId);
      expect(indy.requests).toEqual([
        expect.objectContaining({ url: '/api/security/auth/token', body: '{"build-id":"build-AZQ3L5F6DBAAA"}' }),
      ]);
      expect(indy.requests[0].headers.authorization).toBe('Bearer service-account');

      const secret = await driver.kube.core.readNamespacedSecret({
        name: names.secretName,
        namespace: driver.kube.namespace,
      });
      expect(Buffer.from(secret.data!.accessToken, 'base64').toString()).toBe('indy-token-1');
      const pod = await driver.kube.core.readNamespacedPod({ name: names.podName, namespace: driver.kube.namespace });
      const env = pod.spec!.containers[0].env!.find((e) => e.name === 'accessToken')!;
      expect(env.valueFrom?.secretKeyRef).toMatchObject({ name: names.secretName, key: 'accessToken' });

      const strings: string[] = [];
      JSON.stringify(await driver.client.workflow.getHandle(names.environmentId).fetchHistory(), (_k, v) => {
        if (typeof v === 'string') strings.push(v, Buffer.from(v, 'base64').toString('latin1'));
        return v;
      });
      expect(strings.join('\n')).toContain(names.podName);
      expect(strings.join('\n')).not.toContain('indy-token-1');
      await call(driver.baseUrl, 'PUT', `/cancel/${names.environmentId}`);
    } finally {
      await driver.stop();
      await indy.stop();
    }
  });

  it('answers 500 and creates nothing when Indy refuses', async () => {
    const indy = await startFakeIndy(403);
    const driver = await startDriver({ env: { INDY_URL: indy.url } });
    try {
      const created = await call(driver.baseUrl, 'POST', '/create', createBody(null));
      expect(created).toMatchObject({ status: 500, json: { errorType: 'DriverException', details: null } });
      expect(created.json.errorMessage).toMatch(/Cannot get token from Indy/);
      expect(await namespaceObjects(driver.kube)).toEqual([]);
    } finally {
      await driver.stop();
      await indy.stop();
    }
  });
});
