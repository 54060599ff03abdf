import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { NatsBus } from '@sr/shared';
import {
  runChildService,
  startNatsServer,
  type ChildService,
  type NatsServerHandle,
} from '@sr/shared/testing';
import { startUpstreamStub, type UpstreamStub } from '../../src/testing/index';
import { startWorkerDoubles, type WorkerDoubles } from './worker-doubles';

const MAIN = join(__dirname, '..', '..', 'dist', 'main.js');

/**
 * The gateway as its own OS process (`dist/main.js`) over a real nats-server, with the worker
 * doubles in this process on the other end of NATS.
 */
describe('gateway main over NATS', () => {
  let nats: NatsServerHandle;
  let bus: NatsBus;
  let doubles: WorkerDoubles;
  let upstream: UpstreamStub;
  let gateway: ChildService;
  let client: OpenAI;
  let base: string;

  beforeAll(async () => {
    if (!existsSync(MAIN))
      throw new Error(`${MAIN} is missing: run \`npx tsc --build\` first (npm test does)`);
    nats = await startNatsServer();
    bus = await NatsBus.connect({ url: nats.url, name: 'gateway-test-doubles' });
    doubles = startWorkerDoubles(bus);
    upstream = await startUpstreamStub({ name: 'nats-stub' });
    const dir = mkdtempSync(join(tmpdir(), 'gw-main-'));
    const file = join(dir, 'config.yaml');
    writeFileSync(
      file,
      `
listeners: { http: { host: 127.0.0.1, port: 0 }, grpc: { host: 127.0.0.1, port: 0 }, metrics: { host: 127.0.0.1, port: 0 } }
defaultModel: general
models:
  - { name: general, endpoints: [{ url: "${upstream.url}" }] }
  - { name: mathy, endpoints: [{ url: "${upstream.url}" }], reasoningFamily: qwen3 }
categories:
  - { name: math, modelScores: [{ model: mathy, score: 0.9, useReasoning: true }] }
bus: { mode: nats, nats: { url: "${nats.url}" } }
observability: { logLevel: info }
`,
    );
    gateway = await runChildService({ script: MAIN, args: ['--config', file], readyLine: 'ready' });
    // The HTTP port was 0 (free port): read the bound one from the start-up log line.
    const port = Number(/"port":(\d+)[^\n]*gateway HTTP listening/.exec(gateway.output())?.[1]);
    if (!port) throw new Error(`could not find the HTTP port in the gateway's output:\n${gateway.output()}`);
    base = `http://127.0.0.1:${port}`;
    client = new OpenAI({ baseURL: `${base}/v1`, apiKey: 'k', maxRetries: 0 });
  });

  afterAll(async () => {
    await gateway?.stop();
    await doubles?.stopAll();
    await bus?.close();
    await upstream?.close();
    await nats?.stop();
  });

  test('routes a request through the workers over NATS', async () => {
    const { data, response } = await client.chat.completions
      .create({ model: 'auto', messages: [{ role: 'user', content: 'integral of x^3' }] })
      .withResponse();
    expect(response.headers.get('x-selected-model')).toBe('mathy');
    expect(data.choices[0]!.message.content).toContain('nats-stub');
    expect(upstream.requests[0]!.body.chat_template_kwargs).toEqual({ enable_thinking: true });
  });

  test('streams over the separate process too', async () => {
    const stream = await client.chat.completions.create({
      model: 'auto',
      stream: true,
      messages: [{ role: 'user', content: 'hello' }],
    });
    let text = '';
    for await (const c of stream) text += c.choices[0]?.delta?.content ?? '';
    expect(text).toContain('model general (nats-stub) answered: hello');
  });

  test('a guard that is gone is a 503 within the guard timeout', async () => {
    await doubles.stop('guard');
    const err = await client.chat.completions
      .create({ model: 'auto', messages: [{ role: 'user', content: 'hi' }] })
      .catch((e: unknown) => e);
    expect((err as InstanceType<typeof OpenAI.APIError>).status).toBe(503);
  });

  test('SIGTERM drains and exits cleanly', async () => {
    expect(await gateway.stop('SIGTERM')).toBe(0);
  });
});
