/**
 * The cache service end to end over a real nats-server, with the real sentence encoder and
 * verifier from @sr/ml (models/encoder): exact and paraphrase hits, verifier rejections, tenant
 * isolation at similarity 1.0, long-prompt prefix collisions, TTL, LRU, persistence across a
 * restart, a corrupted snapshot moved aside, and the standalone process draining on SIGTERM.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCacheService, type CacheService } from '@sr/cache-service';
import {
  cacheLookup,
  cacheScope,
  cacheStats,
  cacheStore,
  call,
  createLogger,
  createMetricsRegistry,
  exactCacheKey,
  NatsBus,
  parseConfig,
  type CacheLookupReply,
} from '@sr/shared';
import { runChildService, startNatsServer, type NatsServerHandle } from '@sr/shared/testing';

const opts = { timeoutMs: 5000 };
let nats: NatsServerHandle;
let client: NatsBus;
let dir: string;
const running: Array<{ service: CacheService; bus: NatsBus }> = [];
let clock = Date.now();

beforeAll(async () => {
  nats = await startNatsServer();
  client = await NatsBus.connect({ url: nats.url, name: 'cache-it-client' });
});
afterAll(async () => {
  await client?.close();
  await nats?.stop();
});
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sr-cache-it-'));
  clock = Date.now();
});
afterEach(async () => {
  for (const r of running.splice(0)) await stop(r);
  rmSync(dir, { recursive: true, force: true });
});

function configText(cacheYaml: string): string {
  return `
defaultModel: a
models:
  - name: a
    endpoints: [{ url: http://127.0.0.1:9/v1 }]
bus:
  mode: nats
  nats: { url: ${nats.url} }
listeners:
  metrics: { host: 127.0.0.1, port: 0 }
observability:
  logLevel: warn
cache:
${cacheYaml}
`;
}

async function startService(cacheYaml = '  enabled: true') {
  const bus = await NatsBus.connect({ url: nats.url, name: 'cache-it-service' });
  const service = createCacheService({
    config: parseConfig(configText(cacheYaml), 'it.yaml', {}),
    bus,
    logger: createLogger({ service: 'cache-it', level: 'warn' }),
    registry: createMetricsRegistry('cache-it').registry,
    now: () => clock,
  });
  await service.start();
  const r = { service, bus };
  running.push(r);
  return r;
}

async function stop(r: { service: CacheService; bus: NatsBus }) {
  const i = running.indexOf(r);
  if (i >= 0) running.splice(i, 1);
  await r.service.shutdown();
  await r.bus.close();
}

function keys(tenant: string, query: string, system = 'You are a helpful assistant.') {
  const scope = cacheScope({
    tenant,
    model: 'auto',
    messages: [
      { role: 'system', content: system },
      { role: 'user', content: query },
    ],
  });
  return { scope, exactKey: exactCacheKey(scope, query) };
}

async function store(query: string, answer: string, tenant = 'tenant-a', ttlSeconds?: number) {
  return call(
    client,
    cacheStore,
    {
      ...keys(tenant, query),
      query,
      tenant,
      model: 'auto',
      ttlSeconds,
      response: {
        id: 'chatcmpl-x',
        object: 'chat.completion',
        model: 'a',
        choices: [{ index: 0, message: { role: 'assistant', content: answer }, finish_reason: 'stop' }],
      },
    },
    opts,
  );
}

async function lookup(
  query: string,
  tenant = 'tenant-a',
  similarityThreshold?: number,
): Promise<CacheLookupReply> {
  return call(client, cacheLookup, { ...keys(tenant, query), query, similarityThreshold }, opts);
}

const answerOf = (r: CacheLookupReply) =>
  r.status === 'hit' ? (r.response.choices[0]!.message as { content?: string }).content : undefined;

describe('cache service over NATS with the real encoder', () => {
  it('answers an exact repeat (case and spacing normalised)', async () => {
    await startService();
    expect(await store('What is the capital of France?', 'Paris.')).toMatchObject({ status: 'stored' });
    const hit = await lookup('  what is the capital of FRANCE? ');
    expect(hit).toMatchObject({ status: 'hit', kind: 'exact', similarity: 1 });
    expect(answerOf(hit)).toBe('Paris.');
  });

  it('answers a paraphrase semantically', async () => {
    await startService();
    await store('How do I reset my password?', 'Use "Forgot password" on the sign-in page.');
    const hit = await lookup('how can i reset my password');
    expect(hit).toMatchObject({ status: 'hit', kind: 'semantic' });
    expect(answerOf(hit)).toBe('Use "Forgot password" on the sign-in page.');
  });

  it('rejects near-misses through verification: numbers and direction', async () => {
    await startService();
    await store('Convert 5 miles to kilometers', '8.05 km');
    await store('Cheapest flight from Boston to Chicago next week', 'BOS-ORD: $89');
    // A loose threshold lets the candidates through, so the verifier is what decides.
    const numbers = await lookup('Convert 50 miles to kilometers', 'tenant-a', 0.3);
    expect(numbers).toMatchObject({ status: 'miss', reason: 'verification-failed:number-mismatch' });
    const direction = await lookup('Cheapest flight from Chicago to Boston next week', 'tenant-a', 0.3);
    expect(direction).toMatchObject({ status: 'miss', reason: 'verification-failed:direction-mismatch' });
    if (direction.status === 'miss') expect(direction.bestSimilarity).toBeGreaterThan(0.9);
  });

  it('never shares entries between tenants, even at similarity 1.0', async () => {
    await startService();
    await store('What is our refund policy?', 'Acme: 30 days.', 'acme');
    expect(await lookup('What is our refund policy?', 'globex', 0)).toEqual({
      status: 'miss',
      reason: 'empty',
    });
    await store('What is our refund policy?', 'Globex: no refunds.', 'globex');
    expect(answerOf(await lookup('What is our refund policy?', 'acme'))).toBe('Acme: 30 days.');
    expect(answerOf(await lookup('What is our refund policy?', 'globex'))).toBe('Globex: no refunds.');
    expect(answerOf(await lookup('what is the refund policy', 'globex', 0))).toBe('Globex: no refunds.');
  });

  it('does not collide long prompts that share a 512-token prefix', async () => {
    await startService();
    const words = 'the quarterly report lists revenue costs margins and regional figures for review'.split(
      ' ',
    );
    const prefix = Array.from({ length: 600 }, (_, i) => words[i % words.length]).join(' ');
    const first = `${prefix}. Summarise the section about Europe.`;
    const second = `${prefix}. Summarise the section about Asia.`;
    await store(first, 'Europe summary');
    const other = await lookup(second, 'tenant-a', 0);
    expect(other).toEqual({ status: 'miss', reason: 'query-too-long' });
    expect(answerOf(await lookup(first))).toBe('Europe summary');
  });

  it('expires entries after their TTL', async () => {
    await startService();
    await store('When does the store open?', '9am', 'tenant-a', 60);
    expect((await lookup('When does the store open?')).status).toBe('hit');
    clock += 61_000;
    expect(await lookup('When does the store open?')).toMatchObject({ status: 'miss' });
  });

  it('evicts the least recently used entry at maxEntries', async () => {
    await startService('  maxEntries: 3');
    await store('What is the boiling point of water?', '100 C');
    await store('Who wrote Hamlet?', 'Shakespeare');
    await store('What is the speed of light?', '299,792 km/s');
    await lookup('What is the boiling point of water?');
    await store('How tall is Mount Everest?', '8,849 m');
    expect(await lookup('Who wrote Hamlet?')).toMatchObject({ status: 'miss' });
    expect((await lookup('What is the boiling point of water?')).status).toBe('hit');
    expect(await call(client, cacheStats, {}, opts)).toMatchObject({ entries: 3, evictions: 1 });
  });

  it('keeps its entries across a restart', async () => {
    const persistPath = join(dir, 'cache.bin');
    const first = await startService(`  persistPath: ${persistPath}`);
    await store('How do I reset my password?', 'Forgot password link.');
    await store('What is the capital of Italy?', 'Rome.');
    await stop(first);
    expect(existsSync(persistPath)).toBe(true);
    const second = await startService(`  persistPath: ${persistPath}`);
    expect(second.service.openReport).toEqual({ status: 'loaded', entries: 2, expiredDropped: 0 });
    expect(answerOf(await lookup('What is the capital of Italy?'))).toBe('Rome.');
    expect(await lookup('how can i reset my password')).toMatchObject({ status: 'hit', kind: 'semantic' });
  });

  it('moves a corrupted snapshot aside and starts empty', async () => {
    const persistPath = join(dir, 'cache.bin');
    writeFileSync(persistPath, Buffer.from('SRCACHE\n this is not a snapshot, just damaged bytes......'));
    const { service } = await startService(`  persistPath: ${persistPath}`);
    expect(service.openReport).toMatchObject({ status: 'moved-aside', reason: 'checksum-mismatch' });
    expect(readdirSync(dir).some((f) => f.startsWith('cache.bin.corrupt-'))).toBe(true);
    expect(await lookup('anything at all')).toEqual({ status: 'miss', reason: 'empty' });
    expect(await store('anything at all', 'ok')).toMatchObject({ status: 'stored' });
  });
});

describe('cache service as its own process', () => {
  it('serves over NATS, then drains and writes its snapshot on SIGTERM', async () => {
    const main = join(__dirname, '../../services/cache-service/dist/main.js');
    if (!existsSync(main)) throw new Error(`${main} is missing: run \`npx tsc --build\` first`);
    const persistPath = join(dir, 'cache.bin');
    const configFile = join(dir, 'config.yaml');
    writeFileSync(configFile, configText(`  persistPath: ${persistPath}`));
    const child = await runChildService({
      script: main,
      args: ['--config', configFile],
      readyLine: /ready metrics=\d+/,
      timeoutMs: 30_000,
    });
    try {
      expect(await store('What is the capital of Spain?', 'Madrid.')).toMatchObject({ status: 'stored' });
      expect(answerOf(await lookup('What is the capital of Spain?'))).toBe('Madrid.');
    } finally {
      expect(await child.stop('SIGTERM')).toBe(0);
    }
    expect(existsSync(persistPath)).toBe(true);
  });
});
