import { HierarchicalNSW } from 'hnswlib-node';
import { clampSimilarity } from '../../vectors';

export interface HnswParams {
  /** Scopes up to this many entries are searched exactly (brute force); larger ones get an HNSW graph. */
  flatMaxEntries: number;
  m: number;
  efConstruction: number;
  efSearch: number;
}

export const DEFAULT_HNSW_PARAMS: HnswParams = {
  flatMaxEntries: 256,
  m: 16,
  efConstruction: 100,
  efSearch: 64,
};

export interface Neighbour {
  label: number;
  similarity: number;
}

/** A scope's vectors as persisted: flat vectors, or an hnswlib index file's bytes. */
export type ScopeSnapshot =
  | { kind: 'flat'; labels: number[]; vectors: Float32Array }
  | { kind: 'hnsw'; labels: number[]; capacity: number; index: Buffer };

/**
 * The vectors of ONE scope. Each scope has its own index, so a query can only ever reach its
 * own scope's entries, and a busy scope never crowds another's results out of the ANN beam (the
 * failure mode of one shared graph with a filter). Small scopes (most: one conversation, one
 * tenant) are searched exactly over a flat array; past `flatMaxEntries` the scope is promoted
 * to an HNSW graph, and demoted again when compaction finds it small.
 */
export class ScopeIndex {
  private flat: FlatVectors | undefined;
  private graph: GraphVectors | undefined;

  constructor(
    private readonly dimension: number,
    private readonly params: HnswParams,
  ) {
    this.flat = new FlatVectors(dimension);
  }

  get size(): number {
    return this.flat ? this.flat.size : this.graph!.size;
  }

  get kind(): 'flat' | 'hnsw' {
    return this.flat ? 'flat' : 'hnsw';
  }

  /** Adds a unit vector under `label`. */
  add(label: number, vector: Float32Array): void {
    if (this.flat && this.flat.size >= this.params.flatMaxEntries) this.promote();
    if (this.flat) this.flat.add(label, vector);
    else this.graph!.add(label, vector);
  }

  remove(label: number): void {
    if (this.flat) this.flat.remove(label);
    else this.graph!.remove(label);
  }

  search(vector: Float32Array, k: number): Neighbour[] {
    if (this.size === 0 || k <= 0) return [];
    return this.flat ? this.flat.search(vector, k) : this.graph!.search(vector, k, this.params.efSearch);
  }

  /**
   * Rebuilds the graph when most of its slots are deleted entries (memory and search quality),
   * demoting it to a flat array when it has become small. Returns true when it rebuilt.
   */
  compactIfNeeded(): boolean {
    const graph = this.graph;
    if (!graph || !graph.wasteful()) return false;
    const live = graph.liveVectors();
    this.graph = undefined;
    if (live.length <= this.params.flatMaxEntries / 2) {
      this.flat = new FlatVectors(this.dimension);
      for (const [label, v] of live) this.flat.add(label, v);
    } else {
      this.graph = GraphVectors.create(this.dimension, this.params, Math.max(16, live.length * 2));
      for (const [label, v] of live) this.graph.add(label, v);
    }
    return true;
  }

  snapshot(writeIndex: (graph: HierarchicalNSW) => Buffer): ScopeSnapshot {
    if (this.flat) return { kind: 'flat', ...this.flat.export() };
    return {
      kind: 'hnsw',
      labels: [...this.graph!.labels],
      capacity: this.graph!.capacity,
      index: writeIndex(this.graph!.index),
    };
  }

  static restore(
    dimension: number,
    params: HnswParams,
    snapshot: ScopeSnapshot,
    readIndex: (bytes: Buffer, index: HierarchicalNSW) => void,
  ): ScopeIndex {
    const scope = new ScopeIndex(dimension, params);
    if (snapshot.kind === 'flat') {
      for (let i = 0; i < snapshot.labels.length; i++) {
        scope.flat!.add(snapshot.labels[i]!, snapshot.vectors.subarray(i * dimension, (i + 1) * dimension));
      }
      return scope;
    }
    const index = new HierarchicalNSW('cosine', dimension);
    readIndex(snapshot.index, index);
    scope.flat = undefined;
    scope.graph = new GraphVectors(index, new Set(snapshot.labels));
    return scope;
  }

  /** Drops labels the caller no longer knows (entries lost between index and entry table). */
  retainOnly(known: (label: number) => boolean): void {
    const labels = this.flat ? [...this.flat.labelsList()] : [...this.graph!.labels];
    for (const label of labels) if (!known(label)) this.remove(label);
  }

  labels(): number[] {
    return this.flat ? [...this.flat.labelsList()] : [...this.graph!.labels];
  }

  private promote(): void {
    const flat = this.flat!;
    const graph = GraphVectors.create(this.dimension, this.params, flat.size * 4);
    for (const [label, v] of flat.entries()) graph.add(label, v);
    this.flat = undefined;
    this.graph = graph;
  }
}

/** Exact search over a packed array of unit vectors; removal swaps the last slot in. */
class FlatVectors {
  private vectors: Float32Array;
  private labels: number[] = [];
  private slotOf = new Map<number, number>();

  constructor(private readonly dimension: number) {
    this.vectors = new Float32Array(dimension * 8);
  }

  get size(): number {
    return this.labels.length;
  }

  add(label: number, vector: Float32Array): void {
    if (this.slotOf.has(label)) this.remove(label);
    const slot = this.labels.length;
    if ((slot + 1) * this.dimension > this.vectors.length) {
      const grown = new Float32Array(this.vectors.length * 2);
      grown.set(this.vectors);
      this.vectors = grown;
    }
    this.vectors.set(vector, slot * this.dimension);
    this.labels.push(label);
    this.slotOf.set(label, slot);
  }

  remove(label: number): void {
    const slot = this.slotOf.get(label);
    if (slot === undefined) return;
    const last = this.labels.length - 1;
    if (slot !== last) {
      const d = this.dimension;
      this.vectors.copyWithin(slot * d, last * d, (last + 1) * d);
      const moved = this.labels[last]!;
      this.labels[slot] = moved;
      this.slotOf.set(moved, slot);
    }
    this.labels.pop();
    this.slotOf.delete(label);
  }

  search(query: Float32Array, k: number): Neighbour[] {
    const d = this.dimension;
    const best: Neighbour[] = [];
    for (let s = 0; s < this.labels.length; s++) {
      let dot = 0;
      const base = s * d;
      for (let i = 0; i < d; i++) dot += query[i]! * this.vectors[base + i]!;
      if (best.length < k || dot > best[best.length - 1]!.similarity) {
        best.push({ label: this.labels[s]!, similarity: dot });
        best.sort((a, b) => b.similarity - a.similarity);
        if (best.length > k) best.pop();
      }
    }
    return best.map((n) => ({ label: n.label, similarity: clampSimilarity(n.similarity) }));
  }

  *entries(): IterableIterator<[number, Float32Array]> {
    const d = this.dimension;
    for (let s = 0; s < this.labels.length; s++) {
      yield [this.labels[s]!, this.vectors.subarray(s * d, (s + 1) * d)];
    }
  }

  labelsList(): readonly number[] {
    return this.labels;
  }

  export(): { labels: number[]; vectors: Float32Array } {
    return { labels: [...this.labels], vectors: this.vectors.slice(0, this.labels.length * this.dimension) };
  }
}

/** An hnswlib graph (cosine space) that reuses deleted slots and doubles its capacity as it grows. */
class GraphVectors {
  private deleted: number;

  constructor(
    readonly index: HierarchicalNSW,
    readonly labels: Set<number>,
  ) {
    // Slots used by deleted points: hnswlib counts them in getCurrentCount().
    this.deleted = index.getCurrentCount() - labels.size;
  }

  static create(dimension: number, params: HnswParams, capacity: number): GraphVectors {
    const index = new HierarchicalNSW('cosine', dimension);
    index.initIndex({
      maxElements: capacity,
      m: params.m,
      efConstruction: params.efConstruction,
      randomSeed: 42,
      allowReplaceDeleted: true,
    });
    return new GraphVectors(index, new Set());
  }

  get size(): number {
    return this.labels.size;
  }

  get capacity(): number {
    return this.index.getMaxElements();
  }

  add(label: number, vector: Float32Array): void {
    if (this.labels.has(label)) this.remove(label);
    const reuse = this.deleted > 0;
    if (!reuse && this.index.getCurrentCount() >= this.index.getMaxElements()) {
      this.index.resizeIndex(this.index.getMaxElements() * 2);
    }
    this.index.addPoint(Array.from(vector), label, reuse);
    if (reuse) this.deleted--;
    this.labels.add(label);
  }

  remove(label: number): void {
    if (!this.labels.delete(label)) return;
    this.index.markDelete(label);
    this.deleted++;
  }

  search(query: Float32Array, k: number, efSearch: number): Neighbour[] {
    this.index.setEf(Math.max(efSearch, k));
    const { neighbors, distances } = this.index.searchKnn(Array.from(query), Math.min(k, this.labels.size));
    // Cosine space distance is 1 - cos.
    return neighbors.map((label, i) => ({ label, similarity: clampSimilarity(1 - distances[i]!) }));
  }

  /** More than half the slots are deleted points and the graph is not tiny. */
  wasteful(): boolean {
    return this.deleted > this.labels.size && this.index.getCurrentCount() > 64;
  }

  liveVectors(): Array<[number, Float32Array]> {
    return [...this.labels].map((label) => [label, Float32Array.from(this.index.getPoint(label))]);
  }
}
