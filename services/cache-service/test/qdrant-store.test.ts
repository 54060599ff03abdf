import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createMetricsRegistry } from '@sr/shared';
import { createCacheMetrics } from '../src/metrics';
import { SemanticCache } from '../src/semantic-cache';
import { cacheSettings } from '../src/settings';
import { pointId, QdrantStore } from '../src/stores/qdrant/store';
import { HashingTestEmbedder, NumbersTestVerifier } from '../src/testing';
import { describeStoreConformance, entry, hex, unit } from './conformance';
import { FakeQdrant } from './fake-qdrant';
import { lookupReq, memoryLogger, testConfig } from './helpers';

const DIM = 8;
const NOW = 1_700_000_000_000;

describe('QdrantStore request shapes (against a fake Qdrant REST server)', () => {
  let fake: FakeQdrant;
  beforeEach(async () => {
    fake = new FakeQdrant();
    await fake.start();
  });
  afterEach(() => fake.stop());

  const store = (extra: Partial<ConstructorParameters<typeof QdrantStore>[0]> = {}) =>
    new QdrantStore({
      url: fake.url,
      collectionPrefix: 'sr_cache',
      dimension: DIM,
      embedderId: 'enc-v1',
      maxEntries: 1000,
      ...extra,
    });

  it('creates one collection per dimension (cosine) with payload indexes for every filtered field', async () => {
    const s = store();
    expect(await s.open()).toEqual({ status: 'loaded', entries: 0, expiredDropped: 0 });
    const create = fake.sent('PUT', '/collections/sr_cache_8');
    expect(create).toHaveLength(1);
    expect(create[0]!.body).toMatchObject({ vectors: { size: DIM, distance: 'Cosine' } });
    const indexes = fake.sent('PUT', '/collections/sr_cache_8/index').map((r) => r.body);
    expect(indexes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field_name: 'scope', field_schema: 'keyword' }),
        expect.objectContaining({ field_name: 'tenant', field_schema: 'keyword' }),
        expect.objectContaining({ field_name: 'exactKey', field_schema: 'keyword' }),
        expect.objectContaining({ field_name: 'embedder', field_schema: 'keyword' }),
        expect.objectContaining({ field_name: 'expiresAt', field_schema: 'integer' }),
        expect.objectContaining({ field_name: 'lastAccess', field_schema: 'integer' }),
      ]),
    );
  });

  it('filters every search on scope, embedder and expiry, and maps scores to similarities', async () => {
    const s = store();
    await s.open();
    const stored = entry('s1', 'question');
    fake.replies.set('POST points/query', () => ({
      points: [
        {
          id: pointId('enc-v1', stored.exactKey),
          version: 1,
          score: 0.97,
          payload: {
            ...stored,
            response: JSON.stringify(stored.response),
            embedder: 'enc-v1',
            category: null,
            createdAt: NOW,
            expiresAt: NOW + 60_000,
            lastAccess: NOW,
          },
        },
      ],
    }));
    const found = await s.search(hex('s1'), unit(DIM, [0, 1]), 4, NOW);
    expect(found).toHaveLength(1);
    expect(found[0]!.similarity).toBeCloseTo(0.97);
    expect(found[0]!.entry.response).toEqual(stored.response);
    const [q] = fake.sent('POST', 'points/query');
    expect(q!.body).toMatchObject({
      query: Array.from(unit(DIM, [0, 1])),
      limit: 4,
      with_payload: true,
      filter: {
        must: [
          { key: 'scope', match: { value: hex('s1') } },
          { key: 'embedder', match: { value: 'enc-v1' } },
          { key: 'expiresAt', range: { gt: NOW } },
        ],
      },
    });
  });

  it('looks exact keys up within the scope', async () => {
    const s = store();
    await s.open();
    await s.getExact(hex('s1'), hex('k'), NOW);
    const [scroll] = fake.sent('POST', 'points/scroll');
    expect((scroll!.body as { filter: { must: unknown[] } }).filter.must).toEqual(
      expect.arrayContaining([
        { key: 'scope', match: { value: hex('s1') } },
        { key: 'exactKey', match: { value: hex('k') } },
        { key: 'expiresAt', range: { gt: NOW } },
      ]),
    );
  });

  it('batches concurrent stores into upserts of at most maxPoints, with the full payload', async () => {
    const s = store({ batch: { maxPoints: 64, maxWaitMs: 5 } });
    await s.open();
    const puts = Array.from({ length: 100 }, (_, i) =>
      s.put(entry('s1', `q${i}`, { tenant: 'acme' }), unit(DIM, [i % DIM, 1])),
    );
    const results = await Promise.all(puts);
    const upserts = fake.sent('PUT', 'points');
    expect(upserts.map((u) => (u.body as { points: unknown[] }).points.length)).toEqual([64, 36]);
    expect(upserts.every((u) => u.query.get('wait') === 'true')).toBe(true);
    const first = (
      upserts[0]!.body as {
        points: Array<{ id: string; vector: number[]; payload: Record<string, unknown> }>;
      }
    ).points[0]!;
    expect(first.id).toBe(results[0]!.entryId);
    expect(first.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(first.vector).toHaveLength(DIM);
    expect(first.payload).toEqual({
      scope: hex('s1'),
      tenant: 'acme',
      exactKey: entry('s1', 'q0').exactKey,
      embedder: 'enc-v1',
      model: 'auto',
      category: null,
      query: 'q0',
      response: JSON.stringify(entry('s1', 'q0').response),
      createdAt: NOW,
      expiresAt: NOW + 60_000,
      lastAccess: NOW,
    });
  });

  it('sends one point per id when the same question is stored twice in a batch', async () => {
    const s = store({ batch: { maxPoints: 64, maxWaitMs: 5 } });
    await s.open();
    const e = entry('s1', 'same');
    const [a, b] = await Promise.all([s.put(e, unit(DIM, [0, 1])), s.put(e, unit(DIM, [1, 1]))]);
    expect(a.entryId).toBe(b.entryId);
    const [upsert] = fake.sent('PUT', 'points');
    const points = (upsert!.body as { points: Array<{ vector: number[] }> }).points;
    expect(points).toHaveLength(1);
    expect(points[0]!.vector).toEqual(Array.from(unit(DIM, [1, 1])));
  });

  it('evicts the least recently used points past maxEntries', async () => {
    const s = store({ maxEntries: 10 });
    fake.replies.set('POST points/count', () => ({ count: 12 }));
    await s.open();
    fake.replies.set('POST points/scroll', () => ({
      points: [{ id: 'a' }, { id: 'b' }],
      next_page_offset: null,
    }));
    const put = await s.put(entry('s1', 'q'), unit(DIM, [0, 1]));
    expect(put.evicted).toBe(2);
    const [scroll] = fake.sent('POST', 'points/scroll');
    expect(scroll!.body).toMatchObject({ order_by: { key: 'lastAccess', direction: 'asc' }, limit: 2 });
    const [del] = fake.sent('POST', 'points/delete');
    expect(del!.body).toEqual({ points: ['a', 'b'] });
  });

  it('counts exactly only when its estimate passes maxEntries (or every 100 stores)', async () => {
    const s = store({ maxEntries: 5 });
    await s.open(); // the fake counts 0
    const counts = () => fake.sent('POST', 'points/count').length;
    const before = counts();
    for (let i = 0; i < 5; i++) await s.put(entry('s1', `q${i}`), unit(DIM, [i % DIM, 1]));
    expect(counts()).toBe(before);
    fake.replies.set('POST points/count', () => ({ count: 6 }));
    fake.replies.set('POST points/scroll', () => ({ points: [{ id: 'old' }], next_page_offset: null }));
    expect((await s.put(entry('s1', 'q5'), unit(DIM, [5, 1]))).evicted).toBe(1);
    expect(counts()).toBe(before + 1);
  });

  it('invalidates by tenant with a payload filter', async () => {
    const s = store();
    await s.open();
    fake.replies.set('POST points/count', () => ({ count: 3 }));
    expect(await s.invalidate({ tenant: 'acme' })).toBe(3);
    const [del] = fake.sent('POST', 'points/delete');
    expect(del!.body).toEqual({
      filter: {
        must: [
          { key: 'embedder', match: { value: 'enc-v1' } },
          { key: 'tenant', match: { value: 'acme' } },
        ],
      },
    });
  });

  it('a hung or absent Qdrant makes lookups miss (store-unavailable) within the timeout', async () => {
    fake.hang = true;
    for (const url of [fake.url, 'http://127.0.0.1:9']) {
      const s = new QdrantStore({
        url,
        collectionPrefix: 'x',
        dimension: 64,
        embedderId: 'e',
        maxEntries: 10,
        timeoutMs: 200,
      });
      expect(await s.open()).toEqual({ status: 'fresh' });
      const { registry } = createMetricsRegistry('qdrant-test');
      const cache = new SemanticCache({
        settings: cacheSettings(testConfig('  backend: qdrant')),
        store: s,
        embedder: new HashingTestEmbedder(64),
        verifier: new NumbersTestVerifier(),
        metrics: createCacheMetrics(registry),
        logger: memoryLogger().logger,
      });
      const started = Date.now();
      expect(await cache.lookup(lookupReq({ query: 'anything' }))).toEqual({
        status: 'miss',
        reason: 'store-unavailable',
      });
      // Bounded by the client timeout, not by Qdrant (a generous bound: this is not a speed test).
      expect(Date.now() - started).toBeLessThan(5000);
      expect(await registry.metrics()).toMatch(
        /sr_cache_store_unavailable_total\{[^}]*operation="lookup"[^}]*\} 1/,
      );
    }
  });
});

/**
 * The conformance suite against a REAL Qdrant: QDRANT_URL, or a container when a container
 * runtime answers. Neither → the suite is reported as skipped with the reason.
 */
function realQdrant(): { url: string } | { container: true } | { skip: string } {
  if (process.env.QDRANT_URL) return { url: process.env.QDRANT_URL };
  const probe = spawnSync(
    process.execPath,
    [
      '-e',
      "require('testcontainers').getContainerRuntimeClient().then(() => process.exit(0), (e) => { console.error(String(e.message).split('\\n')[0]); process.exit(1); })",
    ],
    { encoding: 'utf8', timeout: 30_000 },
  );
  if (probe.status === 0) return { container: true };
  return { skip: `no QDRANT_URL and no container runtime (${probe.stderr.trim() || 'probe failed'})` };
}

const real = realQdrant();
if ('skip' in real) {
  console.warn(`[qdrant conformance] SKIPPED: ${real.skip}`);
  describe.skip(`CacheStore conformance: qdrant — SKIPPED: ${real.skip}`, () => {
    it('runs the conformance suite against a real Qdrant', () => undefined);
  });
} else {
  let url = 'url' in real ? real.url : '';
  let stopContainer: (() => Promise<unknown>) | undefined;
  const created: QdrantStore[] = [];
  beforeAll(async () => {
    if (url) return;
    const { GenericContainer, Wait } = await import('testcontainers');
    const container = await new GenericContainer('qdrant/qdrant')
      .withExposedPorts(6333)
      .withWaitStrategy(Wait.forHttp('/readyz', 6333))
      .start();
    url = `http://${container.getHost()}:${container.getMappedPort(6333)}`;
    stopContainer = () => container.stop();
  }, 180_000);
  describeStoreConformance(`qdrant (real, ${'url' in real ? 'QDRANT_URL' : 'testcontainers'})`, {
    make: async ({ dimension, maxEntries }) => {
      const s = new QdrantStore({
        url,
        collectionPrefix: `sr_conformance_${randomUUID().slice(0, 8)}`,
        dimension,
        embedderId: 'conformance',
        maxEntries,
        timeoutMs: 10_000,
      });
      created.push(s);
      await s.open();
      return s;
    },
    cleanup: async () => {
      const { QdrantClient } = await import('@qdrant/js-client-rest');
      const client = new QdrantClient({ url, checkCompatibility: false });
      for (const s of created) await client.deleteCollection(s.collection).catch(() => undefined);
      await stopContainer?.();
    },
  });
}
