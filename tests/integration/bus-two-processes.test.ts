import { join } from 'node:path';
import { call, NatsBus } from '@sr/shared';
import {
  runChildService,
  startNatsServer,
  type ChildService,
  type NatsServerHandle,
} from '@sr/shared/testing';
import { echo } from '../../libs/shared/test/bus-contract';

const WORKER = join(__dirname, 'fixtures', 'echo-worker.js');

describe('request-reply between two OS processes over a real nats-server', () => {
  let nats: NatsServerHandle;
  let bus: NatsBus;
  const workers: ChildService[] = [];

  beforeAll(async () => {
    nats = await startNatsServer();
    bus = await NatsBus.connect({ url: nats.url, name: 'gateway-side-client' });
  });
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop('SIGKILL')));
    await bus.close();
    await nats.stop();
  });

  it('gets replies from a worker process, then typed errors for timeout and no responders', async () => {
    await expect(call(bus, echo, { text: 'x' }, { timeoutMs: 1000 })).rejects.toMatchObject({
      code: 'BUS_NO_RESPONDERS',
    });

    const worker = await runChildService({ script: WORKER, env: { NATS_URL: nats.url }, readyLine: 'ready' });
    workers.push(worker);
    const reply = await call(bus, echo, { text: 'hello' }, { timeoutMs: 2000, requestId: 'r-42' });
    expect(reply).toEqual({ text: 'HELLO', worker: `pid-${worker.process.pid}`, requestId: 'r-42' });

    await expect(call(bus, echo, { text: 'slow', delayMs: 1000 }, { timeoutMs: 100 })).rejects.toMatchObject({
      code: 'BUS_TIMEOUT',
    });
  });

  it('a worker stopped with SIGTERM finishes the request in flight', async () => {
    const worker = await runChildService({ script: WORKER, env: { NATS_URL: nats.url }, readyLine: 'ready' });
    workers.push(worker);
    // Stop the first worker so the in-flight request surely lands on this one.
    await workers[0]!.stop('SIGKILL');
    const pending = call(bus, echo, { text: 'in-flight', delayMs: 300 }, { timeoutMs: 3000 });
    await new Promise((r) => setTimeout(r, 100));
    const exited = worker.stop('SIGTERM');
    await expect(pending).resolves.toMatchObject({ text: 'IN-FLIGHT', worker: `pid-${worker.process.pid}` });
    expect(await exited).toBe(0);
  });
});
