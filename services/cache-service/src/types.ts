import type { CachedCompletion } from '@sr/shared';

/** Turns texts into vectors. The real one is the sentence encoder from `@sr/ml`. */
export interface Embedder {
  /** Identifies the model (name + checksum): persisted entries from another model are unusable. */
  readonly id: string;
  readonly dimension: number;
  embed(texts: readonly string[]): Promise<Float32Array[]>;
  /**
   * True when the encoder sees only a prefix of `text` (it truncates at its input limit). Two
   * long texts sharing that prefix would get the same vector; the service never serves a
   * semantic hit on such a text (exact hits still work). Omit for encoders that read it all.
   */
  truncates?(text: string): boolean;
}

/** Outcome of the verification step run on every semantic candidate above the threshold. */
export type Verdict = { ok: true } | { ok: false; reason: string };

/** Rejects pairs that are close in embedding space but not the same question. */
export interface Verifier {
  verify(query: string, candidate: string): Verdict;
}

/** What the service keeps per answer. `id` is assigned by the store. */
export interface CacheEntry {
  id: string;
  scope: string;
  exactKey: string;
  tenant: string;
  model: string;
  category: string | undefined;
  /** The compared text (last user turn); needed by the verifier. Never logged. */
  query: string;
  response: CachedCompletion;
  createdAtMs: number;
  expiresAtMs: number;
  lastAccessMs: number;
}

export type NewEntry = Omit<CacheEntry, 'id' | 'lastAccessMs'>;

export interface Candidate {
  entry: CacheEntry;
  /** Cosine similarity in [0, 1] (negative cosines clamp to 0). */
  similarity: number;
}

export interface PutResult {
  entryId: string;
  /** Entries removed to stay within `maxEntries` (LRU). */
  evicted: number;
}

/**
 * One interface for every backend; `test/conformance.ts` runs the same suite against each.
 * Every read is restricted to one scope and ignores expired entries. Methods throw (any error)
 * when the backend is unreachable; the service turns that into a `store-unavailable` miss.
 */
export interface CacheStore {
  readonly backend: 'embedded' | 'qdrant';
  /** Loads persisted state / creates collections. */
  open(): Promise<OpenReport>;
  getExact(scope: string, exactKey: string, nowMs: number): Promise<CacheEntry | undefined>;
  /** Up to `k` nearest live entries of `scope`, most similar first. */
  search(scope: string, vector: Float32Array, k: number, nowMs: number): Promise<Candidate[]>;
  /** Number of live entries in `scope` (lets lookups skip embedding an empty scope). */
  hasScope(scope: string, nowMs: number): Promise<boolean>;
  /** Inserts (replacing an entry with the same exactKey), evicting LRU entries past maxEntries. */
  put(entry: NewEntry, vector: Float32Array): Promise<PutResult>;
  /** Marks an entry as used now (LRU order). */
  touch(entryId: string, nowMs: number): Promise<void>;
  invalidate(filter: { tenant?: string | undefined; scope?: string | undefined }): Promise<number>;
  flush(): Promise<number>;
  /** Removes expired entries; returns how many. */
  sweepExpired(nowMs: number): Promise<number>;
  /** Stored entries, including expired ones not swept yet. */
  count(): Promise<number>;
  /** Writes pending state to disk (embedded store with a persist path); called periodically. */
  checkpoint?(): Promise<void>;
  /** Persists (embedded) and releases resources. */
  close(): Promise<void>;
}

/** What `open()` found: a fresh start, a reload, or a persistence file moved aside. */
export type OpenReport =
  | { status: 'fresh' }
  | { status: 'loaded'; entries: number; expiredDropped: number }
  | { status: 'moved-aside'; reason: string; movedTo: string };
