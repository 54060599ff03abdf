import { PassThrough } from 'node:stream';
import { createLogger, MicroBatcher } from '../src';

function capture(logPrompts: boolean): {
  lines: () => Array<Record<string, unknown>>;
  log: ReturnType<typeof createLogger>;
} {
  const stream = new PassThrough();
  let out = '';
  stream.on('data', (d: Buffer) => (out += d.toString()));
  const log = createLogger({ service: 'test', logPrompts, destination: stream });
  return {
    log,
    lines: () =>
      out
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

describe('logger', () => {
  it('redacts prompt text by default', async () => {
    const { log, lines } = capture(false);
    log.info(
      { messages: [{ role: 'user', content: 'my secret' }], req: { content: 'also secret' }, model: 'm' },
      'routed',
    );
    await new Promise((r) => setImmediate(r));
    const [line] = lines();
    expect(JSON.stringify(line)).not.toContain('secret');
    expect(line).toMatchObject({ service: 'test', model: 'm', messages: '[redacted]', msg: 'routed' });
  });

  it('logs prompts only when configured to', async () => {
    const { log, lines } = capture(true);
    log.info({ prompt: 'visible' }, 'x');
    await new Promise((r) => setImmediate(r));
    expect(lines()[0]).toMatchObject({ prompt: 'visible' });
  });
});

describe('MicroBatcher', () => {
  it('runs concurrent submissions as one batch and keeps their order', async () => {
    const batches: number[][] = [];
    const batcher = new MicroBatcher<number, number>(
      async (xs) => {
        batches.push(xs);
        return xs.map((x) => x * 2);
      },
      { maxBatch: 8, maxWaitMs: 5 },
    );
    const results = await Promise.all([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((x) => batcher.submit(x)));
    expect(results).toEqual([2, 4, 6, 8, 10, 12, 14, 16, 18, 20]);
    expect(batches).toEqual([
      [1, 2, 3, 4, 5, 6, 7, 8],
      [9, 10],
    ]);
  });

  it('rejects every member of a failed batch', async () => {
    const batcher = new MicroBatcher<number, number>(async () => Promise.reject(new Error('model down')));
    await expect(Promise.all([batcher.submit(1), batcher.submit(2)])).rejects.toThrow('model down');
  });
});
