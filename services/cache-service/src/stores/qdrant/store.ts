import { createHash } from 'node:crypto';
import type { QdrantClient } from '@qdrant/js-client-rest' with { 'resolution-mode': 'import' };
import { MicroBatcher, type CachedCompletion, type Logger } from '@sr/shared';
import type { CacheEntry, CacheStore, Candidate, NewEntry, OpenReport, PutResult } from '../../types';
import { clampSimilarity } from '../../vectors';

export interface QdrantStoreOptions {
  url: string;
  apiKey?: string | undefined;
  /** Collections are named `<prefix>_<dimension>`: one per embedding dimension. */
  collectionPrefix: string;
  dimension: number;
  /** Written into every point and matched by every query: vectors of another model never mix in. */
  embedderId: string;
  maxEntries: number;
  /** Per-request timeout; a slow Qdrant must not hold lookups (the gateway waits ~100 ms). */
  timeoutMs?: number;
  /** Upsert batching: concurrent stores go out as one request. */
  batch?: { maxPoints: number; maxWaitMs: number };
  logger?: Logger;
}

/** What a point carries besides its vector. Timestamps are epoch milliseconds. */
export interface QdrantPayload {
  scope: string;
  tenant: string;
  exactKey: string;
  embedder: string;
  model: string;
  category: string | null;
  query: string;
  /** The answer as JSON text (kept verbatim, not as nested payload fields). */
  response: string;
  createdAt: number;
  expiresAt: number;
  lastAccess: number;
}

type Condition = Record<string, unknown>;
type Filter = { must?: Condition[]; must_not?: Condition[] };
interface Point {
  id: string;
  vector: number[];
  payload: QdrantPayload & Record<string, unknown>;
}

const match = (key: string, value: string): Condition => ({ key, match: { value } });

/**
 * The Qdrant backend (`@qdrant/js-client-rest`): one collection per embedding dimension, scope,
 * tenant, embedder and expiry in each point's payload, and a filter on every read (scope +
 * embedder + not expired), so isolation never depends on the similarity. TTL is a timestamp:
 * reads filter expired points out and `sweepExpired` deletes them. Concurrent stores are batched
 * into one upsert. Point ids derive from embedder + exact key, so a repeat replaces in place.
 */
export class QdrantStore implements CacheStore {
  readonly backend = 'qdrant';
  readonly collection: string;
  private readonly clientReady: Promise<QdrantClient>;
  private readonly upserts: MicroBatcher<Point, true>;
  private ready: Promise<void> | undefined;
  private evicting: Promise<number> | undefined;
  /** Local estimate of the collection's size (see evictIfNeeded); unknown until first counted. */
  private estimate: { count: number; putsSinceSync: number } | undefined;

  constructor(private readonly options: QdrantStoreOptions) {
    this.collection = `${options.collectionPrefix}_${options.dimension}`;
    // The package's types are ESM-only; a dynamic import loads it from this CommonJS build.
    this.clientReady = import('@qdrant/js-client-rest').then(
      ({ QdrantClient }) =>
        new QdrantClient({
          url: options.url,
          apiKey: options.apiKey,
          timeout: options.timeoutMs ?? 1000,
          checkCompatibility: false,
        }),
    );
    const batch = options.batch ?? { maxPoints: 64, maxWaitMs: 2 };
    this.upserts = new MicroBatcher(
      async (points: Point[]) => {
        // The same question stored twice in one batch: one point per id, the latest wins.
        const unique = [...new Map(points.map((p) => [p.id, p])).values()];
        await (await this.clientReady).upsert(this.collection, { wait: true, points: unique });
        return points.map(() => true as const);
      },
      { maxBatch: batch.maxPoints, maxWaitMs: batch.maxWaitMs },
    );
  }

  async open(): Promise<OpenReport> {
    try {
      await this.ensureCollection();
      const entries = await this.count();
      this.estimate = { count: entries, putsSinceSync: 0 };
      return { status: 'loaded', entries, expiredDropped: 0 };
    } catch (err) {
      // Not fatal: lookups miss (store-unavailable) until Qdrant answers; setup is retried then.
      this.options.logger?.warn({ err, url: this.options.url }, 'qdrant unavailable at start');
      return { status: 'fresh' };
    }
  }

  async getExact(scope: string, exactKey: string, nowMs: number): Promise<CacheEntry | undefined> {
    await this.ensureCollection();
    const res = await (
      await this.c()
    ).scroll(this.collection, {
      filter: this.liveIn(scope, nowMs, [match('exactKey', exactKey)]),
      limit: 1,
      with_payload: true,
      with_vector: false,
    });
    const point = res.points[0];
    return point ? toEntry(String(point.id), point.payload as unknown as QdrantPayload) : undefined;
  }

  async search(scope: string, vector: Float32Array, k: number, nowMs: number): Promise<Candidate[]> {
    await this.ensureCollection();
    const res = await (
      await this.c()
    ).query(this.collection, {
      query: Array.from(vector),
      filter: this.liveIn(scope, nowMs),
      limit: k,
      with_payload: true,
      with_vector: false,
    });
    return res.points.map((p) => ({
      entry: toEntry(String(p.id), p.payload as unknown as QdrantPayload),
      // Cosine distance: Qdrant's score is the cosine similarity.
      similarity: clampSimilarity(p.score),
    }));
  }

  async hasScope(scope: string, nowMs: number): Promise<boolean> {
    await this.ensureCollection();
    const res = await (
      await this.c()
    ).scroll(this.collection, {
      filter: this.liveIn(scope, nowMs),
      limit: 1,
      with_payload: false,
      with_vector: false,
    });
    return res.points.length > 0;
  }

  async put(entry: NewEntry, vector: Float32Array): Promise<PutResult> {
    if (vector.length !== this.options.dimension) {
      throw new Error(`vector has ${vector.length} dimensions, the store expects ${this.options.dimension}`);
    }
    await this.ensureCollection();
    const id = pointId(this.options.embedderId, entry.exactKey);
    await this.upserts.submit({
      id,
      vector: Array.from(vector),
      payload: {
        scope: entry.scope,
        tenant: entry.tenant,
        exactKey: entry.exactKey,
        embedder: this.options.embedderId,
        model: entry.model,
        category: entry.category ?? null,
        query: entry.query,
        response: JSON.stringify(entry.response),
        createdAt: entry.createdAtMs,
        expiresAt: entry.expiresAtMs,
        lastAccess: entry.createdAtMs,
      },
    });
    return { entryId: id, evicted: await this.evictIfNeeded() };
  }

  async touch(entryId: string, nowMs: number): Promise<void> {
    // The cache does not wait for this on a hit; waiting here keeps LRU order exact for eviction.
    await (
      await this.c()
    ).setPayload(this.collection, { payload: { lastAccess: nowMs }, points: [entryId], wait: true });
  }

  async invalidate(filter: { tenant?: string | undefined; scope?: string | undefined }): Promise<number> {
    const must = [match('embedder', this.options.embedderId)];
    if (filter.tenant !== undefined) must.push(match('tenant', filter.tenant));
    if (filter.scope !== undefined) must.push(match('scope', filter.scope));
    return this.deleteWhere({ must });
  }

  async flush(): Promise<number> {
    return this.deleteWhere({ must: [match('embedder', this.options.embedderId)] });
  }

  async sweepExpired(nowMs: number): Promise<number> {
    return this.deleteWhere({
      must: [match('embedder', this.options.embedderId), { key: 'expiresAt', range: { lte: nowMs } }],
    });
  }

  /** Stored entries, expired ones not yet swept included (as the embedded store counts). */
  async count(): Promise<number> {
    await this.ensureCollection();
    const filter = { must: [match('embedder', this.options.embedderId)] };
    return (await (await this.c()).count(this.collection, { filter, exact: true })).count;
  }

  async close(): Promise<void> {
    // Pending upserts were awaited by their put(); nothing to persist locally.
  }

  private c(): Promise<QdrantClient> {
    return this.clientReady;
  }

  /** Scope + embedder + not expired: every read goes through this. */
  private liveIn(scope: string, nowMs: number, extra: Condition[] = []): Filter {
    return {
      must: [
        match('scope', scope),
        match('embedder', this.options.embedderId),
        { key: 'expiresAt', range: { gt: nowMs } },
        ...extra,
      ],
    };
  }

  private async deleteWhere(filter: Filter): Promise<number> {
    await this.ensureCollection();
    const { count } = await (await this.c()).count(this.collection, { filter, exact: true });
    if (count > 0) await (await this.c()).delete(this.collection, { wait: true, filter });
    if (this.estimate) this.estimate.count = Math.max(0, this.estimate.count - count);
    return count;
  }

  /**
   * Counting a big collection exactly on every store is costly, so a local estimate (puts since
   * the last exact count) decides when to count; it is resynced every 100 puts because other
   * replicas write to the same collection.
   */
  private evictIfNeeded(): Promise<number> {
    const e = this.estimate;
    if (e) {
      e.count++;
      e.putsSinceSync++;
      if (e.count <= this.options.maxEntries && e.putsSinceSync < 100) return Promise.resolve(0);
    }
    return this.evictPastLimit();
  }

  /** Deletes the least recently used points beyond maxEntries (one eviction at a time). */
  private evictPastLimit(): Promise<number> {
    this.evicting ??= (async () => {
      try {
        const total = await this.count();
        const excess = total - this.options.maxEntries;
        if (excess <= 0) {
          this.estimate = { count: total, putsSinceSync: 0 };
          return 0;
        }
        const oldest = await (
          await this.c()
        ).scroll(this.collection, {
          filter: { must: [match('embedder', this.options.embedderId)] },
          order_by: { key: 'lastAccess', direction: 'asc' },
          limit: excess,
          with_payload: false,
          with_vector: false,
        });
        const ids = oldest.points.map((p) => p.id);
        if (ids.length > 0) await (await this.c()).delete(this.collection, { wait: true, points: ids });
        this.estimate = { count: total - ids.length, putsSinceSync: 0 };
        return ids.length;
      } finally {
        this.evicting = undefined;
      }
    })();
    return this.evicting;
  }

  /** Creates the collection and payload indexes once; retried on the next call after a failure. */
  private ensureCollection(): Promise<void> {
    this.ready ??= (async () => {
      const { exists } = await (await this.c()).collectionExists(this.collection);
      if (!exists) {
        await (
          await this.c()
        ).createCollection(this.collection, {
          vectors: { size: this.options.dimension, distance: 'Cosine' },
        });
      }
      const indexes: Array<[string, 'keyword' | 'integer']> = [
        ['scope', 'keyword'],
        ['tenant', 'keyword'],
        ['exactKey', 'keyword'],
        ['embedder', 'keyword'],
        ['expiresAt', 'integer'],
        // order_by (LRU eviction) needs a range index on the field.
        ['lastAccess', 'integer'],
      ];
      for (const [field_name, field_schema] of indexes) {
        await (await this.c()).createPayloadIndex(this.collection, { field_name, field_schema, wait: true });
      }
    })().catch((err: unknown) => {
      this.ready = undefined;
      throw err;
    });
    return this.ready;
  }
}

/** A stable UUID for (embedder, exact key): storing the same question again overwrites in place. */
export function pointId(embedderId: string, exactKey: string): string {
  const h = createHash('sha256').update(`${embedderId}\u0000${exactKey}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

function toEntry(id: string, p: QdrantPayload): CacheEntry {
  return {
    id,
    scope: p.scope,
    exactKey: p.exactKey,
    tenant: p.tenant,
    model: p.model,
    category: p.category ?? undefined,
    query: p.query,
    response: JSON.parse(p.response) as CachedCompletion,
    createdAtMs: p.createdAt,
    expiresAtMs: p.expiresAt,
    lastAccessMs: p.lastAccess,
  };
}
