/**
 * Ranks OpenAI tool definitions by relevance to a query. A tool's score is a fixed blend of two
 * signals, each in [0, 1] for relevant tools:
 *
 *   score = (1 − LEXICAL_WEIGHT) · cosine(query, tool text) + LEXICAL_WEIGHT · lexical(query, tool)
 *
 * - cosine: the sentence encoder's query embedding against the embedding of the tool's text (split
 *   name + description + parameter names/descriptions, see toolText);
 * - lexical: the share of the query's informative words (IDF from general English word frequency)
 *   found in the tool's name (counting double), description or parameter names (see lexical.ts).
 *
 * The encoder generalises from what it was trained on; tools nobody trained on (every user's own
 * tools) are named and described in words the query often repeats, which the lexical half catches.
 * Neither the blend nor the lexical weights are fitted to tool-selection data, and a tool's score
 * does not depend on the other tools in the request, so a threshold means the same for 3 or 300 tools.
 *
 * Per tool, the embedding and lexical index are cached by a hash of its definition, so a request that
 * repeats the same tools (the usual case: an agent sends its tool list every turn) embeds only the query.
 */
import { createHash } from 'node:crypto';
import type { TextEmbedder } from '../encoder/category-matcher';
import { cosine } from '../encoder/metrics';
import { lexicalIndex, lexicalScore, queryTerms } from './lexical';
import type { LexicalIndex, QueryTerms } from './lexical';
import { toolText } from './tool-text';
import type { OpenAiTool } from './tool-text';

/** Weight of the lexical signal in a tool's score (the encoder cosine has the rest). */
export const LEXICAL_WEIGHT = 0.5;

/** The blended score from the two signals (both computed by the caller). */
export function blendToolScore(cosineScore: number, lexical: number): number {
  return (1 - LEXICAL_WEIGHT) * cosineScore + LEXICAL_WEIGHT * lexical;
}

const lexicalCache = new WeakMap<object, LexicalIndex>();
/** The last query's terms: callers score one query against many tools in a row. */
let lastQuery: { text: string; terms: QueryTerms } | undefined;

/**
 * Relevance of one tool to a query, given the query ↔ tool-text cosine: the same score
 * ToolRanker ranks by (for callers that embed and cache on their own, e.g. the evaluation).
 */
export function toolRelevance(
  query: string | QueryTerms,
  fn: OpenAiTool['function'],
  cosineScore: number,
): number {
  let index = lexicalCache.get(fn);
  if (!index) {
    index = lexicalIndex(fn);
    lexicalCache.set(fn, index);
  }
  let terms: QueryTerms;
  if (typeof query !== 'string') terms = query;
  else if (lastQuery?.text === query) terms = lastQuery.terms;
  else {
    terms = queryTerms(query);
    lastQuery = { text: query, terms };
  }
  return blendToolScore(cosineScore, lexicalScore(terms, index));
}

export interface RankedTool {
  readonly name: string;
  /** Index in the input array. */
  readonly index: number;
  readonly score: number;
}

export interface ToolRankerOptions {
  /** Tools kept in the cache (LRU by insertion; default 10,000). */
  readonly cacheSize?: number;
}

export type ToolSelection = {
  /** Names kept, best first. */
  readonly selected: string[];
  readonly ranking: RankedTool[];
};

interface CachedTool {
  readonly vector: Float32Array;
  readonly lexical: LexicalIndex;
}

function validate(tools: readonly OpenAiTool[]): void {
  if (!Array.isArray(tools)) throw new TypeError('tools must be an array of OpenAI tool definitions');
  tools.forEach((t, i) => {
    if (typeof t !== 'object' || t === null || t.type !== 'function')
      throw new TypeError(`tools[${i}]: expected {type: "function", function: {...}}`);
    if (typeof t.function?.name !== 'string' || t.function.name === '')
      throw new TypeError(`tools[${i}].function.name must be a non-empty string`);
  });
}

/**
 * Keys of definition objects already seen (one request asks for embeddings, then for scores);
 * a definition object is treated as immutable once ranked.
 */
const keyMemo = new WeakMap<object, string>();

function toolKey(fn: OpenAiTool['function']): string {
  let key = keyMemo.get(fn);
  if (key === undefined) {
    // The lexical index reads the name, description and parameter names; toolText holds all three.
    key = createHash('sha256').update(toolText(fn)).digest('base64');
    keyMemo.set(fn, key);
  }
  return key;
}

function scores(query: string, queryVector: Float32Array, cached: readonly CachedTool[]): number[] {
  const terms = queryTerms(query);
  return cached.map((c) => blendToolScore(cosine(queryVector, c.vector), lexicalScore(terms, c.lexical)));
}

export class ToolRanker {
  private readonly cache = new Map<string, CachedTool>();
  private readonly cacheSize: number;

  constructor(
    private readonly embedder: TextEmbedder,
    options: ToolRankerOptions = {},
  ) {
    this.cacheSize = options.cacheSize ?? 10_000;
  }

  /** Cached per-tool data (misses embedded in one batch). */
  private async cached(tools: readonly OpenAiTool[]): Promise<CachedTool[]> {
    validate(tools);
    const keys = tools.map((t) => toolKey(t.function));
    const missing = new Map<string, OpenAiTool['function']>();
    keys.forEach((k, i) => {
      if (!this.cache.has(k)) missing.set(k, (tools[i] as OpenAiTool).function);
    });
    if (missing.size > 0) {
      const fns = [...missing.values()];
      const vectors = await this.embedder.embed(fns.map((fn) => toolText(fn)));
      [...missing.keys()].forEach((k, i) => {
        this.cache.set(k, { vector: vectors[i] as Float32Array, lexical: lexicalIndex(fns[i]!) });
        if (this.cache.size > this.cacheSize) this.cache.delete(this.cache.keys().next().value as string);
      });
    }
    return keys.map((k) => this.cache.get(k) as CachedTool);
  }

  /** Embeddings of the tools' texts, from the cache where possible. */
  async toolEmbeddings(tools: readonly OpenAiTool[]): Promise<Float32Array[]> {
    return (await this.cached(tools)).map((c) => c.vector);
  }

  /**
   * Scores of the tools (input order) for a query whose embedding the caller already has (the
   * classifier worker embeds the request text once for all its signals).
   */
  async scoresFor(query: string, queryVector: Float32Array, tools: readonly OpenAiTool[]): Promise<number[]> {
    if (typeof query !== 'string') throw new TypeError('query must be a string');
    return scores(query, queryVector, await this.cached(tools));
  }

  /** All tools, best first, with blended scores. */
  async rank(query: string, tools: readonly OpenAiTool[]): Promise<RankedTool[]> {
    if (typeof query !== 'string') throw new TypeError('query must be a string');
    const [cached, [q]] = await Promise.all([this.cached(tools), this.embedder.embed([query])]);
    const s = scores(query, q as Float32Array, cached);
    return tools
      .map((t, index) => ({ name: t.function.name, index, score: s[index] as number }))
      .sort((a, b) => b.score - a.score || a.index - b.index);
  }

  /** The `topK` tools scoring at least `threshold` (best first), plus the full ranking. */
  async select(
    query: string,
    tools: readonly OpenAiTool[],
    options: { topK: number; threshold: number },
  ): Promise<ToolSelection> {
    if (!Number.isInteger(options.topK) || options.topK < 1)
      throw new TypeError('topK must be a positive integer');
    const ranking = await this.rank(query, tools);
    const selected = ranking
      .filter((r) => r.score >= options.threshold)
      .slice(0, options.topK)
      .map((r) => r.name);
    return { selected, ranking };
  }

  get cachedTools(): number {
    return this.cache.size;
  }
}

/**
 * A relevance threshold on the blended score: the `quantile` (default 0.1) of the right tools'
 * scores over `(query, right tool)` pairs, so ~90% of right tools clear it. Training calls it on
 * pairs neither training nor evaluation reads (see encoder/train/calibrate-tools.ts).
 */
export async function calibrateToolThreshold(
  embedder: TextEmbedder,
  pairs: ReadonlyArray<{ readonly query: string; readonly tool: OpenAiTool['function'] }>,
  quantile = 0.1,
): Promise<number> {
  if (pairs.length === 0) throw new RangeError('calibrateToolThreshold needs at least one pair');
  const q = await embedder.embed(pairs.map((p) => p.query));
  const t = await embedder.embed(pairs.map((p) => toolText(p.tool)));
  const scores = pairs
    .map((p, i) => toolRelevance(p.query, p.tool, cosine(q[i] as Float32Array, t[i] as Float32Array)))
    .sort((a, b) => a - b);
  return scores[Math.min(scores.length - 1, Math.floor(scores.length * quantile))] as number;
}
