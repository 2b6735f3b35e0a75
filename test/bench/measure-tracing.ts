// (g) POST /create with tracing on at 100 % sampling against the same without tracing, interleaved one for one
// (alternating which goes first) so both see the same machine: measured in sequence, the later phase ran up to 10 %
// faster on its own (a warmer process), which no ratio of two phases can tell from tracing's cost. The traced
// driver exports OTLP/HTTP protobuf, the production default, to a receiver that only counts: decoding JSON in this
// process would bill the receiver's work to the driver. Run last: the SDK's context manager stays registered.
import { performance } from 'node:perf_hooks';
import type { TestDriver } from '../support/driver';
import { startDriver } from '../support/driver';
import { startOtlpReceiver } from '../support/otlp-receiver';
import { createEnvironment, finishEnvironment, type Receiver } from './environments';
import { ratio, summarize, withTimeout, type Summary } from './stats';

export interface TracingFigures {
  untraced: Summary;
  traced: Summary;
  /** Traced p50 / untraced p50 (target ≤ 1.1), and the same at p99. */
  tracedToUntracedP50: number;
  tracedToUntracedP99: number;
  exports: { requests: number; bytes: number };
}

export async function measureTracing(
  untracedDriver: TestDriver,
  settings: Record<string, string>,
  receiver: Receiver,
  options: { warmup: number; n: number; batch: number },
): Promise<TracingFigures> {
  const otlp = await startOtlpReceiver({ countOnly: true });
  let tracedDriver: TestDriver | undefined;
  try {
    tracedDriver = await startDriver({
      env: {
        ...settings,
        OTEL_EXPORTER_OTLP_ENDPOINT: otlp.endpoint,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
        OTEL_TRACES_SAMPLER: 'always_on',
      },
    });
    const drivers = { untraced: untracedDriver, traced: tracedDriver };
    const samples = { untraced: [] as number[], traced: [] as number[] };
    const total = options.warmup + options.n;
    for (let start = 0; start < total; start += options.batch) {
      const ids = { untraced: [] as string[], traced: [] as string[] };
      for (let i = start; i < Math.min(total, start + options.batch); i++) {
        const order = i % 2 === 0 ? (['untraced', 'traced'] as const) : (['traced', 'untraced'] as const);
        for (const which of order) {
          const started = performance.now();
          ids[which].push(await createEnvironment(drivers[which], receiver.url(`tracing-${which}-${i}`)));
          if (i >= options.warmup) samples[which].push(performance.now() - started);
        }
      }
      // Outside the timed part: destroy this batch so the namespaces and workers stay small.
      await Promise.all(
        (['untraced', 'traced'] as const).flatMap((which) =>
          ids[which].map((id) => finishEnvironment(drivers[which], id, 'cancel')),
        ),
      );
    }
    await tracedDriver.tracing!.spanProcessor.forceFlush();
    const untraced = summarize(samples.untraced);
    const traced = summarize(samples.traced);
    return {
      untraced,
      traced,
      tracedToUntracedP50: ratio(traced.p50, untraced.p50),
      tracedToUntracedP99: ratio(traced.p99, untraced.p99),
      exports: { requests: otlp.exports.requests, bytes: otlp.exports.bytes },
    };
  } finally {
    if (tracedDriver) await withTimeout(tracedDriver.stop(), 30_000, 'traced driver stop');
    await otlp.stop();
  }
}
