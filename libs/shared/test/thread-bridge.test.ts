import { MessageChannel } from 'node:worker_threads';
import { call, InProcessBus, RecordingBus, serveBusOverPort, ThreadForwarder } from '../src';
import { echo, serveEcho } from './bus-contract';

/**
 * The bus across a MessagePort, as embedded mode's worker threads use it (here both ends live in
 * one thread; the port is the same structured-clone channel a Worker has).
 */
describe('thread bridge', () => {
  it('forwards typed requests, carries request ids and error codes back', async () => {
    const { port1, port2 } = new MessageChannel();
    const threadBus = new RecordingBus(new InProcessBus());
    serveEcho(threadBus, 'in-thread');
    const stop = serveBusOverPort(port2, threadBus);
    const main = new InProcessBus();
    const forwarder = new ThreadForwarder(port1, 'test');
    forwarder.forward(main, [...threadBus.subjects]);
    try {
      expect([...threadBus.subjects]).toEqual([echo.subject]);
      await expect(call(main, echo, { text: 'hi' }, { timeoutMs: 2000, requestId: 'r-1' })).resolves.toEqual({
        text: 'HI',
        worker: 'in-thread',
        requestId: 'r-1',
      });
      await expect(call(main, echo, { text: 'x', fail: 'model' }, { timeoutMs: 2000 })).rejects.toMatchObject(
        {
          code: 'ML_MODEL_MISSING',
        },
      );
    } finally {
      stop();
      forwarder.close();
      port1.close();
      await main.close();
      await threadBus.close();
    }
  });

  it('answers requests in flight with an error at once when the thread goes away', async () => {
    const { port1, port2 } = new MessageChannel();
    const threadBus = new InProcessBus();
    serveEcho(threadBus, 'slow');
    serveBusOverPort(port2, threadBus);
    const main = new InProcessBus();
    const forwarder = new ThreadForwarder(port1, 'doomed');
    forwarder.forward(main, [echo.subject]);
    try {
      const started = Date.now();
      const pending = call(main, echo, { text: 'x', delayMs: 5000 }, { timeoutMs: 10_000 });
      await new Promise((r) => setTimeout(r, 50));
      forwarder.failAll('exited with code 1');
      const err = await pending.catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'HANDLER_FAILED' });
      expect((err as Error).message).toMatch(/worker thread doomed stopped: exited with code 1/);
      expect(Date.now() - started).toBeLessThan(4000);
    } finally {
      forwarder.close();
      port1.close();
      await main.close();
      await threadBus.close();
    }
  });
});
