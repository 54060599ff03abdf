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

describe('NATS bus and max_payload (1 MB on a default nats-server)', () => {
  it('refuses an oversized request at once with BUS_PAYLOAD_TOO_LARGE naming both sizes', async () => {
    const nats = await startNatsServer();
    const bus = await NatsBus.connect({ url: nats.url, name: 'payload-test' });
    try {
      serveEcho(bus, 'w1');
      const limit = bus.connection.info!.max_payload;
      const text = 'x'.repeat(limit + 10);
      const started = Date.now();
      const err = await call(bus, echo, { text }, { timeoutMs: 5000 }).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'BUS_PAYLOAD_TOO_LARGE' });
      expect((err as Error).message).toContain(`limit ${limit}`);
      expect((err as Error).message).toMatch(/max_payload/);
      expect(Date.now() - started).toBeLessThan(4000); // refused, not left to time out
      // The bus still works for normal messages afterwards.
      await expect(call(bus, echo, { text: 'ok' }, { timeoutMs: 2000 })).resolves.toMatchObject({
        text: 'OK',
      });
    } finally {
      await bus.close();
      await nats.stop();
    }
  });

  it('answers with an error when the worker reply is over the limit, instead of silence', async () => {
    const nats = await startNatsServer();
    const bus = await NatsBus.connect({ url: nats.url, name: 'payload-reply-test' });
    try {
      const limit = bus.connection.info!.max_payload;
      // {"text":"…"} is the text + 11 bytes, the reply {"text":"…","worker":"w1"} + 25: a request
      // just under the limit makes a reply just over it.
      serveEcho(bus, 'w1');
      const text = 'y'.repeat(limit - 12);
      const err = await call(bus, echo, { text }, { timeoutMs: 5000 }).then(
        (reply) => new Error(`expected an error, got a reply of ${reply.text.length} chars`),
        (e: unknown) => e,
      );
      expect((err as { code?: string }).code).toBe('BUS_PAYLOAD_TOO_LARGE');
      expect((err as Error).message).toMatch(/reply on sr\.test\.echo/);
    } finally {
      await bus.close();
      await nats.stop();
    }
  });
});
