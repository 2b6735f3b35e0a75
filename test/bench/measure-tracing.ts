// (g) POST /create with tracing on at 100 % sampling, exporting OTLP/HTTP to a receiver in this process, measured
// like (b) and compared with it. Run last: the SDK registers a global context manager (AsyncLocalStorage), which
// would tax every phase after it.
import type { TestDriver } from '../support/driver';
import { startDriver } from '../support/driver';
import { startOtlpReceiver } from '../support/otlp-receiver';
import type { Receiver } from './environments';
import { measureCreate, type CreateFigures } from './measure-create';
import { ratio, withTimeout } from './stats';

export interface TracingFigures {
  /** POST /create with tracing on, and the bare create interleaved with it. */
  traced: CreateFigures;
  /** Traced p50 / untraced p50 of (b), straight and normalized by each run's bare create (machine drift). */
  tracedToUntracedP50: number;
  tracedToUntracedP50VsBare: number;
  spansExported: number;
}

export async function measureTracing(
  settings: Record<string, string>,
  untraced: CreateFigures,
  receiver: Receiver,
  options: { warmup: number; n: number; batch: number },
): Promise<TracingFigures> {
  const otlp = await startOtlpReceiver();
  let driver: TestDriver | undefined;
  try {
    driver = await startDriver({
      env: {
        ...settings,
        OTEL_EXPORTER_OTLP_ENDPOINT: otlp.endpoint,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', // the receiver decodes JSON, so the spans are counted
        OTEL_TRACES_SAMPLER: 'always_on',
      },
    });
    const traced = await measureCreate(driver, receiver, options);
    await driver.tracing!.spanProcessor.forceFlush();
    return {
      traced,
      tracedToUntracedP50: ratio(traced.create.p50, untraced.create.p50),
      tracedToUntracedP50VsBare: ratio(traced.ratioP50, untraced.ratioP50),
      spansExported: otlp.spans.length,
    };
  } finally {
    if (driver) await withTimeout(driver.stop(), 30_000, 'traced driver stop');
    await otlp.stop();
  }
}
