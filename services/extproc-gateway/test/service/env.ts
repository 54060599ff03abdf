import { Registry } from 'prom-client';
import OpenAI from 'openai';
import { createLogger, parseConfig, type RouterConfig } from '@sr/shared';
import { InProcessBus } from '@sr/shared/testing';
import { createGateway, type Gateway } from '../../src/index';
import { startUpstreamStub, type UpstreamStub } from '../../src/testing/index';
import { startWorkerDoubles, type WorkerDoubles } from './worker-doubles';

export interface TestEnv {
  gateway: Gateway;
  config: RouterConfig;
  bus: InProcessBus;
  doubles: WorkerDoubles;
  general: UpstreamStub;
  math: UpstreamStub;
  registry: Registry;
  baseUrl: string;
  client: OpenAI;
  close(): Promise<void>;
}

/** A port nothing listens on: a stub started and closed again. */
export async function deadUrl(): Promise<string> {
  const s = await startUpstreamStub();
  await s.close();
  return s.url;
}

/**
 * A gateway on port 0 over a real in-process bus with worker doubles, in front of two real
 * upstream stub servers (`general-stub`, `math-stub`). `extra` is YAML merged at the top level.
 */
export async function startEnv(
  options: {
    extra?: string;
    env?: NodeJS.ProcessEnv;
    /** More models (YAML list items); a function gets the stubs' URLs. */
    models?: string | ((urls: { general: string; math: string }) => string);
  } = {},
): Promise<TestEnv> {
  const general = await startUpstreamStub({ name: 'general-stub' });
  const math = await startUpstreamStub({ name: 'math-stub' });
  const yaml = `
defaultModel: general
models:
  - name: general
    endpoints: [{ url: "${general.url}" }]
    piiPolicy: { allow: [EMAIL_ADDRESS] }
    pricing: { promptPer1M: 1, completionPer1M: 2 }
  - name: mathy
    endpoints: [{ url: "${math.url}" }]
    reasoningFamily: qwen3
    upstreamModel: qwen3-math
    piiPolicy: { allow: [], action: route }
${typeof options.models === 'function' ? options.models({ general: general.url, math: math.url }) : (options.models ?? '')}
categories:
  - name: math
    modelScores: [{ model: mathy, score: 0.9, useReasoning: true }, { model: general, score: 0.5 }]
    systemPrompt: You are a mathematician.
  - name: computer science
    modelScores: [{ model: general, score: 0.8 }]
limits: { maxBodyBytes: 65536 }
${options.extra ?? ''}
`;
  const config = parseConfig(yaml, 'test.yaml', {});
  const bus = new InProcessBus();
  const doubles = startWorkerDoubles(bus);
  const registry = new Registry();
  const gateway = createGateway({
    config,
    bus,
    logger: createLogger({ service: 'test', level: 'silent' }),
    registry,
    http: { host: '127.0.0.1', port: 0 },
    env: options.env ?? {},
  });
  await gateway.start();
  const baseUrl = `http://127.0.0.1:${gateway.httpPort}`;
  const client = new OpenAI({ baseURL: `${baseUrl}/v1`, apiKey: 'test-key', maxRetries: 0, timeout: 20_000 });
  return {
    gateway,
    config,
    bus,
    doubles,
    general,
    math,
    registry,
    baseUrl,
    client,
    async close() {
      await gateway.shutdown();
      await doubles.stopAll();
      await bus.close();
      await general.close();
      await math.close();
    },
  };
}

/** Polls until `check` is true (or fails after `timeoutMs`): for effects that land asynchronously. */
export async function eventually(check: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export async function metricValue(
  registry: Registry,
  name: string,
  labels: Record<string, string> = {},
): Promise<number> {
  const m = await registry.getSingleMetric(name)?.get();
  if (!m) return 0;
  return m.values
    .filter((v) =>
      Object.entries(labels).every(([k, val]) => String((v.labels as Record<string, unknown>)[k]) === val),
    )
    .reduce((s, v) => s + v.value, 0);
}
