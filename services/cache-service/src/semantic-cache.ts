import type { CacheLookupReply, CacheLookupRequest, CacheStoreRequest, Logger } from '@sr/shared';
import type { CacheMetrics } from './metrics';
import type { CacheSettings } from './settings';
import type { CacheStore, Embedder, Verifier } from './types';
import { validateForStore } from './validate';

/** Word and punctuation tokens, counted up to `limit + 1` (enough to know a text is too long). */
export function countTokens(text: string, limit: number): number {
  let n = 0;
  for (const _ of text.matchAll(/[\p{L}\p{M}]+|\p{N}+|[^\s\p{L}\p{M}\p{N}]/gu)) if (++n > limit) break;
  return n;
}

export type StoreOutcome = { status: 'stored'; entryId: string } | { status: 'skipped'; reason: string };

export interface CacheCounters {
  hits: number;
  misses: number;
  stores: number;
  evictions: number;
}

export interface SemanticCacheOptions {
  settings: Readonly<CacheSettings>;
  /** The encoder's calibrated threshold: used when the config sets none. */
  calibratedThreshold?: number | undefined;
  store: CacheStore;
  embedder: Embedder;
  verifier: Verifier;
  metrics: CacheMetrics;
  logger: Logger;
  now?: () => number;
}

/**
 * Lookup and store logic, independent of the bus: exact match by key, then nearest neighbours
 * in the request's scope, the similarity threshold, and the verifier. Expected outcomes are data
 * (hit, miss with a reason); a broken store or embedder is a miss, never an error.
 */
export class SemanticCache {
  readonly counters: CacheCounters = { hits: 0, misses: 0, stores: 0, evictions: 0 };
  private readonly now: () => number;
  private settings: Readonly<CacheSettings>;
  private lastGaugeRefreshMs = -Infinity;

  constructor(private readonly o: SemanticCacheOptions) {
    this.now = o.now ?? Date.now;
    this.settings = o.settings;
  }

  /**
   * Applies reloaded settings. `enabled`, the default threshold and TTL take effect at once; the
   * backend, `maxEntries` and `persistPath` are fixed when the store is built (restart to change).
   */
  updateSettings(next: Readonly<CacheSettings>): void {
    this.settings = next;
  }

  get backend(): string {
    return this.o.store.backend;
  }

  async lookup(req: CacheLookupRequest): Promise<CacheLookupReply> {
    const started = process.hrtime.bigint();
    const reply = await this.lookupUnmeasured(req);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const kind = reply.status === 'hit' ? reply.kind : 'miss';
    this.o.metrics.lookupLatency.observe({ backend: this.backend, kind }, seconds);
    if (reply.status === 'hit') {
      this.counters.hits++;
      this.o.metrics.hits.inc({ backend: this.backend, kind: reply.kind });
    } else {
      this.counters.misses++;
      this.o.metrics.misses.inc({ backend: this.backend, reason: reply.reason });
    }
    return reply;
  }

  async store(req: CacheStoreRequest): Promise<StoreOutcome> {
    const outcome = await this.storeUncounted(req);
    if (outcome.status === 'stored') {
      this.counters.stores++;
      this.o.metrics.stores.inc({ backend: this.backend, outcome: 'stored', reason: '' });
    } else {
      this.o.metrics.stores.inc({ backend: this.backend, outcome: 'skipped', reason: outcome.reason });
    }
    return outcome;
  }

  async invalidate(filter: { tenant?: string | undefined; scope?: string | undefined }): Promise<number> {
    const removed = await this.admin(() => this.o.store.invalidate(filter));
    await this.refreshEntries();
    return removed;
  }

  async flush(): Promise<number> {
    const removed = await this.admin(() => this.o.store.flush());
    await this.refreshEntries();
    return removed;
  }

  async sweep(): Promise<number> {
    const removed = await this.o.store.sweepExpired(this.now());
    if (removed > 0) {
      this.counters.evictions += removed;
      this.o.metrics.evictions.inc({ backend: this.backend, cause: 'expired' }, removed);
    }
    await this.refreshEntries();
    return removed;
  }

  async entries(): Promise<number> {
    return this.admin(() => this.o.store.count());
  }

  /** Updates the entries gauge; a store that is down leaves the last value. */
  async refreshEntries(): Promise<void> {
    try {
      this.o.metrics.entries.set({ backend: this.backend }, await this.o.store.count());
    } catch {
      // Reported by the operation that failed; the gauge keeps its last value.
    }
  }

  private async lookupUnmeasured(req: CacheLookupRequest): Promise<CacheLookupReply> {
    if (!this.settings.enabled) return { status: 'miss', reason: 'disabled' };
    const { store, embedder, verifier } = this.o;
    const now = this.now();
    try {
      const exact = await store.getExact(req.scope, req.exactKey, now);
      if (exact && exact.scope === req.scope) {
        this.touch(exact.id, now);
        return { status: 'hit', kind: 'exact', similarity: 1, entryId: exact.id, response: exact.response };
      }
      // An empty scope needs no embedding: most first questions of a conversation end here.
      if (!(await store.hasScope(req.scope, now))) return { status: 'miss', reason: 'empty' };
    } catch (err) {
      return this.unavailable('lookup', err);
    }
    // Long texts are exact-only: two long prompts sharing most of their text would collide.
    if (this.tooLong(req.query)) return { status: 'miss', reason: 'query-too-long' };
    let vector: Float32Array;
    try {
      [vector] = (await embedder.embed([req.query])) as [Float32Array];
    } catch (err) {
      this.o.logger.warn({ err }, 'embedder failed during lookup');
      return { status: 'miss', reason: 'embedder-unavailable' };
    }
    let candidates;
    try {
      candidates = await store.search(req.scope, vector, this.settings.candidates, now);
    } catch (err) {
      return this.unavailable('lookup', err);
    }
    // Request (category) → config → the encoder's calibration; with none, nothing is close enough.
    const threshold =
      req.similarityThreshold ?? this.settings.similarityThreshold ?? this.o.calibratedThreshold ?? Infinity;
    const best = candidates[0]?.similarity;
    if (best === undefined) return { status: 'miss', reason: 'empty' };
    let rejection = 'below-threshold';
    for (const c of candidates) {
      if (c.similarity < threshold) break;
      // The store promises scope isolation; checking again costs nothing and guards every backend.
      if (c.entry.scope !== req.scope) {
        this.o.logger.error({ backend: this.backend }, 'store returned an entry from another scope; ignored');
        continue;
      }
      const verdict = this.tooLong(c.entry.query)
        ? ({ ok: false, reason: 'candidate-too-long' } as const)
        : verifier.verify(req.query, c.entry.query);
      if (verdict.ok) {
        this.touch(c.entry.id, now);
        return {
          status: 'hit',
          kind: 'semantic',
          similarity: c.similarity,
          entryId: c.entry.id,
          response: c.entry.response,
        };
      }
      if (rejection === 'below-threshold') rejection = `verification-failed:${verdict.reason}`;
    }
    return { status: 'miss', reason: rejection, bestSimilarity: best };
  }

  /** Records the use for LRU order without making the hit wait for it. */
  private touch(entryId: string, now: number): void {
    this.o.store
      .touch(entryId, now)
      .catch((err: unknown) => this.o.logger.debug({ err }, 'cache touch failed'));
  }

  private tooLong(text: string): boolean {
    return (
      this.o.embedder.truncates?.(text) === true ||
      countTokens(text, this.settings.semanticMaxTokens) > this.settings.semanticMaxTokens
    );
  }

  private async storeUncounted(req: CacheStoreRequest): Promise<StoreOutcome> {
    if (!this.settings.enabled) return { status: 'skipped', reason: 'disabled' };
    const invalid = validateForStore(req, this.settings.maxResponseBytes);
    if (invalid) return { status: 'skipped', reason: invalid };
    let vector: Float32Array;
    try {
      [vector] = (await this.o.embedder.embed([req.query])) as [Float32Array];
    } catch (err) {
      this.o.logger.warn({ err }, 'embedder failed during store');
      return { status: 'skipped', reason: 'embedder-unavailable' };
    }
    const now = this.now();
    const ttlSeconds = req.ttlSeconds ?? this.settings.ttlSeconds;
    try {
      const put = await this.o.store.put(
        {
          scope: req.scope,
          exactKey: req.exactKey,
          tenant: req.tenant,
          model: req.model,
          category: req.category,
          query: req.query,
          response: req.response,
          createdAtMs: now,
          expiresAtMs: now + ttlSeconds * 1000,
        },
        vector,
      );
      if (put.evicted > 0) {
        this.counters.evictions += put.evicted;
        this.o.metrics.evictions.inc({ backend: this.backend, cause: 'lru' }, put.evicted);
      }
      // The gauge costs a count request with Qdrant: refresh it at most once a second on stores.
      if (now - this.lastGaugeRefreshMs >= 1000) {
        this.lastGaugeRefreshMs = now;
        await this.refreshEntries();
      }
      return { status: 'stored', entryId: put.entryId };
    } catch (err) {
      this.unavailable('store', err);
      return { status: 'skipped', reason: 'store-unavailable' };
    }
  }

  private unavailable(operation: string, err: unknown): CacheLookupReply {
    this.o.metrics.storeUnavailable.inc({ backend: this.backend, operation });
    this.o.logger.warn({ err, backend: this.backend, operation }, 'cache store unavailable');
    return { status: 'miss', reason: 'store-unavailable' };
  }

  private async admin<T>(op: () => Promise<T>): Promise<T> {
    try {
      return await op();
    } catch (err) {
      this.o.metrics.storeUnavailable.inc({ backend: this.backend, operation: 'admin' });
      throw err;
    }
  }
}
