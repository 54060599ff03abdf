import { call, NatsBus } from '@sr/shared';
import { startNatsServer, type NatsServerHandle } from '@sr/shared/testing';
import { busContract, echo, serveEcho } from '../../libs/shared/test/bus-contract';

let server: NatsServerHandle | undefined;
busContract(
  'NATS',
  async () => {
    server = await startNatsServer();
    return NatsBus.connect({ url: server.url, name: 'bus-test' });
  },
  async () => {
    await server?.stop();
  },
);

describe('NATS bus across a server restart', () => {
  it('reconnects and serves again after nats-server restarts', async () => {
    const nats = await startNatsServer();
    const bus = await NatsBus.connect({ url: nats.url, name: 'restart-test' });
    try {
      serveEcho(bus, 'w1');
      await expect(call(bus, echo, { text: 'a' }, { timeoutMs: 2000 })).resolves.toMatchObject({ text: 'A' });
      await nats.restart();
      let reply: { text: string } | undefined;
      const end = Date.now() + 10_000;
      while (!reply && Date.now() < end) {
        reply = await call(bus, echo, { text: 'b' }, { timeoutMs: 500 }).catch(() => undefined);
        if (!reply) await new Promise((r) => setTimeout(r, 100));
      }
      expect(reply).toMatchObject({ text: 'B' });
    } finally {
      await bus.close();
      await nats.stop();
    }
  });
});
