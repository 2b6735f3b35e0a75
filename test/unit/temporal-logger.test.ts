// The Temporal SDK's logger interface onto pino: one JSON line per SDK record, its metadata as top-level fields,
// environmentId named on environment lines, and nothing that hands out an activity or the payload key.
import { LogTimestamp } from '@temporalio/worker';
import pino from 'pino';
import { Writable } from 'node:stream';
import { resolveFormat } from '../../src/logging/logger';
import { PinoTemporalLogger } from '../../src/logging/temporal';
import { EncryptionCodec } from '../../src/temporal/codec';

function capture(level = 'debug') {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  const logger = new PinoTemporalLogger(pino({ level }, stream));
  return { logger, lines, records: () => lines.map((line) => JSON.parse(line) as Record<string, any>) };
}

const activityMeta = {
  sdkComponent: 'activity',
  activityType: 'destroyEnvironment',
  activityId: '4',
  attempt: 1,
  taskToken: 'CiQ0ZjE3…',
  workflowId: 'build-1-3f9c1e',
  workflowRunId: '0190-…',
  workflowType: 'environmentWorkflow',
  [LogTimestamp]: 1796014706701000000n,
};

describe('the Temporal SDK logger on pino', () => {
  it('writes the metadata as top-level fields and names the environment of environment workflows', () => {
    const { logger, records } = capture();
    logger.info('environment destroyed', activityMeta);
    logger.warn('Activity failed', { ...activityMeta, activityType: 'sendCallback' });
    logger.debug('Workflow started', { workflowId: 'reaper-1', workflowType: 'sweepWorkflow' });
    const [destroyed, failed, sweep] = records();
    expect(destroyed).toMatchObject({
      level: 30,
      msg: 'environment destroyed',
      activityType: 'destroyEnvironment',
      workflowId: 'build-1-3f9c1e',
      environmentId: 'build-1-3f9c1e',
    });
    expect(destroyed).not.toHaveProperty('taskToken');
    expect(failed).toMatchObject({ level: 40, environmentId: 'build-1-3f9c1e' });
    // The reaper is no environment.
    expect(sweep).toMatchObject({ level: 20, workflowId: 'reaper-1' });
    expect(sweep).not.toHaveProperty('environmentId');
  });

  it('keeps an environmentId the caller named, and pino its own fields', () => {
    const { logger, records } = capture();
    logger.info('callback delivered', { ...activityMeta, environmentId: 'explicit', time: 'core time', msg: 'x' });
    expect(records()[0]).toMatchObject({
      environmentId: 'explicit',
      msg: 'callback delivered',
      time: expect.any(Number),
      temporal_time: 'core time',
      temporal_msg: 'x',
    });
  });

  it('serializes errors with message and stack', () => {
    const { logger, records } = capture();
    logger.error('Worker failed', { error: new Error('connection refused') });
    expect(records()[0].err).toMatchObject({ type: 'Error', message: 'connection refused', stack: expect.any(String) });
  });

  it('filters by the pino level, and demotes webpack’s report of a good bundle to debug', () => {
    const { logger, lines } = capture('info');
    logger.debug('Activity started', activityMeta);
    logger.info('asset workflow-bundle-e29ced.js 1.61 MiB [emitted]\nwebpack 5.112.2 compiled successfully');
    logger.info('Workflow bundle created', { size: '1.61MB' });
    expect(lines.map((line) => JSON.parse(line).msg)).toEqual(['Workflow bundle created']);
  });

  it('never prints the payload codec (and its key) from the worker options', () => {
    const key = Buffer.alloc(32, 7);
    const codec = new EncryptionCodec(key);
    const { logger, lines, records } = capture();
    logger.debug('Creating worker', {
      options: {
        taskQueue: 'q',
        dataConverter: { payloadCodecs: [codec] },
        loadedDataConverter: { payloadCodecs: [codec] },
      },
    });
    expect(JSON.stringify(codec)).toContain(key.join(',')); // what the SDK's options would print
    expect(lines[0]).not.toContain(key.join(','));
    expect(records()[0].options).toEqual({
      taskQueue: 'q',
      dataConverter: '[Redacted]',
      loadedDataConverter: '[Redacted]',
    });
  });
});

describe('LOG_FORMAT', () => {
  it('auto is pretty on a terminal and JSON otherwise; explicit values win', () => {
    expect(resolveFormat('auto', true)).toBe('pretty');
    expect(resolveFormat('auto', false)).toBe('json');
    expect(resolveFormat('json', true)).toBe('json');
    expect(resolveFormat('pretty', false)).toBe('pretty');
  });
});
