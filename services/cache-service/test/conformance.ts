import { createHash } from 'node:crypto';
import type { CacheStore, NewEntry } from '../src/types';

/**
 * The conformance suite every store passes: scope isolation, exact keys, nearest-first search,
 * TTL, replacement, LRU eviction, invalidation. `make` builds a fresh, opened store.
 */
export interface ConformanceTarget {
  make(options: { dimension: number; maxEntries: number }): Promise<CacheStore>;
  /** Releases what `make` created (containers, collections, files). */
  cleanup?(): Promise<void>;
}

export const hex = (s: string): string => createHash('sha256').update(s).digest('hex');

const DIM = 8;
const NOW = 1_700_000_000_000;

export function unit(dimension: number, ...hot: Array<[number, number]>): Float32Array {
  const v = new Float32Array(dimension);
  for (const [i, x] of hot) v[i] = x;
  return v;
}

export function entry(scope: string, query: string, overrides: Partial<NewEntry> = {}): NewEntry {
  return {
    scope: hex(scope),
    exactKey: hex(`${scope}\u0000${query}`),
    tenant: overrides.tenant ?? 'tenant-a',
    model: 'auto',
    category: undefined,
    query,
    response: {
      object: 'chat.completion',
      choices: [{ index: 0, message: { role: 'assistant', content: `answer to ${query}` } }],
    },
    createdAtMs: NOW,
    expiresAtMs: NOW + 60_000,
    ...overrides,
  };
}

export function describeStoreConformance(name: string, target: ConformanceTarget): void {
  describe(`CacheStore conformance: ${name}`, () => {
    const stores: CacheStore[] = [];
    const make = async (maxEntries = 100) => {
      const store = await target.make({ dimension: DIM, maxEntries });
      stores.push(store);
      return store;
    };
    afterEach(async () => {
      for (const s of stores.splice(0)) await s.close();
    });
    afterAll(async () => {
      await target.cleanup?.();
    });

    it('starts empty', async () => {
      const store = await make();
      expect(await store.count()).toBe(0);
      expect(await store.hasScope(hex('s1'), NOW)).toBe(false);
      expect(await store.getExact(hex('s1'), hex('k'), NOW)).toBeUndefined();
      expect(await store.search(hex('s1'), unit(DIM, [0, 1]), 3, NOW)).toEqual([]);
    });

    it('finds an entry by exact key only within its scope', async () => {
      const store = await make();
      const e = entry('s1', 'what is the capital of france');
      const { entryId } = await store.put(e, unit(DIM, [0, 1]));
      const found = await store.getExact(e.scope, e.exactKey, NOW);
      expect(found?.id).toBe(entryId);
      expect(found?.response).toEqual(e.response);
      expect(found?.query).toBe(e.query);
      expect(await store.getExact(hex('s2'), e.exactKey, NOW)).toBeUndefined();
      expect(await store.hasScope(e.scope, NOW)).toBe(true);
      expect(await store.hasScope(hex('s2'), NOW)).toBe(false);
    });

    it('searches nearest first with cosine similarity in [0, 1]', async () => {
      const store = await make();
      await store.put(entry('s1', 'x'), unit(DIM, [0, 1]));
      await store.put(entry('s1', 'y'), unit(DIM, [0, 1], [1, 1]));
      await store.put(entry('s1', 'z'), unit(DIM, [2, 1]));
      await store.put(entry('s1', 'w'), unit(DIM, [0, -1]));
      const found = await store.search(hex('s1'), unit(DIM, [0, 2]), 4, NOW);
      expect(found.map((c) => c.entry.query).slice(0, 2)).toEqual(['x', 'y']);
      expect(found[0]!.similarity).toBeCloseTo(1, 4);
      expect(found[1]!.similarity).toBeCloseTo(Math.SQRT1_2, 3);
      for (const c of found) {
        expect(c.similarity).toBeGreaterThanOrEqual(0);
        expect(c.similarity).toBeLessThanOrEqual(1);
      }
      const opposite = found.find((c) => c.entry.query === 'w');
      if (opposite) expect(opposite.similarity).toBe(0);
    });

    it('never returns an entry of another scope, even an identical vector', async () => {
      const store = await make();
      const v = unit(DIM, [3, 1]);
      await store.put(entry('tenant-a-scope', 'how do i reset my password', { tenant: 'a' }), v);
      await store.put(entry('tenant-b-scope', 'how do i reset my password', { tenant: 'b' }), v);
      const a = await store.search(hex('tenant-a-scope'), v, 10, NOW);
      expect(a).toHaveLength(1);
      expect(a[0]!.entry.tenant).toBe('a');
      expect(await store.search(hex('tenant-c-scope'), v, 10, NOW)).toEqual([]);
    });

    it('a busy scope does not starve a small one', async () => {
      const store = await make(2000);
      // 600 entries in a busy scope, all closer to the query than the small scope's only entry.
      for (let i = 0; i < 600; i++) {
        await store.put(entry('busy', `q${i}`), unit(DIM, [0, 1], [1, 0.001 * (i + 1)]));
      }
      await store.put(entry('small', 'only'), unit(DIM, [0, 1], [4, 1]));
      const found = await store.search(hex('small'), unit(DIM, [0, 1]), 1, NOW);
      expect(found.map((c) => c.entry.query)).toEqual(['only']);
    });

    it('hides expired entries and sweeps them', async () => {
      const store = await make();
      const e = entry('s1', 'short-lived', { expiresAtMs: NOW + 1000 });
      await store.put(e, unit(DIM, [0, 1]));
      await store.put(entry('s1', 'long-lived'), unit(DIM, [1, 1]));
      expect(await store.getExact(e.scope, e.exactKey, NOW + 999)).toBeDefined();
      expect(await store.getExact(e.scope, e.exactKey, NOW + 1000)).toBeUndefined();
      const later = await store.search(e.scope, unit(DIM, [0, 1]), 5, NOW + 1000);
      expect(later.map((c) => c.entry.query)).toEqual(['long-lived']);
      await store.sweepExpired(NOW + 1000);
      expect(await store.count()).toBe(1);
    });

    it('replaces an entry with the same exact key', async () => {
      const store = await make();
      await store.put(entry('s1', 'q'), unit(DIM, [0, 1]));
      const second = entry('s1', 'q');
      second.response = {
        object: 'chat.completion',
        choices: [{ index: 0, message: { role: 'assistant', content: 'newer' } }],
      };
      const { entryId } = await store.put(second, unit(DIM, [0, 1]));
      expect(await store.count()).toBe(1);
      const found = await store.getExact(second.scope, second.exactKey, NOW);
      expect(found?.id).toBe(entryId);
      expect(found?.response.choices[0]!.message).toMatchObject({ content: 'newer' });
      expect(await store.search(second.scope, unit(DIM, [0, 1]), 5, NOW)).toHaveLength(1);
    });

    it('evicts the least recently used entry past maxEntries', async () => {
      const store = await make(3);
      const ids: string[] = [];
      for (const [i, q] of ['one', 'two', 'three'].entries()) {
        const e = entry('s1', q, { createdAtMs: NOW + i });
        ids.push((await store.put(e, unit(DIM, [i, 1]))).entryId);
      }
      await store.touch(ids[0]!, NOW + 10);
      const put = await store.put(entry('s1', 'four', { createdAtMs: NOW + 20 }), unit(DIM, [3, 1]));
      expect(put.evicted).toBe(1);
      expect(await store.count()).toBe(3);
      expect(await store.getExact(hex('s1'), entry('s1', 'two').exactKey, NOW + 30)).toBeUndefined();
      expect(await store.getExact(hex('s1'), entry('s1', 'one').exactKey, NOW + 30)).toBeDefined();
      const left = await store.search(hex('s1'), unit(DIM, [1, 1]), 5, NOW + 30);
      expect(left.map((c) => c.entry.query).sort()).toEqual(['four', 'one', 'three']);
    });

    it('invalidates by tenant and by scope, and flushes', async () => {
      const store = await make();
      await store.put(entry('s1', 'a1', { tenant: 'a' }), unit(DIM, [0, 1]));
      await store.put(entry('s2', 'a2', { tenant: 'a' }), unit(DIM, [0, 1]));
      await store.put(entry('s3', 'b1', { tenant: 'b' }), unit(DIM, [0, 1]));
      await store.put(entry('s3', 'b2', { tenant: 'b' }), unit(DIM, [1, 1]));
      expect(await store.invalidate({ tenant: 'a' })).toBe(2);
      expect(await store.hasScope(hex('s1'), NOW)).toBe(false);
      expect(await store.invalidate({ scope: hex('s3'), tenant: 'a' })).toBe(0);
      expect(await store.invalidate({ scope: hex('s3') })).toBe(2);
      await store.put(entry('s4', 'c', { tenant: 'c' }), unit(DIM, [0, 1]));
      expect(await store.flush()).toBe(1);
      expect(await store.count()).toBe(0);
    });
  });
}
