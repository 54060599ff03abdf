/**
 * Custom categories without retraining: each category is a handful of example utterances (and
 * optional keywords); a text belongs to the closest category when its similarity clears a
 * threshold, else to none. Examples are embedded once, at creation (config load / hot reload).
 */
import { cosine } from './metrics';

/** Anything that turns texts into L2-normalised vectors (the SentenceEncoder does). */
export interface TextEmbedder {
  embed(texts: readonly string[]): Promise<Float32Array[]>;
}

export interface CategoryDefinition {
  readonly name: string;
  readonly examples: readonly string[];
  /** Whole words or phrases (case-insensitive) that add `keywordBonus` to the category's score. */
  readonly keywords?: readonly string[];
}

/**
 * How example similarities become one category score: the best example (`max`), the mean of the
 * `k` best (`topk`), or the cosine to the normalised mean of the examples (`centroid`).
 */
export type CategoryScoring = 'max' | 'topk' | 'centroid';

export interface CategoryMatcherOptions {
  /** Minimum score for a match; below it the result is `matched: false`. */
  readonly threshold: number;
  readonly scoring?: CategoryScoring;
  /** For `topk`; default 3. */
  readonly k?: number;
  /** Added to a category's score when one of its keywords occurs; default 0.1. */
  readonly keywordBonus?: number;
}

export type CategoryMatch =
  | {
      readonly matched: true;
      readonly label: string;
      readonly score: number;
      readonly scores: Readonly<Record<string, number>>;
    }
  | {
      readonly matched: false;
      /** The closest category even though it is below the threshold (absent with no categories). */
      readonly nearest?: { readonly label: string; readonly score: number };
      readonly scores: Readonly<Record<string, number>>;
    };

interface Compiled {
  readonly name: string;
  readonly examples: Float32Array[];
  readonly centroid: Float32Array;
  readonly keywords: readonly RegExp[];
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export class EmbeddingCategoryMatcher {
  private constructor(
    private readonly embedder: TextEmbedder,
    private readonly categories: readonly Compiled[],
    readonly options: Required<CategoryMatcherOptions>,
  ) {}

  /** Validates the definitions and embeds every example in one batch. */
  static async create(
    embedder: TextEmbedder,
    categories: readonly CategoryDefinition[],
    options: CategoryMatcherOptions,
  ): Promise<EmbeddingCategoryMatcher> {
    const names = new Set<string>();
    for (const c of categories) {
      if (!c.name) throw new TypeError('category without a name');
      if (names.has(c.name)) throw new TypeError(`category "${c.name}" is defined twice`);
      names.add(c.name);
      if (c.examples.length === 0 && (c.keywords ?? []).length === 0)
        throw new TypeError(`category "${c.name}" needs at least one example utterance or keyword`);
    }
    if (!Number.isFinite(options.threshold))
      throw new TypeError('category threshold must be a finite number');
    const all = categories.flatMap((c) => c.examples);
    const vectors = all.length > 0 ? await embedder.embed(all) : [];
    let at = 0;
    const compiled = categories.map((c): Compiled => {
      const examples = vectors.slice(at, at + c.examples.length);
      at += c.examples.length;
      const dim = examples[0]?.length ?? 0;
      const centroid = new Float32Array(dim);
      for (const e of examples)
        for (let j = 0; j < dim; j++) centroid[j] = (centroid[j] as number) + (e[j] as number);
      const n = Math.hypot(...centroid) || 1;
      for (let j = 0; j < dim; j++) centroid[j] = (centroid[j] as number) / n;
      const keywords = (c.keywords ?? []).map(
        (k) => new RegExp(`(?:^|[^\\p{L}\\p{N}])${escapeRe(k.toLowerCase())}(?:$|[^\\p{L}\\p{N}])`, 'u'),
      );
      return { name: c.name, examples, centroid, keywords };
    });
    return new EmbeddingCategoryMatcher(embedder, compiled, {
      threshold: options.threshold,
      scoring: options.scoring ?? 'topk',
      k: options.k ?? 3,
      keywordBonus: options.keywordBonus ?? 0.1,
    });
  }

  get labels(): string[] {
    return this.categories.map((c) => c.name);
  }

  /** Matches texts (embedded in one batch). */
  async match(texts: readonly string[]): Promise<CategoryMatch[]> {
    const vectors = await this.embedder.embed(texts);
    return vectors.map((v, i) => this.matchEmbedding(v, texts[i] as string));
  }

  /** Matches a text already embedded by the same encoder (the worker embeds once per request). */
  matchEmbedding(vector: Float32Array, text = ''): CategoryMatch {
    const { scoring, k, keywordBonus, threshold } = this.options;
    const lower = text.toLowerCase();
    const scores: Record<string, number> = {};
    let best: { label: string; score: number } | undefined;
    for (const c of this.categories) {
      let score = 0;
      if (c.examples.length > 0) {
        if (scoring === 'centroid') score = cosine(vector, c.centroid);
        else {
          const sims = c.examples.map((e) => cosine(vector, e)).sort((x, y) => y - x);
          const top = scoring === 'max' ? 1 : Math.min(k, sims.length);
          score = sims.slice(0, top).reduce((a, b) => a + b, 0) / top;
        }
      }
      if (text && c.keywords.some((re) => re.test(lower))) score += keywordBonus;
      scores[c.name] = score;
      if (!best || score > best.score) best = { label: c.name, score };
    }
    if (best && best.score >= threshold)
      return { matched: true, label: best.label, score: best.score, scores };
    return best ? { matched: false, nearest: best, scores } : { matched: false, scores };
  }
}
