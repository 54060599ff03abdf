import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import {
  call,
  classify,
  ConfigStore,
  createLogger,
  embed,
  parseConfig,
  type ClassifyRequest,
} from '@sr/shared';
import { InProcessBus } from '@sr/shared/testing';
import { createClassifierWorker, type ClassifierWorker } from '../src';

const ROOT = join(__dirname, '..', '..', '..');
const logger = createLogger({ service: 'classifier-test', level: 'silent' });

const yaml = (categories: string) => `
defaultModel: m
models: [{ name: m, endpoints: [{ url: http://127.0.0.1:9/v1 }] }]
tools: { topK: 2, whenNoneRelevant: keep }
categories:
${categories}
`;
const LEGAL = `
  - name: legal-contracts
    signal: custom
    examples:
      - review this non-disclosure agreement for risky clauses
      - draft a termination clause for a services contract
      - what does an indemnification clause in my lease mean
      - is this non-compete enforceable
      - summarise the obligations of each party in this contract
      - add a force majeure clause to our supplier agreement
      - explain the liability cap in this software licence
      - rewrite this contract section in plain English
      - what are the payment terms in this agreement
      - check this employment contract for unusual terms
`;
const COOKING = `
  - name: cooking
    signal: custom
    examples:
      - give me a recipe for banana bread
      - how long should I roast a chicken
      - what can I cook with leftover rice
      - how do I make a creamy pasta sauce
      - what spices go well with lentils
      - how do I bake sourdough bread at home
      - suggest a quick vegetarian dinner
      - how do I caramelise onions properly
      - what is a good marinade for grilled fish
      - how can I make my pancakes fluffier
`;

const TOOLS: ClassifyRequest['tools'] = [
  {
    type: 'function',
    function: { name: 'get_weather', description: 'Get the current weather forecast for a city' },
  },
  { type: 'function', function: { name: 'send_email', description: 'Send an email message to a recipient' } },
  {
    type: 'function',
    function: { name: 'convert_currency', description: 'Convert an amount of money between currencies' },
  },
  {
    type: 'function',
    function: { name: 'book_flight', description: 'Book a flight ticket between two airports' },
  },
];

function metricValue(text: string, name: string, labels: string): number {
  const re = new RegExp(`^${name}\\{${labels}[^}]*\\} (\\S+)$`, 'm');
  return Number(re.exec(text)?.[1] ?? 0);
}

describe('classifier worker over the in-process bus, real models', () => {
  const bus = new InProcessBus();
  const registry = new Registry();
  const dir = mkdtempSync(join(tmpdir(), 'sr-classifier-'));
  const file = join(dir, 'config.yaml');
  writeFileSync(file, yaml(LEGAL));
  const store = new ConfigStore({ file, initial: parseConfig(readFileSync(file, 'utf8'), file, {}) });
  let worker: ClassifierWorker;
  const ask = (request: ClassifyRequest) => call(bus, classify, request, { timeoutMs: 10_000 });
  const user = (content: string): ClassifyRequest => ({ messages: [{ role: 'user', content }] });

  beforeAll(async () => {
    worker = createClassifierWorker({ configStore: store, bus, registry, baseDir: ROOT, logger });
    await worker.start();
  });
  afterAll(async () => {
    await worker.shutdown();
    await bus.close();
  });

  it('returns domain and intent with full distributions in one call', async () => {
    const reply = await ask(user('Solve the integral of x^2 sin(x) dx step by step.'));
    expect(reply.domain?.label).toBe('math');
    expect(Object.keys(reply.domain?.distribution ?? {})).toHaveLength(14);
    expect(reply.intent?.label).toBe('math');
    expect(reply.tools).toBeNull();
    expect(reply.timingsMs.total).toBeGreaterThan(0);
  });

  it('runs each model once per request', async () => {
    const before = await registry.metrics();
    await ask({ ...user('Write a Python function that merges two sorted lists.'), tools: TOOLS });
    const after = await registry.metrics();
    for (const model of ['domain', 'intent', 'encoder']) {
      const texts = (t: string) => metricValue(t, 'sr_classifier_batch_size_sum', `model="${model}"`);
      // The encoder embeds the query once; the tools are embedded once and then cached.
      expect({ model, texts: texts(after) - texts(before) }).toEqual({
        model,
        texts: model === 'encoder' ? 1 + TOOLS!.length : 1,
      });
    }
    const again = await registry.metrics();
    await ask({ ...user('Write a Python function that merges two sorted lists.'), tools: TOOLS });
    const last = await registry.metrics();
    const enc = (t: string) => metricValue(t, 'sr_classifier_batch_size_sum', 'model="encoder"');
    expect(enc(last) - enc(again)).toBe(1);
  });

  it('labels low-confidence results unknown, keeping the score', async () => {
    const strict = createClassifierWorker({
      config: parseConfig(
        yaml(LEGAL) + 'classifiers: { domain: { threshold: 1 }, intent: { threshold: 1 } }\n',
        't',
        {},
      ),
      bus: new InProcessBus(),
      registry: new Registry(),
      baseDir: ROOT,
      logger,
    });
    await strict.start();
    try {
      const [signals] = await strict.engine!.classifyTexts([
        'What is the boiling point of water at altitude?',
      ]);
      expect(signals!.domain).toMatchObject({ label: 'unknown' });
      expect(signals!.domain!.score).toBeGreaterThan(0);
      expect(signals!.intent).toMatchObject({ label: 'unknown' });
    } finally {
      await strict.shutdown();
    }
  });

  it('matches custom categories by example similarity, and none for unrelated text', async () => {
    const legal = await ask(user('Can you check the indemnification clause in this services contract?'));
    expect(legal.custom).toMatchObject({ label: 'legal-contracts' });
    const other = await ask(user('What is the tallest mountain in South America?'));
    expect(other.custom).toBeNull();
  });

  it('re-embeds custom categories on config reload', async () => {
    const before = await ask(user('How do I make fluffy pancakes for breakfast?'));
    expect(before.custom).toBeNull();
    writeFileSync(file, yaml(LEGAL + COOKING));
    const outcome = await store.reload();
    expect(outcome.status).toBe('applied');
    // The listener re-embeds asynchronously; wait for it without a fixed sleep.
    for (let i = 0; i < 100 && worker.engine!.customCategories < 2; i++)
      await new Promise((r) => setTimeout(r, 20));
    const after = await ask(user('How do I make fluffy pancakes for breakfast?'));
    expect(after.custom).toMatchObject({ label: 'cooking' });
  });

  it('selects relevant tools for tool_choice auto/absent, keeps a named tool, leaves none/required alone', async () => {
    const weather = await ask({ ...user('What will the weather be like in Paris tomorrow?'), tools: TOOLS });
    expect(weather.tools).toMatchObject({ reason: 'ranked' });
    expect(weather.tools!.selected[0]).toBe('get_weather');
    expect(weather.tools!.selected.length).toBeLessThanOrEqual(2);
    const named = await ask({
      ...user('What will the weather be like in Paris tomorrow?'),
      tools: TOOLS,
      toolChoice: { type: 'function', function: { name: 'book_flight' } },
    });
    expect(named.tools!.selected).toContain('book_flight');
    const none = await ask({
      ...user('What will the weather be like in Paris tomorrow?'),
      tools: TOOLS,
      toolChoice: 'none',
    });
    expect(none.tools).toMatchObject({ reason: 'skipped', selected: TOOLS!.map((t) => t.function.name) });
    const irrelevant = await ask({ ...user('Tell me a joke about cats.'), tools: TOOLS.slice(1, 2) });
    expect(['ranked', 'none-relevant-kept']).toContain(irrelevant.tools!.reason);
    expect(irrelevant.tools!.selected).toEqual(['send_email']);
  });

  it('classifies the configured context; the handler and classifyTexts agree', async () => {
    const request: ClassifyRequest = {
      messages: [
        { role: 'system', content: 'You are helpful.' },
        { role: 'user', content: [{ type: 'text', text: 'Explain photosynthesis.' }, { type: 'image_url' }] },
      ],
    };
    const viaBus = await ask(request);
    const [direct] = await worker.engine!.classifyTexts(['Explain photosynthesis.']);
    expect({ domain: viaBus.domain, intent: viaBus.intent, custom: viaBus.custom }).toEqual(direct);
  });

  it('serves normalised embeddings and rejects oversized batches with a clear error', async () => {
    const reply = await call(bus, embed, { texts: ['hello world', 'good morning'] }, { timeoutMs: 5000 });
    expect(reply.vectors).toHaveLength(2);
    expect(reply.vectors[0]).toHaveLength(reply.dimension);
    expect(Math.hypot(...reply.vectors[0]!)).toBeCloseTo(1, 3);
    await expect(
      call(bus, embed, { texts: Array.from({ length: 257 }, () => 'x') }, { timeoutMs: 5000 }),
    ).rejects.toMatchObject({ code: 'CONTRACT_VIOLATION' });
  });

  it('fails to start with ML_PROVIDER_UNAVAILABLE when the configured execution provider is absent', async () => {
    const gpu = createClassifierWorker({
      config: parseConfig(yaml(LEGAL) + 'classifiers: { executionProviders: [cuda] }\n', 't', {}),
      bus: new InProcessBus(),
      registry: new Registry(),
      baseDir: ROOT,
      logger,
    });
    await expect(gpu.start()).rejects.toMatchObject({ code: 'ML_PROVIDER_UNAVAILABLE' });
  });
});
