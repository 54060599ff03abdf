/**
 * The ExtProc server end to end over real gRPC: a grpc-js client replays Envoy's message
 * sequences against the real server and the real pipeline, whose bus calls go over a real
 * InProcessBus to TEST DOUBLES of the workers (worker-doubles.ts) on the real subjects.
 */
import {
  credentials,
  makeGenericClientConstructor,
  status as grpcStatus,
  type ClientDuplexStream,
} from '@grpc/grpc-js';
import { Registry } from 'prom-client';
import { createLogger, parseConfig, type RouterConfig } from '@sr/shared';
import { InProcessBus } from '@sr/shared/testing';
import { createExtProcServer, ExtProcServer, extProcPort } from '../../src/extproc/index';
import { createGatewayMetrics, createPipeline, EndpointPool, type Pipeline } from '../../src/index';
import {
  EnvoyStream,
  chatHeaders,
  extProcClient,
  immediate,
  requestBody,
  requestHeaders,
  responseBody,
  responseHeaders,
  setHeaders,
} from '../../src/extproc/envoy-replay';
import {
  JAILBREAK_MARKER,
  PII_EMAIL,
  PII_PLACEHOLDER,
  startWorkerDoubles,
  type WorkerDoubles,
} from './worker-doubles';

const CONFIG = `
defaultModel: general
models:
  - name: general
    endpoints: [{ url: "http://127.0.0.1:9/v1" }]
    piiPolicy: { allow: [], action: redact, restoreInResponse: true }
  - name: mathy
    upstreamModel: qwen3-math
    reasoningFamily: qwen3
    endpoints: [{ url: "http://10.0.0.5:8000/openai/v1" }]
  - { name: named, apiKeyEnv: NAMED_KEY, endpoints: [{ url: "http://vllm-a.internal:8000/v1" }] }
categories:
  - { name: math, modelScores: [{ model: mathy, score: 0.9, useReasoning: true }] }
timeouts: { guardMs: 200, classifyMs: 200, cacheLookupMs: 200 }
limits: { maxBodyBytes: 4096 }
`;

const MATH = { model: 'auto', messages: [{ role: 'user', content: 'what is the integral of x^2?' }] };

const COMPLETION = {
  id: 'chatcmpl-1',
  object: 'chat.completion',
  created: 1,
  model: 'qwen3-math',
  choices: [{ index: 0, message: { role: 'assistant', content: 'x^3/3 + C' }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 9, completion_tokens: 6, total_tokens: 15 },
};

let config: RouterConfig;
let bus: InProcessBus;
let doubles: WorkerDoubles;
let pipeline: Pipeline;
let server: ExtProcServer;
let registry: Registry;
let client: ReturnType<typeof extProcClient>;

beforeAll(async () => {
  config = parseConfig(CONFIG, 'extproc-test.yaml', {});
  bus = new InProcessBus();
  doubles = startWorkerDoubles(bus);
  registry = new Registry();
  const logger = createLogger({ service: 'extproc-test', level: 'silent' });
  pipeline = createPipeline({
    getConfig: () => config,
    bus,
    logger,
    metrics: createGatewayMetrics(registry),
    pool: new EndpointPool({ ejectAfterFailures: 3, ejectForMs: 1000 }),
    env: { NAMED_KEY: 'sk-upstream-named' },
  });
  server = createExtProcServer({ config, pipeline, logger, registry, port: 0 });
  const { port } = await server.start();
  client = extProcClient(port);
});

afterAll(async () => {
  client.close();
  await server.shutdown();
  doubles.close();
  await bus.close();
});

beforeEach(() => {
  doubles.guardDelayMs = 0;
  doubles.guardHangs = false;
});

const opened: EnvoyStream[] = [];
const open = () => {
  const s = new EnvoyStream(client);
  opened.push(s);
  return s;
};

// Envoy closes every stream; so do the tests, so "no stream left open" means something.
afterEach(async () => {
  for (const s of opened.splice(0)) s.cancel();
  await eventually(() => server.openStreams === 0, 'every stream to be released');
});

/** Waits (bounded) until `check` holds: for effects that happen after an answer was sent. */
async function eventually(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function metricValue(name: string, labels: Record<string, string>): Promise<number> {
  const m = (await registry.getMetricsAsJSON()).find((x) => x.name === name);
  const v = m?.values.find((x) => Object.entries(labels).every(([k, val]) => x.labels[k] === val));
  return Number(v?.value ?? 0);
}

describe('request side', () => {
  it('routes a buffered chat request: body rewritten, routing headers set, route cache cleared', async () => {
    const s = open();
    s.send(
      requestHeaders(
        chatHeaders({
          'content-length': String(JSON.stringify(MATH).length),
          // A client trying to pick the upstream itself: must be stripped before routing.
          'x-selected-model': 'general',
          'x-gateway-destination-endpoint': '169.254.169.254:80',
          'x-semantic-router-category': 'spoofed',
          'x-semantic-router-debug': 'false',
        }),
      ),
    );
    const h = await s.next();
    expect(h.request_headers?.response?.status).toBe('CONTINUE');
    expect(h.mode_override).toBeFalsy();
    expect(new Set(h.request_headers?.response?.header_mutation?.remove_headers)).toEqual(
      new Set(['x-selected-model', 'x-gateway-destination-endpoint', 'x-semantic-router-category']),
    );

    s.send(requestBody(MATH));
    const b = await s.next();
    const common = b.request_body?.response;
    expect(common?.status).toBe('CONTINUE');
    expect(common?.clear_route_cache).toBe(true);
    const set = setHeaders(common?.header_mutation);
    expect(set).toMatchObject({
      'x-selected-model': 'mathy',
      'x-gateway-destination-endpoint': '10.0.0.5:8000',
      'x-semantic-router-category': 'math',
      'x-semantic-router-reasoning': 'on',
      'x-request-id': 'req-1',
      // The endpoint's base path is /openai/v1, not the client's /v1.
      ':path': '/openai/v1/chat/completions',
    });
    // content-length changes with the body; the client's router key must not reach the model.
    expect(common?.header_mutation?.remove_headers).toEqual([
      'content-length',
      'accept-encoding',
      'authorization',
      'x-api-key',
    ]);
    // Values go out in raw_value (current Envoy), never both fields.
    for (const o of common?.header_mutation?.set_headers ?? []) {
      expect(o.header.value ?? '').toBe('');
      expect(o.append_action).toBe('OVERWRITE_IF_EXISTS_OR_ADD');
    }
    const mutation = common?.body_mutation as { body: Buffer };
    const sent = JSON.parse(Buffer.from(mutation.body).toString());
    expect(sent.model).toBe('qwen3-math');
    expect(sent.chat_template_kwargs).toEqual({ enable_thinking: true });
    expect(sent.messages.at(-1)).toEqual(MATH.messages[0]);

    s.halfClose();
    expect((await s.status).code).toBe(grpcStatus.OK);
  });

  it('routes an explicit model with a hostname endpoint on x-selected-model only (ORIGINAL_DST takes IPs)', async () => {
    const s = open();
    s.send(requestHeaders(chatHeaders()));
    await s.next();
    s.send(requestBody({ model: 'named', messages: [{ role: 'user', content: 'hello' }] }));
    const common = (await s.next()).request_body?.response;
    const set = setHeaders(common?.header_mutation);
    expect(set['x-selected-model']).toBe('named');
    expect(set['x-gateway-destination-endpoint']).toBeUndefined();
    expect(set[':path']).toBeUndefined();
    // The model's own upstream key replaces the client's router key.
    expect(set['authorization']).toBe('Bearer sk-upstream-named');
    expect(common?.header_mutation?.remove_headers).toEqual([
      'content-length',
      'accept-encoding',
      'x-api-key',
    ]);
    expect(JSON.parse(Buffer.from((common?.body_mutation as { body: Buffer }).body).toString()).model).toBe(
      'named',
    );
  });

  it('reads header values sent in `value` (older Envoy) as well as raw_value', async () => {
    const s = open();
    s.send(
      requestHeaders(
        { ':method': 'GET', ':path': '/v1/models', 'x-request-id': 'old-envoy' },
        { endOfStream: true, field: 'value' },
      ),
    );
    const r = immediate(await s.next());
    expect(r.status).toBe(200);
    expect(r.headers['x-request-id']).toBe('old-envoy');
  });

  it('answers GET /v1/models itself with the auto names and configured models', async () => {
    const s = open();
    s.send(
      requestHeaders(
        { ':method': 'GET', ':path': '/v1/models?x=1', 'x-request-id': 'm1' },
        { endOfStream: true },
      ),
    );
    const r = immediate(await s.next());
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('application/json');
    expect((r.json as { data: Array<{ id: string }> }).data.map((m) => m.id)).toEqual([
      'auto',
      'MoM',
      'general',
      'mathy',
      'named',
    ]);
    // After an immediate response the server closes the stream cleanly.
    expect((await s.status).code).toBe(grpcStatus.OK);
  });

  it('rejects the wrong method on a router path with 405 in OpenAI shape', async () => {
    const s = open();
    s.send(requestHeaders({ ':method': 'DELETE', ':path': '/v1/chat/completions' }, { endOfStream: true }));
    const r = immediate(await s.next());
    expect(r.status).toBe(405);
    expect(r.json).toMatchObject({ error: { code: 'method_not_allowed', type: 'invalid_request_error' } });
  });

  it('blocks a jailbreak with an immediate 403 OpenAI error', async () => {
    const s = open();
    s.send(requestHeaders(chatHeaders({ 'x-request-id': 'jb-1' })));
    await s.next();
    s.send(
      requestBody({
        model: 'auto',
        messages: [{ role: 'user', content: `Please ${JAILBREAK_MARKER} and leak secrets` }],
      }),
    );
    const r = immediate(await s.next());
    expect(r.status).toBe(403);
    expect(r.headers['content-type']).toBe('application/json');
    expect(r.headers['x-request-id']).toBe('jb-1');
    expect(r.headers['x-semantic-router-blocked']).toBeTruthy();
    expect(r.json).toMatchObject({ error: { code: 'jailbreak_detected' } });
    expect(r.details).toBe('semantic_router_blocked');
    expect((await s.status).code).toBe(grpcStatus.OK);
  });

  it.each([
    ['not JSON', '{"model": "auto", "messages": [', 400, 'invalid_json'],
    ['JSON without messages', '{"model":"auto"}', 400, 'bad_request'],
    ['invalid UTF-8', Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), 400, 'invalid_utf8'],
    [
      'an unknown explicit model',
      '{"model":"nope","messages":[{"role":"user","content":"hi"}]}',
      404,
      'model_not_found',
    ],
  ])('answers a body that is %s with a clean OpenAI error', async (_what, body, statusCode, code) => {
    const s = open();
    s.send(requestHeaders(chatHeaders()));
    await s.next();
    s.send(requestBody(body as string | Buffer));
    const r = immediate(await s.next());
    expect(r.status).toBe(statusCode);
    expect(r.headers['content-type']).toBe('application/json');
    expect(r.json).toMatchObject({ error: { code } });
  });

  it('answers a POST without a body (headers end_of_stream) with 400', async () => {
    const s = open();
    s.send(requestHeaders(chatHeaders(), { endOfStream: true }));
    const r = immediate(await s.next());
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({ error: { type: 'invalid_request_error' } });
  });

  it('accumulates a body split across STREAMED chunks and decides on the whole', async () => {
    const s = open();
    s.send(requestHeaders(chatHeaders()));
    await s.next();
    const bytes = Buffer.from(JSON.stringify(MATH));
    const parts = [bytes.subarray(0, 7), bytes.subarray(7, 30), bytes.subarray(30)];
    s.send(requestBody(parts[0]!, false));
    s.send(requestBody(parts[1]!, false));
    // Each held-back chunk is answered at once (Envoy waits for it) and cleared from the upstream body.
    for (let i = 0; i < 2; i++) {
      const r = await s.next();
      expect(r.request_body?.response?.body_mutation).toMatchObject({ clear_body: true });
    }
    s.send(requestBody(parts[2]!, true));
    const last = await s.next();
    const mutation = last.request_body?.response?.body_mutation as { body: Buffer };
    expect(JSON.parse(Buffer.from(mutation.body).toString()).model).toBe('qwen3-math');
  });

  it('treats a BUFFERED body without end_of_stream as complete when protocol_config says BUFFERED', async () => {
    const s = open();
    s.send({ ...requestHeaders(chatHeaders()), protocol_config: { request_body_mode: 'BUFFERED' } });
    await s.next();
    s.send(requestBody(MATH, false));
    const r = await s.next();
    expect(setHeaders(r.request_body?.response?.header_mutation)['x-selected-model']).toBe('mathy');
  });

  it.each([['NONE'], [undefined], ['FULL_DUPLEX_STREAMED']])(
    'refuses a chat request when protocol_config says the body comes as %s (misconfigured Envoy)',
    async (mode) => {
      const s = open();
      s.send({
        ...requestHeaders(chatHeaders()),
        protocol_config: mode ? { request_body_mode: mode as 'NONE' } : {},
      });
      const r = immediate(await s.next());
      expect(r.status).toBe(500);
      expect((r.json as { error: { message: string } }).error.message).toContain(
        'request_body_mode BUFFERED',
      );
    },
  );

  it('refuses a STREAMED body over the size limit with 413 and drops what it held', async () => {
    const s = open();
    s.send(requestHeaders(chatHeaders()));
    await s.next();
    s.send(requestBody(Buffer.alloc(3000, 0x20), false));
    await s.next();
    s.send(requestBody(Buffer.alloc(3000, 0x20), false));
    const r = immediate(await s.next());
    expect(r.status).toBe(413);
    expect(r.json).toMatchObject({ error: { code: 'body_too_large' } });
  });

  it('refuses request trailers that end a STREAMED body (the body can no longer be rewritten)', async () => {
    const s = open();
    s.send(requestHeaders(chatHeaders()));
    await s.next();
    s.send(requestBody(MATH, false));
    await s.next();
    s.send({ request_trailers: { trailers: { headers: [] } } });
    const r = immediate(await s.next());
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({ error: { code: 'bad_request' } });
  });

  it('answers nothing in observability mode (Envoy ignores answers there)', async () => {
    const s = open();
    s.send({
      ...requestHeaders({ ':method': 'GET', ':path': '/v1/models' }, { endOfStream: true }),
      observability_mode: true,
    });
    expect((await s.status).code).toBe(grpcStatus.OK);
    expect(s.pending).toBe(0);
  });

  it('lets other paths through without buffering their bodies', async () => {
    const s = open();
    s.send(requestHeaders({ ':method': 'POST', ':path': '/v1/embeddings', 'x-selected-model': 'x' }));
    const h = await s.next();
    expect(h.request_headers?.response?.status).toBe('CONTINUE');
    expect(h.mode_override).toMatchObject({ request_body_mode: 'NONE', response_body_mode: 'NONE' });
    expect(h.request_headers?.response?.header_mutation?.remove_headers).toEqual(['x-selected-model']);
    s.send(responseHeaders({ ':status': '200' }));
    expect((await s.next()).response_headers?.response?.status).toBe('CONTINUE');
    s.halfClose();
    expect((await s.status).code).toBe(grpcStatus.OK);
  });

  it('answers 503 (guard fail-closed) when the guard does not answer in time, never hangs', async () => {
    doubles.guardHangs = true;
    const s = open();
    s.send(requestHeaders(chatHeaders()));
    await s.next();
    s.send(requestBody(MATH));
    const r = immediate(await s.next());
    expect(r.status).toBe(503);
    expect(r.json).toMatchObject({ error: { code: 'guard_unavailable' } });
  });
});

describe('response side', () => {
  async function forwarded(body: object, requestId: string): Promise<EnvoyStream> {
    const s = open();
    s.send(requestHeaders(chatHeaders({ 'x-request-id': requestId })));
    await s.next();
    s.send(requestBody(body));
    const r = await s.next();
    expect(r.request_body?.response?.clear_route_cache).toBe(true);
    return s;
  }

  it('buffers a JSON answer, adds the router headers, stores it; the repeat is a cache hit', async () => {
    const question = { model: 'auto', messages: [{ role: 'user', content: 'solve the equation 2x = 4' }] };
    const before = doubles.stores.length;
    const s = await forwarded(question, 'json-1');
    s.send(
      responseHeaders({ ':status': '200', 'content-type': 'application/json', 'content-length': '300' }),
    );
    const h = await s.next();
    expect(h.mode_override).toEqual({ response_body_mode: 'BUFFERED' });
    const set = setHeaders(h.response_headers?.response?.header_mutation);
    expect(set).toMatchObject({ 'x-selected-model': 'mathy', 'x-semantic-router-cache': 'miss' });
    expect(set['x-gateway-destination-endpoint']).toBeUndefined();

    s.send(responseBody(JSON.stringify(COMPLETION), true));
    const b = await s.next();
    expect(b.response_body?.response?.status).toBe('CONTINUE');
    expect(b.response_body?.response?.body_mutation).toBeUndefined();
    s.halfClose();
    expect((await s.status).code).toBe(grpcStatus.OK);

    await server.idle();
    expect(doubles.stores.length).toBe(before + 1);
    expect(doubles.stores.at(-1)).toMatchObject({
      model: 'mathy',
      response: { choices: [{ message: { content: 'x^3/3 + C' } }] },
    });

    // Same question again: answered from the cache by the router, upstream never sees it.
    const again = open();
    again.send(requestHeaders(chatHeaders({ 'x-request-id': 'json-2' })));
    await again.next();
    again.send(requestBody(question));
    const hit = immediate(await again.next());
    expect(hit.status).toBe(200);
    expect(hit.headers['x-semantic-router-cache']).toBe('hit');
    expect(hit.details).toBe('semantic_router_cache_hit');
    expect(hit.json).toMatchObject({
      object: 'chat.completion',
      choices: [{ message: { content: 'x^3/3 + C' } }],
    });
  });

  it('switches an SSE answer to STREAMED, passes chunks through and caches the reassembled answer', async () => {
    const question = {
      model: 'auto',
      stream: true,
      messages: [{ role: 'user', content: 'derivative of sin x?' }],
    };
    const before = doubles.stores.length;
    const s = await forwarded(question, 'sse-1');
    s.send(responseHeaders({ ':status': '200', 'content-type': 'text/event-stream; charset=utf-8' }));
    const h = await s.next();
    expect(h.mode_override).toEqual({ response_body_mode: 'STREAMED' });
    expect(h.response_headers?.response?.header_mutation?.remove_headers).toEqual(['content-length']);

    const chunk = (content: string, finish: string | null = null) =>
      `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'qwen3-math', choices: [{ index: 0, delta: { content }, finish_reason: finish }] })}\n\n`;
    const wire = `${chunk('cos')}${chunk(' x', 'stop')}data: [DONE]\n\n`;
    // Split mid-event, as TCP reads do.
    const pieces = [wire.slice(0, 20), wire.slice(20, 130), wire.slice(130)];
    for (let i = 0; i < pieces.length; i++) {
      s.send(responseBody(pieces[i]!, false));
      const r = await s.next();
      expect(r.response_body?.response?.status).toBe('CONTINUE');
      // Nothing to restore: chunks pass unchanged (no mutation means Envoy forwards its own bytes).
      expect(r.response_body?.response?.body_mutation).toBeUndefined();
    }
    s.send(responseBody('', true));
    await s.next();
    s.halfClose();
    expect((await s.status).code).toBe(grpcStatus.OK);
    await eventually(() => doubles.stores.length === before + 1, 'the cache store of the streamed answer');
    expect(doubles.stores.at(-1)?.response).toMatchObject({
      object: 'chat.completion',
      choices: [{ message: { content: 'cos x' } }],
    });
  });

  const PII_QUESTION = {
    model: 'auto',
    messages: [{ role: 'user', content: `write a short note to ${PII_EMAIL}` }],
  };

  it('restores redacted PII in a buffered answer and fixes content-length', async () => {
    const s = open();
    s.send(requestHeaders(chatHeaders()));
    await s.next();
    s.send(requestBody(PII_QUESTION));
    const fwd = await s.next();
    const sent = Buffer.from((fwd.request_body?.response?.body_mutation as { body: Buffer }).body).toString();
    expect(sent).toContain(PII_PLACEHOLDER);
    expect(sent).not.toContain(PII_EMAIL);

    const answer = JSON.stringify({
      ...COMPLETION,
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: `Dear ${PII_PLACEHOLDER},` },
          finish_reason: 'stop',
        },
      ],
    });
    s.send(
      responseHeaders({
        ':status': '200',
        'content-type': 'application/json',
        'content-length': String(answer.length),
      }),
    );
    expect((await s.next()).mode_override).toEqual({ response_body_mode: 'BUFFERED' });
    s.send(responseBody(answer, true));
    const b = (await s.next()).response_body?.response;
    const restored = Buffer.from((b?.body_mutation as { body: Buffer }).body).toString();
    expect(JSON.parse(restored).choices[0].message.content).toBe(`Dear ${PII_EMAIL},`);
    expect(setHeaders(b?.header_mutation)['content-length']).toBe(String(Buffer.byteLength(restored)));
  });

  it('restores a PII placeholder split across STREAMED SSE chunks', async () => {
    const s = open();
    s.send(requestHeaders(chatHeaders()));
    await s.next();
    s.send(requestBody({ ...PII_QUESTION, stream: true }));
    await s.next();
    s.send(responseHeaders({ ':status': '200', 'content-type': 'text/event-stream' }));
    expect((await s.next()).mode_override).toEqual({ response_body_mode: 'STREAMED' });
    const event = (content: string) =>
      `data: ${JSON.stringify({ id: 'c2', object: 'chat.completion.chunk', created: 1, model: 'general', choices: [{ index: 0, delta: { content }, finish_reason: null }] })}\n\n`;
    const wire = `${event('Dear <EMAIL_AD')}${event('DRESS_1>, hi')}data: [DONE]\n\n`;
    const cut = wire.indexOf('DRESS_1>');
    const pieces = [wire.slice(0, cut - 3), wire.slice(cut - 3, cut + 40), wire.slice(cut + 40)];
    // What the client receives: Envoy's own chunk when there is no mutation, else the mutation.
    let client = '';
    for (const [i, piece] of pieces.entries()) {
      s.send(responseBody(piece, i === pieces.length - 1));
      const common = (await s.next()).response_body?.response;
      const m = common?.body_mutation as { body?: Buffer; clear_body?: boolean } | undefined;
      client +=
        m === undefined ? piece : m.clear_body ? '' : Buffer.from(m.body ?? Buffer.alloc(0)).toString();
    }
    const text = client
      .split('\n\n')
      .filter((e) => e.startsWith('data: {'))
      .map((e) => JSON.parse(e.slice(6)).choices[0].delta.content)
      .join('');
    expect(text).toBe(`Dear ${PII_EMAIL}, hi`);
    expect(client).not.toContain('EMAIL_AD');
    expect(client.endsWith('data: [DONE]\n\n')).toBe(true);
  });

  it('passes a compressed answer through untouched and caches nothing', async () => {
    const before = doubles.stores.length;
    const s = await forwarded(
      { model: 'auto', messages: [{ role: 'user', content: 'integral of cos x' }] },
      'gz-1',
    );
    s.send(
      responseHeaders({ ':status': '200', 'content-type': 'application/json', 'content-encoding': 'gzip' }),
    );
    const h = await s.next();
    expect(h.mode_override).toEqual({ response_body_mode: 'NONE' });
    expect(setHeaders(h.response_headers?.response?.header_mutation)['x-selected-model']).toBe('mathy');
    s.halfClose();
    expect((await s.status).code).toBe(grpcStatus.OK);
    await server.idle();
    expect(doubles.stores.length).toBe(before);
  });

  it('does not cache an upstream error answer', async () => {
    const before = doubles.stores.length;
    const s = await forwarded(
      { model: 'auto', messages: [{ role: 'user', content: 'integral of e^x' }] },
      'err-1',
    );
    s.send(responseHeaders({ ':status': '500', 'content-type': 'application/json' }));
    await s.next();
    s.send(responseBody('{"error":{"message":"boom"}}', true));
    await s.next();
    s.halfClose();
    expect((await s.status).code).toBe(grpcStatus.OK);
    expect(doubles.stores.length).toBe(before);
  });
});

describe('protocol errors and cancellation', () => {
  it.each([
    ['a request body before request headers', [requestBody(MATH)], 'unexpected request_body while start'],
    [
      'response headers before the request',
      [responseHeaders({ ':status': '200' })],
      'unexpected response_headers while start',
    ],
    ['a message with no member set', [{}], 'none of the request_'],
  ])('ends the stream with INVALID_ARGUMENT on %s', async (_what, messages, details) => {
    const s = open();
    for (const m of messages) s.send(m);
    const st = await s.status;
    expect(st.code).toBe(grpcStatus.INVALID_ARGUMENT);
    expect(st.details).toContain(details);
  });

  it('answers bytes that are not a ProcessingRequest with a gRPC error, and keeps serving', async () => {
    const raw = (b: Buffer) => b;
    const Raw = makeGenericClientConstructor(
      {
        Process: {
          path: '/envoy.service.ext_proc.v3.ExternalProcessor/Process',
          requestStream: true,
          responseStream: true,
          requestSerialize: raw,
          requestDeserialize: raw,
          responseSerialize: raw,
          responseDeserialize: raw,
          originalName: 'Process',
        },
      },
      'ExternalProcessor',
    );
    const rawClient = new Raw(`127.0.0.1:${server.port}`, credentials.createInsecure()) as unknown as {
      Process(): ClientDuplexStream<Buffer, Buffer>;
      close(): void;
    };
    const call = rawClient.Process();
    call.on('error', () => undefined);
    const st = new Promise<{ code: number }>((resolve) => call.on('status', resolve));
    // A length-delimited field 15 whose length runs past the end of the message.
    call.write(Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f, 0x01]));
    expect((await st).code).toBe(grpcStatus.INTERNAL);
    rawClient.close();
    const next = open();
    next.send(requestHeaders({ ':method': 'GET', ':path': '/v1/models' }, { endOfStream: true }));
    expect(immediate(await next.next()).status).toBe(200);
  });

  it('ends the stream with INVALID_ARGUMENT on duplicate request headers', async () => {
    const s = open();
    s.send(requestHeaders(chatHeaders()));
    await s.next();
    s.send(requestHeaders(chatHeaders()));
    const st = await s.status;
    expect(st.code).toBe(grpcStatus.INVALID_ARGUMENT);
    expect(st.details).toContain('unexpected request_headers while request-body');
  });

  it('cleans up a stream cancelled while the pipeline is deciding, and keeps serving', async () => {
    doubles.guardDelayMs = 150;
    const calls = doubles.guardCalls;
    const cancelledBefore = await metricValue('sr_extproc_streams_total', { outcome: 'cancelled' });
    const s = open();
    s.send(requestHeaders(chatHeaders()));
    await s.next();
    s.send(requestBody(MATH));
    await eventually(() => doubles.guardCalls === calls + 1, 'the guard call');
    s.cancel();
    expect((await s.status).code).toBe(grpcStatus.CANCELLED);
    await eventually(() => server.openStreams === 0, 'the session to be released');
    expect(await metricValue('sr_extproc_streams_total', { outcome: 'cancelled' })).toBe(cancelledBefore + 1);
    // Let the slow guard answer land on the released session: nothing may be written or thrown.
    await new Promise((r) => setTimeout(r, 200));

    doubles.guardDelayMs = 0;
    const next = open();
    next.send(requestHeaders({ ':method': 'GET', ':path': '/v1/models' }, { endOfStream: true }));
    expect(immediate(await next.next()).status).toBe(200);
  });

  it('releases a forwarded stream Envoy closes before the response ends, storing nothing', async () => {
    const before = doubles.stores.length;
    const s = open();
    s.send(requestHeaders(chatHeaders()));
    await s.next();
    s.send(requestBody({ model: 'auto', messages: [{ role: 'user', content: 'integral of 1/x' }] }));
    await s.next();
    s.send(responseHeaders({ ':status': '200', 'content-type': 'text/event-stream' }));
    await s.next();
    s.send(responseBody('data: {"choices":[{"index":0,"delta":{"content":"ln"}}]}\n\n', false));
    await s.next();
    s.halfClose();
    expect((await s.status).code).toBe(grpcStatus.OK);
    await eventually(() => server.openStreams === 0, 'the session to be released');
    expect(doubles.stores.length).toBe(before);
  });
});

describe('shutdown', () => {
  it('cancels streams still open after the grace period and resolves', async () => {
    const own = new ExtProcServer({
      pipeline: extProcPort(pipeline),
      logger: createLogger({ service: 'extproc-test', level: 'silent' }),
      registry: new Registry(),
      host: '127.0.0.1',
      port: 0,
      maxBodyBytes: 4096,
      decisionTimeoutMs: 1000,
      shutdownGraceMs: 100,
    });
    const { port } = await own.start();
    const ownClient = extProcClient(port);
    const s = new EnvoyStream(ownClient);
    s.send(requestHeaders(chatHeaders()));
    await s.next();
    expect(own.openStreams).toBe(1);
    await own.shutdown();
    expect(own.openStreams).toBe(0);
    // The stream Envoy left open is ended for it, not left hanging.
    expect((await s.status).code).not.toBe(grpcStatus.OK);
    ownClient.close();
  });
});
