import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { startTracing, type Tracing } from '@sr/shared';
import { startEnv, type TestEnv } from './env';

describe('tracing', () => {
  const exporter = new InMemorySpanExporter();
  let tracing: Tracing;
  let env: TestEnv;
  beforeAll(async () => {
    tracing = startTracing({
      serviceName: 'gw-test',
      enabled: false,
      exporter: 'none',
      sampleRate: 1,
      spanExporter: exporter,
    });
    env = await startEnv();
  });
  afterAll(async () => {
    await env.close();
    await tracing.shutdown();
  });

  test('one trace per request: stage spans under the request span, attributes, no prompt text', async () => {
    const secret = 'integral of the secret polynomial';
    await env.client.chat.completions.create({
      model: 'auto',
      messages: [{ role: 'user', content: secret }],
    });
    await env.gateway.idle();
    const spans = exporter.getFinishedSpans();
    const root = spans.find((s) => s.name === 'semantic_router.request')!;
    expect(root).toBeDefined();
    expect(root.attributes).toMatchObject({
      'gen_ai.request.model': 'mathy',
      'semantic_router.category': 'math',
      'semantic_router.outcome': 'forward',
    });
    const traceId = root.spanContext().traceId;
    const names = spans.filter((s) => s.spanContext().traceId === traceId).map((s) => s.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'semantic_router.guard',
        'semantic_router.classify',
        'semantic_router.cache_lookup',
        'sr.v1.guard.check request',
        'sr.v1.guard.check process',
        'semantic_router.response',
        'semantic_router.cache_store',
        'sr.v1.cache.store request',
      ]),
    );
    const response = spans.find((s) => s.name === 'semantic_router.response')!;
    expect(response.attributes['gen_ai.usage.output_tokens']).toBeGreaterThan(0);
    expect(JSON.stringify(spans.map((s) => [s.name, s.attributes, s.events]))).not.toContain('secret');
  });
});
