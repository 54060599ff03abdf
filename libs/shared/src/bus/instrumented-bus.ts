import { errorCodeOf } from '../errors';
import type { CommonMetrics } from '../telemetry/metrics';
import type { Bus, BusMessage, Handler, RequestOptions, SubscribeOptions, Subscription } from './bus';

/**
 * A Bus decorator that counts every request by subject and outcome (`ok` or the error code) and
 * times its round trip, whatever the implementation underneath.
 */
export class InstrumentedBus implements Bus {
  constructor(
    private readonly inner: Bus,
    private readonly metrics: Pick<CommonMetrics, 'busRequests' | 'busLatency'>,
  ) {}

  get kind(): Bus['kind'] {
    return this.inner.kind;
  }

  async request(subject: string, data: Uint8Array, options: RequestOptions): Promise<BusMessage> {
    const started = performance.now();
    try {
      const reply = await this.inner.request(subject, data, options);
      this.metrics.busRequests.inc({ subject, outcome: reply.headers['sr-error-code'] ?? 'ok' });
      return reply;
    } catch (err) {
      this.metrics.busRequests.inc({ subject, outcome: errorCodeOf(err) });
      throw err;
    } finally {
      this.metrics.busLatency.observe({ subject }, (performance.now() - started) / 1000);
    }
  }

  subscribe(subject: string, handler: Handler, options?: SubscribeOptions): Subscription {
    return this.inner.subscribe(subject, handler, options);
  }

  flush(): Promise<void> {
    return this.inner.flush();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
