// Local mode supervises its embedded servers: a Temporal dev server, etcd or kube-apiserver that dies is
// reported by /q/health/ready and restarted on the same ports and data, and environments carry on.
// The whole `npm start` runs as a child process; the servers are SIGKILLed as a crash would, and the test keeps
// the dead server's port taken for a while, so every restart fails until it lets go: supervision must keep
// retrying with its backoff, and readiness must stay DOWN meanwhile.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createKubeClients } from '../../activities/k8s/client';
import { environmentNames } from '../../workflows/names';
import { call, createBody, eventually } from '../support/invoker';
import { alive, occupyPort, startLocalMode, type LocalModeProcess } from '../support/local-mode-process';

interface Health {
  status: string;
  checks: { name: string; status: string; data?: Record<string, string | number> }[];
}

describe('local mode with embedded servers', () => {
  let driver: LocalModeProcess;
  const ready = async () => {
    const response = await call(driver.baseUrl, 'GET', '/q/health/ready');
    return { status: response.status, body: response.json as Health };
  };
  const check = (health: Health, name: string) => health.checks.find((c) => c.name === name)!;
  /** The driver's own log lines (not the per-request ones), for failure messages and log assertions. */
  const logLines = () =>
    driver
      .output()
      .split('\n')
      .filter((line) => !line.includes('"reqId"'));
  const fail = (what: string) => (error: Error) => {
    throw new Error(`${what}: ${error.message}\n--- driver output (tail) ---\n${logLines().slice(-60).join('\n')}`);
  };
  const create = async () => {
    const created = await call(driver.baseUrl, 'POST', '/create', createBody(null));
    if (created.status !== 200) throw new Error(`/create answered ${created.status}: ${created.text}`);
    return created.json.environmentId as string;
  };
  const restartDelays = (name: string) =>
    logLines()
      .filter((line) => line.includes(`"child":"${name}"`) && line.includes('restartInMs'))
      .map((line) => (JSON.parse(line) as { restartInMs: number }).restartInMs);

  /**
   * SIGKILLs `kill`, holds `port` of `held` until that child failed `attempts` restarts (readiness DOWN all along),
   * then lets go and waits (bounded) until everything is UP again.
   */
  const crash = async (kill: string[], held: string, port: number, attempts: number) => {
    const before = driver.stackFile().children;
    for (const name of kill) process.kill(before[name].pid!, 'SIGKILL');
    const blocker = await occupyPort(port);
    const readyWhileDown: Health[] = [];
    let down: Health;
    try {
      down = await eventually(
        `${held} DOWN after ${attempts} failed restarts`,
        async () => {
          const health = await ready();
          const child = check(health.body, `embedded ${held}`);
          if (health.status !== 503 && child.status === 'DOWN') readyWhileDown.push(health.body);
          return child.status === 'DOWN' && Number(child.data!.restarts) >= attempts ? health.body : undefined;
        },
        60_000,
      ).catch(fail('not DOWN and retried'));
    } finally {
      blocker.close();
    }
    expect(readyWhileDown).toEqual([]);
    const up = await eventually(
      'ready UP again',
      async () => {
        const health = await ready();
        return health.status === 200 ? health.body : undefined;
      },
      120_000,
    ).catch(fail('not restarted'));
    const after = driver.stackFile().children;
    for (const name of kill) expect(after[name].pid).not.toBe(before[name].pid);
    return { down, up };
  };

  beforeAll(async () => {
    driver = await startLocalMode();
    await eventually('local mode ready', async () => (await ready()).status === 200, 240_000).catch(
      fail('never ready'),
    );
  }, 300_000);
  afterAll(() => {
    if (!driver) return;
    writeFileSync(join(driver.dataDir, 'driver-output.log'), driver.output());
    // Whatever happened above: leave nothing running (its servers run in process groups of their own).
    let children: number[] = [];
    try {
      children = Object.values(driver.stackFile().children).flatMap((c) => (c.pid ? [c.pid] : []));
    } catch {
      // no stack file: the driver removed it on a clean exit
    }
    if (alive(-driver.pid)) process.kill(-driver.pid, 'SIGKILL');
    for (const pid of children) if (alive(pid)) process.kill(pid, 'SIGKILL');
    // Keep the logs, not the ~90 MB of data.
    for (const heavy of ['home', 'kube/etcd'])
      rmSync(join(driver.dataDir, heavy), { recursive: true, force: true, maxRetries: 3 });
  });

  it('reports each embedded server as a readiness check', async () => {
    const health = await ready();
    expect(health.body.checks.map((c) => c.name)).toEqual([
      'Running.',
      'Temporal',
      'embedded temporal',
      'embedded etcd',
      'embedded kube-apiserver',
    ]);
    expect(health.body.checks.every((c) => c.status === 'UP')).toBe(true);
  });

  it('restarts a killed Temporal dev server on the same data; the worker and the API reconnect', async () => {
    const earlier = await create();
    const { down, up } = await crash(['temporal'], 'temporal', driver.temporalPort, 3);
    expect(check(down, 'embedded temporal').data!.reason).toMatch(/killed by SIGKILL|exited with code/);
    expect(Number(check(up, 'embedded temporal').data!.restarts)).toBeGreaterThanOrEqual(3);
    expect(restartDelays('temporal').slice(0, 3)).toEqual([500, 1000, 2000]);
    expect(logLines().some((line) => line.includes('"msg":"temporal restarted"'))).toBe(true);

    // Same SQLite file: the environment created before the crash is still there, and its worker answers.
    const status = await eventually(
      'status query after the restart',
      async () => {
        const response = await call(driver.baseUrl, 'GET', `/environments/${earlier}`);
        return response.status === 200 ? response.json : undefined;
      },
      60_000,
    ).catch(fail('environment lost'));
    expect(status).toMatchObject({ environmentId: earlier });
    await create();
  }, 300_000);

  it('restarts killed etcd and kube-apiserver with the same ports, data and tokens', async () => {
    const kubeconfig = join(driver.dataDir, 'kube', 'kubeconfig');
    const kube = createKubeClients({ kubeconfig, namespace: null });
    const apiPort = Number(new URL(kube.kubeConfig.getCurrentCluster()!.server).port);
    const earlier = await create();
    const { down, up } = await crash(['etcd', 'kube-apiserver'], 'kube-apiserver', apiPort, 2);
    expect(down.status).toBe('DOWN');
    expect(check(down, 'Temporal').status).toBe('UP'); // only the embedded check saw it
    expect(Number(check(up, 'embedded etcd').data!.restarts)).toBeGreaterThanOrEqual(1);

    const environmentId = await create();
    // The kubeconfig written at start still works, and etcd kept what was created before the crash.
    for (const id of [earlier, environmentId]) {
      const { podName } = environmentNames('', id);
      const pod = await kube.core.readNamespacedPod({ name: podName, namespace: kube.namespace });
      expect(pod.metadata!.labels).toMatchObject({ 'pnc-environment-id': id });
    }
  }, 300_000);

  it('stops everything on SIGTERM to the process group (as Ctrl-C does), restarting nothing', async () => {
    const pids = Object.values(driver.stackFile().children).map((c) => c.pid!);
    expect(pids.every(alive)).toBe(true);
    // The servers run in groups of their own, so only the driver gets it: it drains its worker while Temporal still
    // runs, then stops the servers itself, and exits cleanly.
    process.kill(-driver.pid, 'SIGTERM');
    const exitCode = await Promise.race([
      driver.exited,
      new Promise((_, reject) => setTimeout(() => reject(new Error('no exit within 60 s')), 60_000).unref()),
    ]).catch(fail('SIGTERM'));
    expect(exitCode).toBe(0);
    const lines = logLines();
    const shutdown = lines.findIndex((line) => line.includes('"msg":"shutting down"'));
    expect(shutdown).toBeGreaterThanOrEqual(0);
    expect(lines.slice(shutdown).filter((line) => /restart/.test(line))).toEqual([]);
    // Gone, or going: a child it SIGKILLed on its way out may take a moment to be reaped.
    await eventually('no process of its group left, restarted or not', async () => !alive(-driver.pid), 10_000).catch(
      fail(`still alive: ${pids.filter(alive).join(', ')}`),
    );
    expect(pids.filter(alive)).toEqual([]);
    expect(() => driver.stackFile()).toThrow(/no .*local-stack\.json/);
  });
});
