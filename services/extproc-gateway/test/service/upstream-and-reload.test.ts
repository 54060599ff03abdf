import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { Registry } from 'prom-client';
import { ConfigStore, createLogger, parseConfig } from '@sr/shared';
import { InProcessBus } from '@sr/shared/testing';
import { createGateway } from '../../src/index';
import { startUpstreamStub } from '../../src/testing/index';
import { metricValue, startEnv } from './env';
import { startWorkerDoubles } from './worker-doubles';

const ask = (content: string) => ({ model: 'auto', messages: [{ role: 'user' as const, content }] });

test('an upstream slower than timeouts.upstreamMs → 504 upstream_timeout', async () => {
  const env = await startEnv({ extra: 'timeouts: { upstreamMs: 200 }' });
  try {
    env.general.setDelay(3_000);
    const err = await env.client.chat.completions.create(ask('hello')).catch((e: unknown) => e);
    expect((err as InstanceType<typeof OpenAI.APIError>).status).toBe(504);
    expect((err as InstanceType<typeof OpenAI.APIError>).code).toBe('upstream_timeout');
  } finally {
    await env.close();
  }
});

test('a 429 is retried on the next model and does not eject the endpoint', async () => {
  const env = await startEnv({ extra: 'upstream: { ejectAfterFailures: 1 }' });
  try {
    env.math.failNext(1, 429);
    const { response } = await env.client.chat.completions.create(ask('integral of x')).withResponse();
    expect(response.headers.get('x-selected-model')).toBe('general');
    expect(await metricValue(env.registry, 'sr_gateway_endpoint_ejections_total')).toBe(0);
    const again = await env.client.chat.completions.create(ask('integral of 2x')).withResponse();
    expect(again.response.headers.get('x-selected-model')).toBe('mathy');
  } finally {
    await env.close();
  }
});

test('tokens, cost, TTFT and stage latencies are measured', async () => {
  const env = await startEnv();
  try {
    const res = await env.client.chat.completions.create(ask('hello there'));
    await env.gateway.idle();
    const usage = res.usage!;
    expect(
      await metricValue(env.registry, 'sr_gateway_tokens_total', { model: 'general', kind: 'completion' }),
    ).toBe(usage.completion_tokens);
    const cost = await metricValue(env.registry, 'sr_gateway_cost_total', { model: 'general' });
    expect(cost).toBeCloseTo((usage.prompt_tokens * 1 + usage.completion_tokens * 2) / 1e6, 12);
    const metrics = await env.registry.metrics();
    expect(metrics).toMatch(/sr_gateway_ttft_seconds_count\{model="general"[^}]*\} 1/);
    expect(metrics).toMatch(/sr_gateway_stage_duration_seconds_count\{stage="guard",outcome="ok"[^}]*\} 1/);
    expect(metrics).toMatch(/sr_gateway_requests_total\{[^}]*decision="routed"[^}]*\} 1/);
    expect(metrics).not.toContain('hello there');
  } finally {
    await env.close();
  }
});

test('a config reload applies to the next request', async () => {
  const a = await startUpstreamStub({ name: 'a' });
  const b = await startUpstreamStub({ name: 'b' });
  const dir = mkdtempSync(join(tmpdir(), 'gw-reload-'));
  const file = join(dir, 'config.yaml');
  const yaml = (model: string) => `
defaultModel: ${model}
models:
  - { name: one, endpoints: [{ url: "${a.url}" }] }
  - { name: two, endpoints: [{ url: "${b.url}" }] }
`;
  writeFileSync(file, yaml('one'));
  const store = new ConfigStore({ file, initial: parseConfig(yaml('one'), file, {}) });
  const bus = new InProcessBus();
  const doubles = startWorkerDoubles(bus);
  const gateway = createGateway({
    config: store,
    bus,
    logger: createLogger({ service: 'test', level: 'silent' }),
    registry: new Registry(),
    http: { host: '127.0.0.1', port: 0 },
  });
  await gateway.start();
  const client = new OpenAI({
    baseURL: `http://127.0.0.1:${gateway.httpPort}/v1`,
    apiKey: 'k',
    maxRetries: 0,
  });
  try {
    expect((await client.chat.completions.create(ask('hi'))).choices[0]!.message.content).toContain('(a)');
    writeFileSync(file, yaml('two'));
    expect((await store.reload()).status).toBe('applied');
    expect((await client.chat.completions.create(ask('hi again'))).choices[0]!.message.content).toContain(
      '(b)',
    );
  } finally {
    await gateway.shutdown();
    await doubles.stopAll();
    await bus.close();
    await a.close();
    await b.close();
  }
});
