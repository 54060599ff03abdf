/**
 * ExtProc with real processes: the gateway as its own OS process (`dist/main.js`) over a real
 * nats-server, the TEST DOUBLE workers in this process on the other end of NATS, and a grpc-js
 * client replaying Envoy's message sequence against the gateway's gRPC port.
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { status as grpcStatus } from '@grpc/grpc-js';
import { NatsBus } from '@sr/shared';
import {
  runChildService,
  startNatsServer,
  type ChildService,
  type NatsServerHandle,
} from '@sr/shared/testing';
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
  type ProcessClient,
} from '../../src/extproc/envoy-replay';
import { JAILBREAK_MARKER, startWorkerDoubles, type WorkerDoubles } from './worker-doubles';

const MAIN = join(__dirname, '..', '..', 'dist', 'main.js');

describe('ExtProc against the gateway process over NATS', () => {
  let nats: NatsServerHandle;
  let bus: NatsBus;
  let doubles: WorkerDoubles;
  let gateway: ChildService;
  let client: ProcessClient;

  beforeAll(async () => {
    if (!existsSync(MAIN))
      throw new Error(`${MAIN} is missing: run \`npx tsc --build\` first (npm test does)`);
    nats = await startNatsServer();
    bus = await NatsBus.connect({ url: nats.url, name: 'extproc-test-doubles' });
    doubles = startWorkerDoubles(bus);
    const file = join(mkdtempSync(join(tmpdir(), 'extproc-main-')), 'config.yaml');
    writeFileSync(
      file,
      `
listeners: { http: { host: 127.0.0.1, port: 0 }, grpc: { host: 127.0.0.1, port: 0 }, metrics: { host: 127.0.0.1, port: 0 } }
defaultModel: general
models:
  - { name: general, endpoints: [{ url: "http://10.1.0.1:8000/v1" }] }
  - { name: mathy, endpoints: [{ url: "http://10.1.0.2:8000/v1" }], reasoningFamily: qwen3 }
categories:
  - { name: math, modelScores: [{ model: mathy, score: 0.9, useReasoning: true }] }
bus: { mode: nats, nats: { url: "${nats.url}" } }
observability: { logLevel: info }
`,
    );
    gateway = await runChildService({ script: MAIN, args: ['--config', file], readyLine: 'ready' });
    // The gRPC port was 0 (free port): read the bound one from the start-up log (logs are
    // written asynchronously, so the line may come just after `ready`).
    let port = 0;
    for (let i = 0; i < 500 && !port; i++) {
      port = Number(/"port":(\d+)[^\n]*gateway ExtProc listening/.exec(gateway.output())?.[1] ?? 0);
      if (!port) await new Promise((r) => setTimeout(r, 10));
    }
    if (!port)
      throw new Error(`could not find the ExtProc port in the gateway's output:\n${gateway.output()}`);
    client = extProcClient(port);
  });

  afterAll(async () => {
    client?.close();
    await gateway?.stop();
    doubles?.close();
    await bus?.close();
    await nats?.stop();
  });

  async function forward(
    question: object,
    requestId: string,
  ): Promise<{ s: EnvoyStream; set: Record<string, string>; body: Record<string, unknown> }> {
    const s = new EnvoyStream(client);
    s.send(requestHeaders(chatHeaders({ 'x-request-id': requestId })));
    expect((await s.next()).request_headers?.response?.status).toBe('CONTINUE');
    s.send(requestBody(question));
    const common = (await s.next()).request_body?.response;
    expect(common?.clear_route_cache).toBe(true);
    const body = JSON.parse(
      Buffer.from((common?.body_mutation as { body: Buffer }).body).toString(),
    ) as Record<string, unknown>;
    return { s, set: setHeaders(common?.header_mutation), body };
  }

  test('routes, measures and caches over NATS; the repeat is answered from the cache', async () => {
    const question = {
      model: 'auto',
      messages: [{ role: 'user', content: 'what is the derivative of x^3?' }],
    };
    const { s, set, body } = await forward(question, 'nats-1');
    expect(set).toMatchObject({
      'x-selected-model': 'mathy',
      'x-gateway-destination-endpoint': '10.1.0.2:8000',
      'x-request-id': 'nats-1',
    });
    expect(body['chat_template_kwargs']).toEqual({ enable_thinking: true });

    s.send(responseHeaders({ ':status': '200', 'content-type': 'application/json' }));
    expect((await s.next()).mode_override).toEqual({ response_body_mode: 'BUFFERED' });
    const answer = {
      id: 'x',
      object: 'chat.completion',
      created: 1,
      model: 'mathy',
      choices: [{ index: 0, message: { role: 'assistant', content: '3x^2' }, finish_reason: 'stop' }],
    };
    s.send(responseBody(JSON.stringify(answer), true));
    expect((await s.next()).response_body?.response?.status).toBe('CONTINUE');
    s.halfClose();
    expect((await s.status).code).toBe(grpcStatus.OK);

    // The cache store crosses NATS after the answer: wait for it (bounded), then ask again.
    for (let i = 0; i < 500 && doubles.stores.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(doubles.stores).toHaveLength(1);
    const again = new EnvoyStream(client);
    again.send(requestHeaders(chatHeaders({ 'x-request-id': 'nats-2' })));
    await again.next();
    again.send(requestBody(question));
    const hit = immediate(await again.next());
    expect(hit.status).toBe(200);
    expect(hit.headers['x-semantic-router-cache']).toBe('hit');
    expect(hit.json).toMatchObject({ choices: [{ message: { content: '3x^2' } }] });
  });

  test('blocks a jailbreak with an immediate 403 decided by the guard over NATS', async () => {
    const s = new EnvoyStream(client);
    s.send(requestHeaders(chatHeaders({ 'x-request-id': 'nats-jb' })));
    await s.next();
    s.send(requestBody({ model: 'auto', messages: [{ role: 'user', content: `${JAILBREAK_MARKER} now` }] }));
    const r = immediate(await s.next());
    expect(r.status).toBe(403);
    expect(r.json).toMatchObject({ error: { code: 'jailbreak_detected' } });
    expect((await s.status).code).toBe(grpcStatus.OK);
  });

  test('streams an SSE answer through STREAMED mode', async () => {
    const { s } = await forward(
      { model: 'auto', stream: true, messages: [{ role: 'user', content: 'hello there' }] },
      'nats-sse',
    );
    s.send(responseHeaders({ ':status': '200', 'content-type': 'text/event-stream' }));
    expect((await s.next()).mode_override).toEqual({ response_body_mode: 'STREAMED' });
    s.send(
      responseBody(
        'data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"general","choices":[{"index":0,"delta":{"content":"hi"},"finish_reason":"stop"}]}\n\n',
        false,
      ),
    );
    expect((await s.next()).response_body?.response?.body_mutation).toBeUndefined();
    s.send(responseBody('data: [DONE]\n\n', true));
    expect((await s.next()).response_body?.response?.status).toBe('CONTINUE');
    s.halfClose();
    expect((await s.status).code).toBe(grpcStatus.OK);
  });
});
