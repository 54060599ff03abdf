import { Registry } from 'prom-client';
import { classify, createLogger, guardCheck, parseConfig, serve } from '@sr/shared';
import { InProcessBus } from '@sr/shared/testing';
import { createGatewayMetrics, createPipeline, EndpointPool } from '../../src/index';

const yaml = `
defaultModel: general
models:
  - { name: general, endpoints: [{ url: "http://127.0.0.1:9/v1" }] }
  - { name: mathy, endpoints: [{ url: "http://127.0.0.1:10/v1" }], reasoningFamily: qwen3 }
categories:
  - { name: math, modelScores: [{ model: mathy, score: 0.9, useReasoning: true }] }
`;

test('pipeline routes a math question to the math model over a real in-process bus', async () => {
  const config = parseConfig(yaml, 'inline.yaml', {});
  const bus = new InProcessBus();
  serve(bus, guardCheck, async () => ({
    jailbreak: { status: 'clean' as const, score: 0.01, threshold: 0.5 },
    pii: null,
  }));
  serve(bus, classify, async () => ({
    domain: { label: 'math', score: 0.9 },
    intent: null,
    custom: null,
    tools: null,
  }));
  const pipeline = createPipeline({
    getConfig: () => config,
    bus,
    logger: createLogger({ service: 'test', level: 'silent' }),
    metrics: createGatewayMetrics(new Registry()),
    pool: new EndpointPool({ ejectAfterFailures: 3, ejectForMs: 1000 }),
  });
  const body = Buffer.from(
    JSON.stringify({ model: 'auto', messages: [{ role: 'user', content: 'integrate x^2' }] }),
  );
  const out = await pipeline.handle({ body, headers: {}, transport: 'http' });
  expect(out.kind).toBe('forward');
  if (out.kind !== 'forward') return;
  expect(out.model).toBe('mathy');
  expect(out.endpoint).toBe('127.0.0.1:10');
  expect(out.body.chat_template_kwargs).toEqual({ enable_thinking: true });
  expect(out.headers['x-semantic-router-category']).toBe('math');
  await bus.close();
});
