/* The behaviour both Bus implementations must show; run by the unit (in-process) and integration (NATS) suites. */
import { z } from 'zod';
import { call, defineEndpoint, serve, type Bus } from '../src';

export const echo = defineEndpoint(
  'sr.test.echo',
  z.strictObject({ text: z.string(), delayMs: z.number().optional(), fail: z.string().optional() }),
  z.strictObject({ text: z.string(), worker: z.string(), requestId: z.string().optional() }),
);

export function serveEcho(bus: Bus, worker: string) {
  return serve(
    bus,
    echo,
    async (req, ctx) => {
      if (req.delayMs) await new Promise((r) => setTimeout(r, req.delayMs));
      if (req.fail === 'model')
        throw Object.assign(new Error('model file gone'), { code: 'ML_MODEL_MISSING' });
      if (req.fail === 'bug') throw new Error('unexpected');
      if (req.fail === 'reply') return { text: 42 } as unknown as { text: string; worker: string };
      return { text: req.text.toUpperCase(), worker, requestId: ctx.requestId };
    },
    { queue: 'echo-workers' },
  );
}

/** The same behaviour is required of both implementations. */
export function busContract(
  name: string,
  makeBus: () => Promise<Bus>,
  cleanup: () => Promise<void> = async () => undefined,
) {
  describe(`${name} bus`, () => {
    let bus: Bus;
    beforeEach(async () => {
      bus = await makeBus();
    });
    afterEach(async () => {
      await bus.close();
      await cleanup();
    });

    it('round-trips a validated request and carries the request id', async () => {
      serveEcho(bus, 'w1');
      const reply = await call(bus, echo, { text: 'hi' }, { timeoutMs: 2000, requestId: 'req-1' });
      expect(reply).toEqual({ text: 'HI', worker: 'w1', requestId: 'req-1' });
    });

    it('rejects with BUS_NO_RESPONDERS when nobody listens', async () => {
      await expect(call(bus, echo, { text: 'x' }, { timeoutMs: 2000 })).rejects.toMatchObject({
        code: 'BUS_NO_RESPONDERS',
      });
    });

    it('rejects with BUS_TIMEOUT when the worker is slow', async () => {
      serveEcho(bus, 'w1');
      await expect(call(bus, echo, { text: 'x', delayMs: 500 }, { timeoutMs: 50 })).rejects.toMatchObject({
        code: 'BUS_TIMEOUT',
      });
    });

    it('carries the worker error code back to the caller', async () => {
      serveEcho(bus, 'w1');
      await expect(call(bus, echo, { text: 'x', fail: 'model' }, { timeoutMs: 2000 })).rejects.toMatchObject({
        code: 'ML_MODEL_MISSING',
        message: 'model file gone',
      });
      await expect(call(bus, echo, { text: 'x', fail: 'bug' }, { timeoutMs: 2000 })).rejects.toMatchObject({
        code: 'HANDLER_FAILED',
      });
      await expect(call(bus, echo, { text: 'x', fail: 'reply' }, { timeoutMs: 2000 })).rejects.toMatchObject({
        code: 'CONTRACT_VIOLATION',
      });
    });

    it('validates requests before they leave and on arrival', async () => {
      serveEcho(bus, 'w1');
      await expect(
        call(bus, echo, { text: 5 } as unknown as { text: string }, { timeoutMs: 2000 }),
      ).rejects.toMatchObject({
        code: 'CONTRACT_VIOLATION',
      });
      const raw = await bus.request(echo.subject, new TextEncoder().encode('{"nope":1}'), {
        timeoutMs: 2000,
      });
      expect(raw.headers['sr-error-code']).toBe('CONTRACT_VIOLATION');
      const notJson = await bus.request(echo.subject, new Uint8Array([0xff, 0xfe]), { timeoutMs: 2000 });
      expect(notJson.headers['sr-error-code']).toBe('CONTRACT_VIOLATION');
    });

    it('shares the load across a queue group', async () => {
      serveEcho(bus, 'w1');
      serveEcho(bus, 'w2');
      const workers = new Set<string>();
      for (let i = 0; i < 40; i++)
        workers.add((await call(bus, echo, { text: 'x' }, { timeoutMs: 2000 })).worker);
      expect([...workers].sort()).toEqual(['w1', 'w2']);
    });

    it('drain waits for the request in flight, then stops taking new ones', async () => {
      const sub = serveEcho(bus, 'w1');
      const pending = call(bus, echo, { text: 'slow', delayMs: 150 }, { timeoutMs: 2000 });
      await new Promise((r) => setTimeout(r, 30));
      await sub.drain();
      await expect(pending).resolves.toMatchObject({ text: 'SLOW' });
      await expect(call(bus, echo, { text: 'x' }, { timeoutMs: 300 })).rejects.toMatchObject({
        code: expect.stringMatching(/BUS_NO_RESPONDERS|BUS_TIMEOUT/),
      });
    });
  });
}
