import type { CacheEntry, CacheStore, Candidate, NewEntry, OpenReport, PutResult } from '../../types';
import { normalised } from '../../vectors';
import {
  indexFromBytes,
  indexToBytes,
  moveAside,
  readSnapshot,
  writeSnapshot,
  type Snapshot,
} from './persistence';
import { DEFAULT_HNSW_PARAMS, ScopeIndex, type HnswParams } from './scope-index';

export interface EmbeddedStoreOptions {
  dimension: number;
  /** Written into the persistence file; a file from another embedder is not loaded. */
  embedderId: string;
  maxEntries: number;
  /** Snapshot file; omit to keep the cache in memory only. */
  persistPath?: string | undefined;
  hnsw?: Partial<HnswParams>;
}

type Entry = CacheEntry & { label: number };

/**
 * The default store: entries in memory (a Map kept in least-recently-used order), one vector
 * index per scope (see ScopeIndex), optional snapshot file reloaded at start.
 */
export class EmbeddedStore implements CacheStore {
  readonly backend = 'embedded';
  private readonly entries = new Map<number, Entry>();
  private readonly byExact = new Map<string, number>();
  private readonly scopes = new Map<string, ScopeIndex>();
  private readonly params: HnswParams;
  private nextLabel = 1;
  private dirty = false;
  private writing: Promise<void> | undefined;

  constructor(private readonly options: EmbeddedStoreOptions) {
    this.params = { ...DEFAULT_HNSW_PARAMS, ...options.hnsw };
  }

  async open(): Promise<OpenReport> {
    const path = this.options.persistPath;
    if (!path) return { status: 'fresh' };
    const expected = { embedderId: this.options.embedderId, dimension: this.options.dimension };
    let outcome: ReturnType<typeof readSnapshot>;
    try {
      outcome = readSnapshot(path, expected);
    } catch {
      outcome = { status: 'unusable', reason: 'unreadable' };
    }
    if (outcome.status === 'missing') return { status: 'fresh' };
    if (outcome.status === 'ok') {
      try {
        return this.restore(outcome.snapshot, Date.now());
      } catch {
        this.clear();
        outcome = { status: 'unusable', reason: 'index-unreadable' };
      }
    }
    // Reported by the caller (the service logs and counts it).
    const movedTo = moveAside(path, Date.now());
    return { status: 'moved-aside', reason: outcome.reason, movedTo };
  }

  async getExact(scope: string, exactKey: string, nowMs: number): Promise<CacheEntry | undefined> {
    const label = this.byExact.get(exactKey);
    const entry = label === undefined ? undefined : this.entries.get(label);
    if (!entry || entry.scope !== scope) return undefined;
    if (entry.expiresAtMs <= nowMs) {
      this.remove(entry, true);
      return undefined;
    }
    return entry;
  }

  async search(scope: string, vector: Float32Array, k: number, nowMs: number): Promise<Candidate[]> {
    const index = this.scopes.get(scope);
    if (!index) return [];
    // Ask for a few more than k: expired entries found on the way are dropped (and removed).
    const found = index.search(normalised(vector), k + 4);
    const out: Candidate[] = [];
    for (const n of found) {
      const entry = this.entries.get(n.label);
      if (!entry) continue;
      if (entry.expiresAtMs <= nowMs) {
        this.remove(entry, true);
        continue;
      }
      if (out.length < k) out.push({ entry, similarity: n.similarity });
    }
    return out;
  }

  async hasScope(scope: string): Promise<boolean> {
    return (this.scopes.get(scope)?.size ?? 0) > 0;
  }

  async put(entry: NewEntry, vector: Float32Array): Promise<PutResult> {
    if (vector.length !== this.options.dimension) {
      throw new Error(`vector has ${vector.length} dimensions, the store expects ${this.options.dimension}`);
    }
    const previous = this.byExact.get(entry.exactKey);
    if (previous !== undefined) this.remove(this.entries.get(previous)!, true);
    const label = this.nextLabel++;
    const stored: Entry = { ...entry, id: String(label), label, lastAccessMs: entry.createdAtMs };
    this.entries.set(label, stored);
    this.byExact.set(entry.exactKey, label);
    let index = this.scopes.get(entry.scope);
    if (!index) {
      index = new ScopeIndex(this.options.dimension, this.params);
      this.scopes.set(entry.scope, index);
    }
    index.add(label, normalised(vector));
    let evicted = 0;
    // The Map iterates in insertion order and touch() re-inserts, so the first key is the LRU entry.
    while (this.entries.size > this.options.maxEntries) {
      const lru = this.entries.values().next().value as Entry;
      this.remove(lru, true);
      evicted++;
    }
    this.dirty = true;
    return { entryId: stored.id, evicted };
  }

  async touch(entryId: string, nowMs: number): Promise<void> {
    const label = Number(entryId);
    const entry = this.entries.get(label);
    if (!entry) return;
    entry.lastAccessMs = nowMs;
    this.entries.delete(label);
    this.entries.set(label, entry);
    // LRU order alone does not warrant a snapshot; the next real change writes it.
  }

  async invalidate(filter: { tenant?: string | undefined; scope?: string | undefined }): Promise<number> {
    const victims = [...this.entries.values()].filter(
      (e) =>
        (filter.tenant === undefined || e.tenant === filter.tenant) &&
        (filter.scope === undefined || e.scope === filter.scope),
    );
    return this.removeMany(victims);
  }

  async flush(): Promise<number> {
    const removed = this.entries.size;
    this.clear();
    this.dirty = true;
    return removed;
  }

  async sweepExpired(nowMs: number): Promise<number> {
    return this.removeMany([...this.entries.values()].filter((e) => e.expiresAtMs <= nowMs));
  }

  async count(): Promise<number> {
    return this.entries.size;
  }

  /** Writes the snapshot when anything changed since the last one (one write at a time). */
  async checkpoint(): Promise<void> {
    const previous = this.writing;
    const next = (async () => {
      await previous?.catch(() => undefined);
      await this.writeIfDirty();
    })();
    this.writing = next;
    try {
      await next;
    } finally {
      if (this.writing === next) this.writing = undefined;
    }
  }

  private async writeIfDirty(): Promise<void> {
    const path = this.options.persistPath;
    if (!path || !this.dirty) return;
    this.dirty = false;
    try {
      // Captured in one synchronous pass, so entries and indexes agree; the file write is async.
      const entries = [...this.entries.values()].map((e) => ({ ...e }));
      const scopes = [...this.scopes].map(([scope, index]) => ({
        scope,
        index: index.snapshot(indexToBytes),
      }));
      await writeSnapshot(path, {
        embedderId: this.options.embedderId,
        dimension: this.options.dimension,
        savedAtMs: Date.now(),
        nextLabel: this.nextLabel,
        entries,
        scopes,
      });
    } catch (err) {
      this.dirty = true;
      throw err;
    }
  }

  async close(): Promise<void> {
    await this.checkpoint();
  }

  /** Index shapes, for tests and stats: scope count and how many are graphs. */
  describe(): { scopes: number; graphScopes: number } {
    let graphScopes = 0;
    for (const index of this.scopes.values()) if (index.kind === 'hnsw') graphScopes++;
    return { scopes: this.scopes.size, graphScopes };
  }

  private restore(snapshot: Snapshot, nowMs: number): OpenReport {
    const live = snapshot.entries.filter((e) => e.expiresAtMs > nowMs);
    const expiredDropped = snapshot.entries.length - live.length;
    // Entries are least recently used first; a smaller maxEntries than before keeps the newest.
    for (const e of live.slice(Math.max(0, live.length - this.options.maxEntries))) {
      this.entries.set(e.label, e);
      this.byExact.set(e.exactKey, e.label);
    }
    for (const { scope, index } of snapshot.scopes) {
      const restored = ScopeIndex.restore(this.options.dimension, this.params, index, indexFromBytes);
      // Expired (or over-limit) entries were not restored: drop their vectors too.
      restored.retainOnly((label) => this.entries.get(label)?.scope === scope);
      restored.compactIfNeeded();
      if (restored.size > 0) this.scopes.set(scope, restored);
    }
    // An entry without a vector could never be found semantically: drop it rather than keep a half entry.
    const indexed = new Set<number>();
    for (const index of this.scopes.values()) for (const label of index.labels()) indexed.add(label);
    for (const e of [...this.entries.values()]) if (!indexed.has(e.label)) this.remove(e, false);
    this.nextLabel = Math.max(snapshot.nextLabel, ...[...this.entries.keys()].map((l) => l + 1), 1);
    this.dirty = expiredDropped > 0;
    return { status: 'loaded', entries: this.entries.size, expiredDropped };
  }

  private removeMany(victims: Entry[]): number {
    const touched = new Set<string>();
    for (const v of victims) {
      this.remove(v, false);
      touched.add(v.scope);
    }
    for (const scope of touched) this.scopes.get(scope)?.compactIfNeeded();
    if (victims.length > 0) this.dirty = true;
    return victims.length;
  }

  private remove(entry: Entry, compact: boolean): void {
    this.entries.delete(entry.label);
    if (this.byExact.get(entry.exactKey) === entry.label) this.byExact.delete(entry.exactKey);
    const index = this.scopes.get(entry.scope);
    if (index) {
      index.remove(entry.label);
      if (index.size === 0) this.scopes.delete(entry.scope);
      else if (compact) index.compactIfNeeded();
    }
    this.dirty = true;
  }

  private clear(): void {
    this.entries.clear();
    this.byExact.clear();
    this.scopes.clear();
  }
}
