/**
 * Ranks OpenAI tool definitions by relevance to a query: cosine between the query embedding and the
 * embedding of each tool's text (split name + description + parameter names/descriptions). Tool
 * embeddings are cached by a hash of the tool text, so a request that repeats the same tools (the
 * usual case: an agent sends its tool list every turn) embeds only the query.
 */
import { createHash } from 'node:crypto';
import type { TextEmbedder } from '../encoder/category-matcher';
import { cosine } from '../encoder/metrics';
import { toolText } from './tool-text';
import type { OpenAiTool } from './tool-text';

export interface RankedTool {
  readonly name: string;
  /** Index in the input array. */
  readonly index: number;
  readonly score: number;
}

export interface ToolRankerOptions {
  /** Tool embeddings kept (LRU by insertion; default 10,000). */
  readonly cacheSize?: number;
}

export type ToolSelection = {
  /** Names kept, best first. */
  readonly selected: string[];
  readonly ranking: RankedTool[];
};

function validate(tools: readonly OpenAiTool[]): void {
  if (!Array.isArray(tools)) throw new TypeError('tools must be an array of OpenAI tool definitions');
  tools.forEach((t, i) => {
    if (typeof t !== 'object' || t === null || t.type !== 'function')
      throw new TypeError(`tools[${i}]: expected {type: "function", function: {...}}`);
    if (typeof t.function?.name !== 'string' || t.function.name === '')
      throw new TypeError(`tools[${i}].function.name must be a non-empty string`);
  });
}

export class ToolRanker {
  private readonly cache = new Map<string, Float32Array>();
  private readonly cacheSize: number;

  constructor(
    private readonly embedder: TextEmbedder,
    options: ToolRankerOptions = {},
  ) {
    this.cacheSize = options.cacheSize ?? 10_000;
  }

  /** Embeddings of the tools, from the cache where possible (misses embedded in one batch). */
  async toolEmbeddings(tools: readonly OpenAiTool[]): Promise<Float32Array[]> {
    validate(tools);
    const keys = tools.map((t) => createHash('sha256').update(toolText(t.function)).digest('base64'));
    const missing = new Map<string, string>();
    keys.forEach((k, i) => {
      if (!this.cache.has(k)) missing.set(k, toolText((tools[i] as OpenAiTool).function));
    });
    if (missing.size > 0) {
      const vectors = await this.embedder.embed([...missing.values()]);
      [...missing.keys()].forEach((k, i) => {
        this.cache.set(k, vectors[i] as Float32Array);
        if (this.cache.size > this.cacheSize) this.cache.delete(this.cache.keys().next().value as string);
      });
    }
    return keys.map((k) => this.cache.get(k) as Float32Array);
  }

  /** All tools, best first, with cosine scores. */
  async rank(query: string, tools: readonly OpenAiTool[]): Promise<RankedTool[]> {
    if (typeof query !== 'string') throw new TypeError('query must be a string');
    const [toolVecs, [q]] = await Promise.all([this.toolEmbeddings(tools), this.embedder.embed([query])]);
    return tools
      .map((t, index) => ({
        name: t.function.name,
        index,
        score: cosine(q as Float32Array, toolVecs[index] as Float32Array),
      }))
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
