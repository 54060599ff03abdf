import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedStore } from '../src/stores/embedded/store';
import { describeStoreConformance, entry, hex, unit } from './conformance';

describeStoreConformance('embedded (flat scopes, HNSW past 256 entries)', {
  make: async ({ dimension, maxEntries }) => {
    const store = new EmbeddedStore({ dimension, embedderId: 'test', maxEntries });
    await store.open();
    return store;
  },
});

// The same suite with tiny flat tiers, so every scope with more than 2 entries is an HNSW graph.
describeStoreConformance('embedded (HNSW from 3 entries)', {
  make: async ({ dimension, maxEntries }) => {
    const store = new EmbeddedStore({
      dimension,
      embedderId: 'test',
      maxEntries,
      hnsw: { flatMaxEntries: 2 },
    });
    await store.open();
    return store;
  },
});

const DIM = 8;
const NOW = 1_700_000_000_000;

describe('EmbeddedStore persistence', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sr-cache-test-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const open = async (path: string, embedderId = 'test', flatMaxEntries = 4) => {
    const store = new EmbeddedStore({
      dimension: DIM,
      embedderId,
      maxEntries: 1000,
      persistPath: path,
      hnsw: { flatMaxEntries },
    });
    return { store, report: await store.open() };
  };

  async function fill(path: string): Promise<void> {
    const { store, report } = await open(path);
    expect(report).toEqual({ status: 'fresh' });
    // Scope "big" becomes an HNSW graph (more than 4 entries); "small" stays flat.
    for (let i = 0; i < 20; i++) {
      await store.put(
        entry('big', `q${i}`, { expiresAtMs: Date.now() + 60_000 }),
        unit(DIM, [i % DIM, 1], [(i + 1) % DIM, i / 20]),
      );
    }
    await store.put(entry('small', 'hello', { expiresAtMs: Date.now() + 60_000 }), unit(DIM, [2, 1]));
    await store.put(entry('small', 'gone', { expiresAtMs: Date.now() - 1 }), unit(DIM, [3, 1]));
    expect(store.describe()).toEqual({ scopes: 2, graphScopes: 1 });
    await store.close();
  }

  it('reloads entries and both index kinds, dropping expired ones', async () => {
    const path = join(dir, 'cache.bin');
    await fill(path);
    const { store, report } = await open(path);
    expect(report).toEqual({ status: 'loaded', entries: 21, expiredDropped: 1 });
    expect(store.describe()).toEqual({ scopes: 2, graphScopes: 1 });
    const now = Date.now();
    const small = await store.search(hex('small'), unit(DIM, [2, 1]), 3, now);
    expect(small.map((c) => c.entry.query)).toEqual(['hello']);
    const big = await store.search(hex('big'), unit(DIM, [5, 1], [6, 5 / 20]), 1, now);
    expect(big[0]!.entry.query).toBe('q5');
    expect(big[0]!.similarity).toBeCloseTo(1, 4);
    expect(await store.getExact(hex('big'), entry('big', 'q7').exactKey, now)).toBeDefined();
    // New labels do not collide with reloaded ones.
    await store.put(entry('big', 'new', { expiresAtMs: now + 60_000 }), unit(DIM, [7, 1]));
    expect(await store.count()).toBe(22);
    await store.close();
  });

  it.each([
    ['a flipped byte', (b: Buffer) => ((b[b.length >> 1]! ^= 0xff), b), 'checksum-mismatch'],
    ['a truncated file', (b: Buffer) => b.subarray(0, b.length - 100), 'checksum-mismatch'],
    ['another format', (b: Buffer) => (b.write('NOTCACHE', 0, 'latin1'), b), 'bad-magic'],
    ['an empty file', () => Buffer.alloc(0), 'truncated'],
  ])('moves aside %s and starts empty', async (_what, damage, reason) => {
    const path = join(dir, 'cache.bin');
    await fill(path);
    writeFileSync(path, damage(readFileSync(path)));
    const { store, report } = await open(path);
    expect(report.status).toBe('moved-aside');
    if (report.status !== 'moved-aside') return;
    expect(report.reason).toBe(reason);
    expect(report.movedTo).toMatch(/cache\.bin\.corrupt-\d{4}-/);
    expect(readdirSync(dir).filter((f) => f.startsWith('cache.bin.corrupt-'))).toHaveLength(1);
    expect(await store.count()).toBe(0);
    // And the next snapshot is a good one again.
    await store.put(entry('s', 'q', { expiresAtMs: Date.now() + 60_000 }), unit(DIM, [0, 1]));
    await store.close();
    expect((await open(path)).report).toMatchObject({ status: 'loaded', entries: 1 });
  });

  it('does not load vectors made by another embedder', async () => {
    const path = join(dir, 'cache.bin');
    await fill(path);
    const { report } = await open(path, 'another-model');
    expect(report).toMatchObject({ status: 'moved-aside', reason: 'embedder-changed' });
  });

  it('writes nothing when nothing changed and survives an empty store', async () => {
    const path = join(dir, 'cache.bin');
    const { store } = await open(path);
    await store.close();
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('EmbeddedStore index maintenance', () => {
  it('promotes a growing scope to HNSW and compacts it back when most entries are gone', async () => {
    const store = new EmbeddedStore({
      dimension: DIM,
      embedderId: 't',
      maxEntries: 10_000,
      hnsw: { flatMaxEntries: 16 },
    });
    await store.open();
    for (let i = 0; i < 200; i++) {
      await store.put(
        entry('s', `q${i}`, { expiresAtMs: i < 195 ? NOW + 10 : NOW + 60_000 }),
        unit(DIM, [i % DIM, 1], [(i * 3) % DIM, (i % 7) / 7]),
      );
    }
    expect(store.describe().graphScopes).toBe(1);
    expect(await store.sweepExpired(NOW + 10)).toBe(195);
    // Five live entries left of 200: rebuilt as a flat scope.
    expect(store.describe()).toEqual({ scopes: 1, graphScopes: 0 });
    const found = await store.search(
      hex('s'),
      unit(DIM, [199 % DIM, 1], [(199 * 3) % DIM, (199 % 7) / 7]),
      1,
      NOW + 20,
    );
    expect(found[0]!.entry.query).toBe('q199');
  });

  it('rejects a vector of the wrong dimension', async () => {
    const store = new EmbeddedStore({ dimension: DIM, embedderId: 't', maxEntries: 10 });
    await expect(store.put(entry('s', 'q'), new Float32Array(3))).rejects.toThrow(/3 dimensions.*expects 8/);
  });
});
