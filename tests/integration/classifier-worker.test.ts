import { join } from 'node:path';
import { Registry } from 'prom-client';
import { TextClassifier } from '@sr/ml';
import {
  call,
  classify,
  createLogger,
  embed,
  loadConfigFile,
  NatsBus,
  type ClassifyRequest,
} from '@sr/shared';
import { runChildService, startNatsServer, type NatsServerHandle } from '@sr/shared/testing';
import { createClassifierWorker, type ClassifierWorker } from '@sr/classifier-worker';

const ROOT = join(__dirname, '..', '..');
const CONFIG = loadConfigFile(join(ROOT, 'config', 'config.yaml'), {});

/** A sample across domains and intents (hand-written, not from any training set). */
const SAMPLE = [
  'Solve the quadratic equation 3x^2 - 5x + 2 = 0 and explain each step.',
  'Write a Python function that reverses a linked list in place.',
  'What were the main causes of the fall of the Western Roman Empire?',
  'How does supply and demand determine the market price of a good?',
  'Explain how the immune system responds to a viral infection.',
  'What is the difference between a misdemeanour and a felony?',
  'Summarise the plot of Hamlet in three sentences.',
  'Write a short poem about the sea at night.',
  'Describe the mechanism of an SN2 reaction with an example.',
  'What is cognitive dissonance and how do people reduce it?',
  'Review this non-disclosure agreement for risky clauses before I sign it.',
  'hi there, how are you today?',
];

describe('classifier worker through a real nats-server', () => {
  let nats: NatsServerHandle;
  let workerBus: NatsBus;
  let client: NatsBus;
  let worker: ClassifierWorker;
  let domain: TextClassifier;
  let intent: TextClassifier;

  beforeAll(async () => {
    nats = await startNatsServer();
    workerBus = await NatsBus.connect({ url: nats.url, name: 'classifier-under-test' });
    client = await NatsBus.connect({ url: nats.url, name: 'gateway-side' });
    worker = createClassifierWorker({
      config: CONFIG,
      bus: workerBus,
      registry: new Registry(),
      baseDir: ROOT,
      logger: createLogger({ service: 'classifier-it', level: 'silent' }),
    });
    await worker.start();
    domain = await TextClassifier.load(join(ROOT, CONFIG.classifiers.domain.modelDir));
    intent = await TextClassifier.load(join(ROOT, CONFIG.classifiers.intent.modelDir));
  });
  afterAll(async () => {
    await worker.shutdown();
    await Promise.all([domain.close(), intent.close()]);
    await workerBus.close();
    await client.close();
    await nats.stop();
  });

  it('gives, through the bus, the labels and scores the models give directly', async () => {
    const replies = await Promise.all(
      SAMPLE.map((text) =>
        call(client, classify, { messages: [{ role: 'user', content: text }] }, { timeoutMs: 5000 }),
      ),
    );
    const [d, i] = await Promise.all([domain.classify(SAMPLE), intent.classify(SAMPLE)]);
    replies.forEach((reply, k) => {
      const expectLabel = (p: { label: string; score: number }, threshold: number) =>
        p.score >= threshold ? p.label : 'unknown';
      expect(reply.domain?.label).toBe(expectLabel(d[k]!, CONFIG.classifiers.domain.threshold));
      expect(reply.domain?.score).toBeCloseTo(d[k]!.score, 5);
      expect(reply.intent?.label).toBe(expectLabel(i[k]!, CONFIG.classifiers.intent.threshold));
      expect(reply.intent?.score).toBeCloseTo(i[k]!.score, 5);
      for (const [label, p] of Object.entries(d[k]!.distribution))
        expect(reply.domain?.distribution?.[label]).toBeCloseTo(p, 5);
    });
    // The classifyTexts path (CLI, classification API) answers the same.
    const direct = await worker.engine!.classifyTexts(SAMPLE);
    replies.forEach((reply, k) =>
      expect({ ...reply, tools: undefined, timingsMs: undefined }).toEqual({
        ...direct[k],
        tools: undefined,
        timingsMs: undefined,
      }),
    );
  });

  it('matches the custom category from its examples and trims tools', async () => {
    const request: ClassifyRequest = {
      messages: [
        { role: 'user', content: 'Can you check the indemnification clause in this services contract?' },
      ],
      tools: [
        { type: 'function', function: { name: 'get_weather', description: 'Current weather for a city' } },
        {
          type: 'function',
          function: { name: 'search_contracts', description: 'Search the contract database for clauses' },
        },
        { type: 'function', function: { name: 'send_email', description: 'Send an email to a recipient' } },
        {
          type: 'function',
          function: { name: 'convert_currency', description: 'Convert an amount between currencies' },
        },
        {
          type: 'function',
          function: { name: 'book_flight', description: 'Book a flight between two airports' },
        },
      ],
    };
    const reply = await call(client, classify, request, { timeoutMs: 5000 });
    expect(reply.custom?.label).toBe('legal-contracts');
    expect(reply.tools?.selected[0]).toBe('search_contracts');
    expect(reply.tools?.selected.length).toBeLessThanOrEqual(CONFIG.tools.topK);
  });

  it('serves embeddings on sr.v1.embed', async () => {
    const reply = await call(
      client,
      embed,
      { texts: ['hello world', 'bonjour le monde'] },
      { timeoutMs: 5000 },
    );
    expect(reply.vectors).toHaveLength(2);
    expect(reply.vectors[0]).toHaveLength(reply.dimension);
    const norm = Math.hypot(...reply.vectors[0]!);
    expect(norm).toBeCloseTo(1, 3);
  });
});

describe('classifier worker process drain', () => {
  it('SIGTERM during a burst: every request already sent gets its answer, then the process exits 0', async () => {
    const nats = await startNatsServer();
    const client = await NatsBus.connect({ url: nats.url, name: 'gateway-side' });
    try {
      const child = await runChildService({
        script: join(ROOT, 'services', 'classifier-worker', 'dist', 'main.js'),
        args: ['--config', join(ROOT, 'config', 'config.yaml')],
        env: { NATS_URL: nats.url, SR_BUS_MODE: 'nats', SR_METRICS_PORT: '0', SR_LOG_LEVEL: 'warn' },
        readyLine: 'ready',
        timeoutMs: 60_000,
      });
      const long = 'Explain the proof of the fundamental theorem of calculus step by step. '.repeat(800);
      const requests = Array.from({ length: 60 }, (_, i) =>
        call(
          client,
          classify,
          { messages: [{ role: 'user', content: `${i} ${long}` }] },
          { timeoutMs: 30_000 },
        ),
      );
      await Promise.race(requests);
      const exited = child.stop('SIGTERM');
      const replies = await Promise.allSettled(requests);
      expect(replies.filter((r) => r.status === 'rejected')).toEqual([]);
      expect(await exited).toBe(0);
    } finally {
      await client.close();
      await nats.stop();
    }
  });
});
