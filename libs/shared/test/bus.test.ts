import { call, createMetricsRegistry, InProcessBus, InstrumentedBus } from '../src';
import { busContract, echo, serveEcho } from './bus-contract';

busContract('in-process', async () => new InProcessBus());

describe('InstrumentedBus', () => {
  it('counts requests by subject and outcome and times them', async () => {
    const { registry, common } = createMetricsRegistry('test');
    const bus = new InstrumentedBus(new InProcessBus(), common);
    serveEcho(bus, 'w1');
    await call(bus, echo, { text: 'a' }, { timeoutMs: 1000 });
    await expect(
      call(bus, { ...echo, subject: 'sr.test.nobody' }, { text: 'a' }, { timeoutMs: 1000 }),
    ).rejects.toMatchObject({
      code: 'BUS_NO_RESPONDERS',
    });
    const text = await registry.metrics();
    expect(text).toContain('sr_bus_requests_total{subject="sr.test.echo",outcome="ok",service="test"} 1');
    expect(text).toContain(
      'sr_bus_requests_total{subject="sr.test.nobody",outcome="BUS_NO_RESPONDERS",service="test"} 1',
    );
    expect(text).toContain('sr_bus_request_duration_seconds_count{service="test",subject="sr.test.echo"} 1');
    await bus.close();
  });
});
