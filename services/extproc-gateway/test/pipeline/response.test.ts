import { Registry } from 'prom-client';
import { cacheStore, createLogger, parseConfig, serve, type CacheStoreRequest } from '@sr/shared';
import { InProcessBus } from '@sr/shared/testing';
import { createGatewayMetrics } from '../../src/metrics';
import { createResponseHandler } from '../../src/pipeline/response';
import type { ForwardOutcome, ResponseContext } from '../../src/pipeline/types';

const config = parseConfig(
  `
defaultModel: general
models: [{ name: general, endpoints: [{ url: "http://127.0.0.1:9/v1" }] }]
`,
  't.yaml',
  {},
);
const enc = new TextEncoder();
const dec = new TextDecoder();

function setup(context: Partial<ResponseContext> = {}, stream = false) {
  const bus = new InProcessBus();
  const stored: CacheStoreRequest[] = [];
  serve(bus, cacheStore, async (req) => {
    stored.push(req);
    return { status: 'stored' as const, entryId: 'x' };
  });
  const forward = {
    kind: 'forward',
    stream,
    headers: { 'x-selected-model': 'general' },
    context: {
      requestId: 'r1',
      tenant: 't',
      tenantLabel: 'anonymous',
      startedAt: Date.now(),
      stream,
      model: 'general',
      category: undefined,
      cacheStore: {
        scope: 'a'.repeat(64),
        exactKey: 'b'.repeat(64),
        query: 'q',
        tenant: 't',
        model: 'general',
      },
      restore: undefined,
      ...context,
    },
  } as unknown as ForwardOutcome;
  const handler = createResponseHandler(forward, {
    bus,
    getConfig: () => config,
    logger: createLogger({ service: 't', level: 'silent' }),
    metrics: createGatewayMetrics(new Registry()),
  });
  return { bus, stored, handler };
}

const completion = (content: string) =>
  JSON.stringify({
    id: 'c',
    object: 'chat.completion',
    model: 'general',
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 },
  });
const sseChunk = (content: string | null, finish: string | null = null) =>
  `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', model: 'general', choices: [{ index: 0, delta: content === null ? {} : { content }, finish_reason: finish }] })}\n\n`;

test('a complete JSON answer passes through unchanged and is stored', async () => {
  const { handler, stored, bus } = setup();
  expect(handler.onHeaders(200, { 'content-type': 'application/json' }).sse).toBe(false);
  const body = enc.encode(completion('hello'));
  const out = [
    handler.onBody(body.slice(0, 10), false),
    handler.onBody(body.slice(10), false),
    handler.onBody(new Uint8Array(), true),
  ];
  expect(dec.decode(Buffer.concat(out))).toBe(completion('hello'));
  await handler.settled;
  expect(stored).toHaveLength(1);
  expect(stored[0]!.response.choices[0]!.message).toMatchObject({ content: 'hello' });
  await bus.close();
});

test('non-2xx, not-JSON or aborted answers are not stored', async () => {
  for (const run of [
    (h: ReturnType<typeof setup>['handler']) => {
      h.onHeaders(500, { 'content-type': 'application/json' });
      h.onBody(enc.encode(completion('x')), true);
    },
    (h: ReturnType<typeof setup>['handler']) => {
      h.onHeaders(200, { 'content-type': 'application/json' });
      h.onBody(enc.encode('not json'), true);
    },
    (h: ReturnType<typeof setup>['handler']) => {
      h.onHeaders(200, { 'content-type': 'application/json' });
      h.onBody(enc.encode(completion('x').slice(0, 20)), false);
      h.onAbort('client gone');
    },
  ]) {
    const { handler, stored, bus } = setup();
    run(handler);
    await handler.settled;
    expect(stored).toHaveLength(0);
    await bus.close();
  }
});

test('JSON: placeholders are restored in the answer, which is then rewritten once at the end', async () => {
  const { handler, bus } = setup({ restore: { '<PERSON_1>': 'Ann' }, cacheStore: undefined });
  handler.onHeaders(200, { 'content-type': 'application/json' });
  const body = enc.encode(completion('Hi <PERSON_1>!'));
  expect(handler.onBody(body.slice(0, 30), false).byteLength).toBe(0);
  const out = JSON.parse(dec.decode(handler.onBody(body.slice(30), true)));
  expect(out.choices[0].message.content).toBe('Hi Ann!');
  await handler.settled;
  await bus.close();
});

test('SSE: a placeholder split across events and chunks is restored; the stream is stored reassembled', async () => {
  const { handler, stored, bus } = setup({ restore: { '<EMAIL_ADDRESS_1>': 'a@b.co' } }, true);
  expect(handler.onHeaders(200, { 'content-type': 'text/event-stream' }).sse).toBe(true);
  const text =
    sseChunk('Write to <EMAIL') +
    sseChunk('_ADDRESS') +
    sseChunk('_1> soon') +
    sseChunk(null, 'stop') +
    'data: [DONE]\n\n';
  const bytes = enc.encode(text);
  let out = '';
  for (let i = 0; i < bytes.length; i += 7)
    out += dec.decode(handler.onBody(bytes.slice(i, i + 7), false), { stream: true });
  out += dec.decode(handler.onBody(new Uint8Array(), true));
  const content = out
    .split('\n\n')
    .filter((e) => e.startsWith('data: {'))
    .map((e) => JSON.parse(e.slice(6)).choices[0].delta.content ?? '')
    .join('');
  expect(content).toBe('Write to a@b.co soon');
  expect(out.trimEnd().endsWith('data: [DONE]')).toBe(true);
  await handler.settled;
  expect(stored).toHaveLength(1);
  await bus.close();
});

test('SSE without [DONE] is passed on but not stored', async () => {
  const { handler, stored, bus } = setup({}, true);
  handler.onHeaders(200, { 'content-type': 'text/event-stream' });
  const chunk = enc.encode(sseChunk('partial'));
  expect(handler.onBody(chunk, false)).toBe(chunk);
  handler.onBody(new Uint8Array(), true);
  await handler.settled;
  expect(stored).toHaveLength(0);
  await bus.close();
});
