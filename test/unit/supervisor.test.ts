// The supervisor on real child processes (`sleep`, `false`): restarts with a doubling, capped backoff that resets
// after a stable run, reports DOWN/UP, gives up on a first start that fails, and never restarts once halted.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasEnded, startProcess, waitUntil, type ManagedProcess } from '../../src/local/processes';
import { supervise, type Backoff, type Supervised } from '../../src/local/supervisor';

const dir = mkdtempSync(join(tmpdir(), 'supervisor-test-'));

/** A child that runs until killed, or (`crashing`) one that exits at once, failing its readiness probe. */
function fakeServer(crashing: (spawn: number) => boolean) {
  const spawned: ManagedProcess[] = [];
  const delays: number[] = [];
  const spec = {
    name: 'fake',
    spawn: () => {
      const crash = crashing(spawned.length);
      const child = startProcess('fake', crash ? 'false' : 'sleep', crash ? [] : ['1000'], join(dir, 'fake.log'));
      spawned.push(child);
      return child;
    },
    // `sleep` serves at once; `false` never does, and its exit fails the probe.
    ready: (child: ManagedProcess) => waitUntil('fake', async () => child.child.spawnfile === 'sleep', 5000, child),
  };
  const log = {
    info() {},
    error() {},
    warn: (fields: object) => delays.push((fields as { restartInMs: number }).restartInMs),
  };
  return { spec, spawned, delays, log };
}

async function until(what: string, condition: () => boolean): Promise<void> {
  await waitUntil(what, async () => condition(), 10_000);
}

describe('supervise', () => {
  const running: Supervised[] = [];
  afterAll(async () => {
    for (const s of running) await s.stop();
  });
  const start = async (fake: ReturnType<typeof fakeServer>, backoff: Backoff) => {
    const supervised = await supervise(fake.spec, { log: fake.log, backoff });
    running.push(supervised);
    return supervised;
  };

  it('restarts a killed child, reporting DOWN until the new one is ready', async () => {
    const fake = fakeServer(() => false);
    const supervised = await start(fake, { initialMs: 1000, maxMs: 1000, resetAfterMs: 60_000 });
    expect(supervised.check()).toEqual({ name: 'embedded fake', status: 'UP', data: { restarts: 0 } });
    const firstPid = supervised.pid();

    fake.spawned[0].child.kill('SIGKILL');
    await until('DOWN', () => supervised.check().status === 'DOWN');
    expect(supervised.check().data.reason).toMatch(/^killed by SIGKILL; restart/);
    await until('UP again', () => supervised.check().status === 'UP');
    expect(supervised.check().data).toEqual({ restarts: 1 });
    expect(supervised.pid()).not.toBe(firstPid);
    expect(fake.spawned).toHaveLength(2);
  });

  it('retries a child that keeps failing with a doubling delay, capped', async () => {
    const fake = fakeServer((spawn) => spawn > 0); // comes up once, then every restart fails
    const supervised = await start(fake, { initialMs: 10, maxMs: 40, resetAfterMs: 60_000 });
    fake.spawned[0].child.kill('SIGKILL');
    await until('six failed restarts', () => fake.delays.length >= 6);
    expect(fake.delays.slice(0, 6)).toEqual([10, 20, 40, 40, 40, 40]);
    expect(supervised.check()).toMatchObject({ status: 'DOWN', data: { restarts: expect.any(Number) } });
    await supervised.stop();
  });

  it('keeps retrying a binary that can no longer be spawned, without crashing', async () => {
    const fake = fakeServer(() => false);
    const supervised = await start(fake, { initialMs: 10, maxMs: 20, resetAfterMs: 60_000 });
    fake.spec.spawn = () => {
      const child = startProcess('fake', join(dir, 'no-such-binary'), [], join(dir, 'fake.log'));
      fake.spawned.push(child);
      return child;
    };
    fake.spawned[0].child.kill('SIGKILL');
    await until('three failed restarts', () => fake.delays.length >= 4);
    expect(fake.delays.slice(0, 4)).toEqual([10, 20, 20, 20]);
    expect(supervised.check()).toMatchObject({ status: 'DOWN' });
    await supervised.stop();
  });

  it('starts again from the initial delay after a child stayed up long enough', async () => {
    const quick = fakeServer(() => false);
    const resetting = await start(quick, { initialMs: 10, maxMs: 1000, resetAfterMs: 0 });
    for (let i = 0; i < 3; i++) {
      quick.spawned[i].child.kill('SIGKILL');
      await until(`restart ${i + 1}`, () => quick.spawned.length === i + 2 && resetting.check().status === 'UP');
    }
    expect(quick.delays).toEqual([10, 10, 10]);

    const flapping = fakeServer(() => false);
    const doubling = await start(flapping, { initialMs: 10, maxMs: 1000, resetAfterMs: 60_000 });
    for (let i = 0; i < 3; i++) {
      flapping.spawned[i].child.kill('SIGKILL');
      await until(`restart ${i + 1}`, () => flapping.spawned.length === i + 2 && doubling.check().status === 'UP');
    }
    expect(flapping.delays).toEqual([10, 20, 40]);
  });

  it('fails a first start that never gets ready, and leaves nothing behind', async () => {
    const fake = fakeServer(() => true);
    await expect(supervise(fake.spec, { log: fake.log })).rejects.toThrow(/fake exited with 1/);
    expect(fake.spawned).toHaveLength(1);
    expect(fake.delays).toEqual([]);
  });

  it('never restarts a halted child, even one that then dies', async () => {
    const fake = fakeServer(() => false);
    const supervised = await start(fake, { initialMs: 10, maxMs: 10, resetAfterMs: 60_000 });
    // The control: supervised alike, not halted, killed after the halted child's exit was seen. Once the control
    // has been restarted, a restart of the halted child (due earlier, same delay) would have happened too.
    const control = fakeServer(() => false);
    const controlled = await start(control, { initialMs: 10, maxMs: 10, resetAfterMs: 60_000 });
    supervised.halt();
    fake.spawned[0].child.kill('SIGTERM');
    await until('exited', () => hasEnded(fake.spawned[0].child));
    control.spawned[0].child.kill('SIGTERM');
    await until('control restarted', () => control.spawned.length === 2 && controlled.check().status === 'UP');
    expect(fake.spawned).toHaveLength(1);
    expect(fake.delays).toEqual([]);
    expect(supervised.pid()).toBeNull();
  });
});
