// How a pod's status reads (contract §3.3) and how a timeout explains resources — pure functions, no cluster.
import { readPodStatus } from '../../activities/pod-status';
import { cores, gibibytes } from '../../activities/quota';

const pod = (status: Record<string, unknown>) => ({ kind: 'Pod', metadata: { name: 'p' }, status });
const waiting = (reason: string) => ({ state: { waiting: { reason } } });
const terminated = (reason: string) => ({ state: { terminated: { reason } } });

describe('readPodStatus', () => {
  it('is running only in phase Running with no failure reason', () => {
    expect(readPodStatus(pod({ phase: 'Running' }))).toEqual({ kind: 'running' });
    expect(readPodStatus(pod({ phase: 'Pending' }))).toEqual({ kind: 'waiting', reason: 'Pod p is not running.' });
    expect(readPodStatus(pod({ phase: 'Running', containerStatuses: [terminated('Error')] }))).toMatchObject({
      kind: 'failed',
      status: 'SYSTEM_ERROR',
      cause: 'Error',
    });
  });

  it.each([
    ['ErrImagePull', 'SYSTEM_ERROR'],
    ['ImagePullBackOff', 'SYSTEM_ERROR'],
    ['CrashLoopBackOff', 'SYSTEM_ERROR'],
    ['ContainerCannotRun', 'SYSTEM_ERROR'],
    ['InvalidImageName', 'FAILED'],
  ])('classifies a container waiting in %s as %s, in init containers too', (reason, status) => {
    const expected = {
      kind: 'failed',
      status,
      cause: reason,
      reason: expect.stringMatching(new RegExp(`^Pod failed with status: ${reason}\\n\\nAn error occurred`)),
    };
    expect(readPodStatus(pod({ phase: 'Pending', containerStatuses: [waiting(reason)] }))).toEqual(expected);
    expect(readPodStatus(pod({ phase: 'Pending', initContainerStatuses: [waiting(reason)] }))).toEqual(expected);
  });

  it('takes the failed phases themselves as SYSTEM_ERROR', () => {
    expect(readPodStatus(pod({ phase: 'Failed' }))).toMatchObject({ status: 'SYSTEM_ERROR', cause: 'Failed' });
    expect(readPodStatus(pod({ phase: 'Unknown' }))).toMatchObject({ status: 'SYSTEM_ERROR', cause: 'Unknown' });
  });

  it('lets the first status in the Java enum order win', () => {
    const both = pod({ phase: 'Pending', containerStatuses: [waiting('InvalidImageName'), waiting('ErrImagePull')] });
    expect(readPodStatus(both)).toMatchObject({ status: 'SYSTEM_ERROR', cause: 'ErrImagePull' });
  });
});

describe('resource quantities', () => {
  it('reads memory in GiB and cpu in cores', () => {
    expect(gibibytes('4096Mi')).toBe(4);
    expect(gibibytes('8Gi')).toBe(8);
    expect(gibibytes(undefined)).toBe(0);
    expect(cores('2000m')).toBe(2);
    expect(cores('3')).toBe(3);
  });
});
