import {
  cacheFlush,
  cacheInvalidate,
  cacheLookup,
  cacheStats,
  cacheStore,
  call,
  createMetricsRegistry,
  InProcessBus,
} from '@sr/shared';
import { createCacheService, type CacheService } from '../src';
import { EmbeddedStore } from '../src/stores/embedded/store';
import { HashingTestEmbedder, NumbersTestVerifier } from '../src/testing';
import type { CacheStore } from '../src/types';
import { lookupReq, memoryLogger, storeReq, testConfig } from './helpers';

const opts = { timeoutMs: 2000 };

describe('cache service over the in-process bus', () => {
  let bus: InProcessBus;
  let service: CacheService;
  let clock: number;
  let lines: string[];
  let registry: ReturnType<typeof createMetricsRegistry>['registry'];

  let embedderWindow = 40;
  async function start(cacheYaml = '', store?: CacheStore) {
    bus = new InProcessBus();
    clock = 1_700_000_000_000;
    const log = memoryLogger();
    lines = log.lines;
    registry = createMetricsRegistry('cache-test').registry;
    service = createCacheService({
      // The test embedder has no calibrated threshold: 0.8 suits its hashing scale.
      config: testConfig(`${cacheYaml || '  enabled: true'}\n  similarityThreshold: 0.8`),
      bus,
      logger: log.logger,
      registry,
      embedder: new HashingTestEmbedder(64, embedderWindow),
      verifier: new NumbersTestVerifier(),
      store,
      now: () => clock,
    });
    await service.start();
  }

  afterEach(async () => {
    await service.shutdown();
    await bus.close();
  });

  it('answers an exact repeat, then a paraphrase, and says why it missed otherwise', async () => {
    await start();
    const ask = { query: 'How do I reset my password?' };
    expect(await call(bus, cacheLookup, lookupReq(ask), opts)).toEqual({ status: 'miss', reason: 'empty' });
    expect(await call(bus, cacheStore, storeReq(ask, 'Click "forgot password".'), opts)).toMatchObject({
      status: 'stored',
    });

    // The exact key is over the normalised text (case, spaces), so this is an exact hit.
    const exact = await call(bus, cacheLookup, lookupReq({ query: '  how do I reset my PASSWORD? ' }), opts);
    expect(exact).toMatchObject({ status: 'hit', kind: 'exact' });
    const same = await call(bus, cacheLookup, lookupReq(ask), opts);
    expect(same).toMatchObject({ status: 'hit', kind: 'exact', similarity: 1 });

    const paraphrase = await call(
      bus,
      cacheLookup,
      lookupReq({ query: 'how can I reset the password' }),
      opts,
    );
    expect(paraphrase).toMatchObject({ status: 'hit', kind: 'semantic' });
    if (paraphrase.status === 'hit') {
      expect(paraphrase.response.choices[0]!.message).toMatchObject({ content: 'Click "forgot password".' });
    }

    const unrelated = await call(bus, cacheLookup, lookupReq({ query: 'what is the weather in Oslo' }), opts);
    expect(unrelated).toMatchObject({ status: 'miss', reason: 'below-threshold' });
    if (unrelated.status === 'miss') expect(unrelated.bestSimilarity).toBeLessThan(0.92);
  });

  it('rejects near-misses through the verifier and honours the per-request threshold', async () => {
    await start();
    await call(bus, cacheStore, storeReq({ query: 'convert 5 miles to km' }, '8.05 km'), opts);
    const numbers = await call(bus, cacheLookup, lookupReq({ query: 'convert 7 miles to km' }), opts);
    expect(numbers).toMatchObject({ status: 'miss', reason: 'verification-failed:numbers' });
    if (numbers.status === 'miss') expect(numbers.bestSimilarity).toBeGreaterThan(0.92);

    await call(bus, cacheStore, storeReq({ query: 'is the museum open on sunday' }, 'yes'), opts);
    const loose = lookupReq({ query: 'is the city museum open sunday' }, { similarityThreshold: 0.5 });
    expect(await call(bus, cacheLookup, loose, opts)).toMatchObject({ status: 'hit', kind: 'semantic' });
    const strict = lookupReq({ query: 'is the city museum open sunday' }, { similarityThreshold: 0.99 });
    expect(await call(bus, cacheLookup, strict, opts)).toMatchObject({
      status: 'miss',
      reason: 'below-threshold',
    });
  });

  it('never serves one tenant another tenant’s answer, even for the identical question', async () => {
    await start();
    await call(
      bus,
      cacheStore,
      storeReq({ tenant: 'acme', query: 'what is our refund policy' }, 'acme: 30 days'),
      opts,
    );
    const other = await call(
      bus,
      cacheLookup,
      lookupReq({ tenant: 'globex', query: 'what is our refund policy' }),
      opts,
    );
    expect(other).toEqual({ status: 'miss', reason: 'empty' });
    // Nor a different system prompt or conversation within one tenant.
    const sys = await call(
      bus,
      cacheLookup,
      lookupReq({ tenant: 'acme', system: 'answer in French', query: 'what is our refund policy' }),
      opts,
    );
    expect(sys.status).toBe('miss');
  });

  it('does not compare texts longer than the encoder window semantically', async () => {
    await start();
    // The test embedder reads 40 tokens: these share the first 40 and differ after.
    const prefix = Array.from({ length: 45 }, (_, i) => `word${i}`).join(' ');
    await call(bus, cacheStore, storeReq({ query: `${prefix} then answer about cats` }, 'cats'), opts);
    const other = await call(
      bus,
      cacheLookup,
      lookupReq({ query: `${prefix} then answer about dogs` }),
      opts,
    );
    expect(other).toEqual({ status: 'miss', reason: 'query-too-long' });
    // The same long text still hits exactly.
    const same = await call(bus, cacheLookup, lookupReq({ query: `${prefix} then answer about cats` }), opts);
    expect(same).toMatchObject({ status: 'hit', kind: 'exact' });
  });

  it('keeps long queries exact-only even with an encoder that reads the whole text', async () => {
    embedderWindow = 100_000; // reads everything: only the token rule can catch these
    await start();
    embedderWindow = 40;
    const long = (tail: string) => `${'lorem ipsum dolor sit amet '.repeat(110)} ${tail}`;
    await call(bus, cacheStore, storeReq({ query: long('about Europe') }, 'eu'), opts);
    const other = await call(
      bus,
      cacheLookup,
      lookupReq({ query: long('about Asia') }, { similarityThreshold: 0 }),
      opts,
    );
    expect(other).toEqual({ status: 'miss', reason: 'query-too-long' });
    // A short query never matches a long entry either, whatever the threshold.
    await call(bus, cacheStore, storeReq({ query: 'lorem ipsum' }, 'short'), opts);
    const short = await call(
      bus,
      cacheLookup,
      lookupReq({ query: 'lorem ipsum dolor' }, { similarityThreshold: 0 }),
      opts,
    );
    expect(short).toMatchObject({ status: 'hit', entryId: expect.any(String) });
    if (short.status === 'hit')
      expect(short.response.choices[0]!.message).toMatchObject({ content: 'short' });
  });

  it('expires entries after their TTL', async () => {
    await start('  ttlSeconds: 60');
    await call(bus, cacheStore, storeReq({ query: 'q one' }, 'a1'), opts);
    await call(bus, cacheStore, storeReq({ query: 'q two' }, 'a2', { ttlSeconds: 600 }), opts);
    clock += 61_000;
    expect(await call(bus, cacheLookup, lookupReq({ query: 'q one' }), opts)).toMatchObject({
      status: 'miss',
    });
    expect(await call(bus, cacheLookup, lookupReq({ query: 'q two' }), opts)).toMatchObject({
      status: 'hit',
    });
    await service.cache.sweep();
    expect(await call(bus, cacheStats, {}, opts)).toMatchObject({ entries: 1 });
  });

  it('evicts the least recently used entry at maxEntries', async () => {
    await start('  maxEntries: 2');
    await call(bus, cacheStore, storeReq({ query: 'first question' }, '1'), opts);
    clock++;
    await call(bus, cacheStore, storeReq({ query: 'second question' }, '2'), opts);
    clock++;
    await call(bus, cacheLookup, lookupReq({ query: 'first question' }), opts);
    await call(bus, cacheStore, storeReq({ query: 'third question' }, '3'), opts);
    expect(await call(bus, cacheLookup, lookupReq({ query: 'second question' }), opts)).toMatchObject({
      status: 'miss',
    });
    expect(await call(bus, cacheLookup, lookupReq({ query: 'first question' }), opts)).toMatchObject({
      status: 'hit',
    });
    expect(await call(bus, cacheStats, {}, opts)).toEqual({
      backend: 'embedded',
      entries: 2,
      hits: 1 + 1,
      misses: 1,
      stores: 3,
      evictions: 1,
    });
  });

  it.each([
    ['empty-query', storeReq({ query: '   ' }, 'x')],
    [
      'truncated-answer',
      storeReq({ query: 'q' }, 'x', {
        response: {
          object: 'chat.completion',
          choices: [{ index: 0, message: { role: 'assistant', content: 'cut' }, finish_reason: 'length' }],
        },
      }),
    ],
    ['empty-answer', storeReq({ query: 'q' }, '')],
    ['too-large', storeReq({ query: 'q' }, 'x'.repeat(1_000_001))],
  ])('skips a store request that fails validation: %s', async (reason, req) => {
    await start();
    expect(await call(bus, cacheStore, req, opts)).toEqual({ status: 'skipped', reason });
  });

  it('misses and skips when disabled', async () => {
    await start('  enabled: false');
    expect(await call(bus, cacheStore, storeReq({ query: 'q' }, 'a'), opts)).toEqual({
      status: 'skipped',
      reason: 'disabled',
    });
    expect(await call(bus, cacheLookup, lookupReq({ query: 'q' }), opts)).toEqual({
      status: 'miss',
      reason: 'disabled',
    });
  });

  it('turns a store that is down into counted misses, never errors', async () => {
    const down = new EmbeddedStore({ dimension: 64, embedderId: 'x', maxEntries: 10 });
    const failing = new Proxy(down, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver) as unknown;
        if (['getExact', 'search', 'hasScope', 'put', 'count', 'invalidate'].includes(String(prop))) {
          return () => Promise.reject(new Error('ECONNREFUSED 127.0.0.1:6333'));
        }
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    await start('', failing);
    expect(await call(bus, cacheLookup, lookupReq({ query: 'q' }), opts)).toEqual({
      status: 'miss',
      reason: 'store-unavailable',
    });
    expect(await call(bus, cacheStore, storeReq({ query: 'q' }, 'a'), opts)).toEqual({
      status: 'skipped',
      reason: 'store-unavailable',
    });
    await expect(call(bus, cacheInvalidate, { tenant: 't' }, opts)).rejects.toMatchObject({
      code: 'HANDLER_FAILED',
    });
    const text = await registry.metrics();
    expect(text).toMatch(
      /sr_cache_store_unavailable_total\{backend="embedded",operation="lookup",service="cache-test"\} 1/,
    );
    expect(text).toMatch(
      /sr_cache_misses_total\{backend="embedded",reason="store-unavailable",service="cache-test"\} 1/,
    );
  });

  it('invalidates by tenant, flushes, rejects an empty invalidate, and keeps prompts out of logs and metrics', async () => {
    await start();
    await call(bus, cacheStore, storeReq({ tenant: 't1', query: 'secret question alpha' }, 'x'), opts);
    await call(bus, cacheStore, storeReq({ tenant: 't2', query: 'secret question beta' }, 'y'), opts);
    expect(await call(bus, cacheInvalidate, { tenant: 't1' }, opts)).toEqual({ removed: 1 });
    await expect(call(bus, cacheInvalidate, {}, opts)).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect(await call(bus, cacheFlush, {}, opts)).toEqual({ removed: 1 });
    await call(bus, cacheLookup, lookupReq({ query: 'secret question gamma' }), opts);
    const text = await registry.metrics();
    for (const name of [
      'sr_cache_hits_total',
      'sr_cache_misses_total',
      'sr_cache_stores_total',
      'sr_cache_entries',
      'sr_cache_lookup_duration_seconds_bucket',
    ]) {
      expect(text).toContain(name);
    }
    expect(text).not.toContain('secret');
    expect(lines.join('')).not.toContain('secret');
  });

  it('answers a malformed request with a contract error', async () => {
    await start();
    await expect(
      bus
        .request('sr.v1.cache.lookup', new TextEncoder().encode('{"scope":"nope"}'), opts)
        .then((m) => m.headers['sr-error-code']),
    ).resolves.toBe('CONTRACT_VIOLATION');
  });
});

describe('cache threshold defaults', () => {
  it('refuses to start without a threshold when the encoder has no calibration, saying what to set', async () => {
    const bus = new InProcessBus();
    const service = createCacheService({
      config: testConfig('  enabled: true'),
      bus,
      logger: memoryLogger().logger,
      registry: createMetricsRegistry('cache-test').registry,
      embedder: new HashingTestEmbedder(64, 40),
      verifier: new NumbersTestVerifier(),
    });
    await expect(service.start()).rejects.toThrow(
      /cache\.similarityThreshold is not set.*set cache\.similarityThreshold/,
    );
    await bus.close();
  });
});
