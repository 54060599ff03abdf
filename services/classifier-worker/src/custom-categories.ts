import { EmbeddingCategoryMatcher, type CategoryScoring, type TextEmbedder } from '@sr/ml';
import type { RouterConfig, Signal } from '@sr/shared';

/**
 * The config's `signal: custom` categories, their examples embedded once. Built at start and
 * rebuilt on every config reload; the matcher scores every category, and each category's own
 * threshold (else `classifiers.custom.threshold`, else the encoder's calibrated one) decides
 * whether it matches.
 */
export class CustomCategories {
  private constructor(
    private readonly matcher: EmbeddingCategoryMatcher | undefined,
    private readonly thresholds: ReadonlyMap<string, number>,
  ) {}

  /**
   * @param calibrated the encoder's calibrated category threshold and scoring (its manifest),
   *   used when neither the category nor `classifiers.custom.threshold` sets one.
   */
  static async build(
    config: RouterConfig,
    embedder: TextEmbedder,
    calibrated: { threshold: number; scoring: CategoryScoring },
  ): Promise<CustomCategories> {
    const custom = config.categories.filter((c) => c.signal === 'custom');
    if (custom.length === 0) return new CustomCategories(undefined, new Map());
    const matcher = await EmbeddingCategoryMatcher.create(
      embedder,
      custom.map((c) => ({ name: c.name, examples: c.examples, keywords: c.keywords })),
      // Every category is scored; the per-category thresholds below decide.
      { threshold: -1, scoring: calibrated.scoring },
    );
    const fallback = config.classifiers.custom.threshold ?? calibrated.threshold;
    return new CustomCategories(matcher, new Map(custom.map((c) => [c.name, c.threshold ?? fallback])));
  }

  get size(): number {
    return this.thresholds.size;
  }

  /** The best category clearing its threshold, or null. `vector` is the text's embedding. */
  match(vector: Float32Array, text: string): Signal | null {
    if (!this.matcher) return null;
    const { scores } = this.matcher.matchEmbedding(vector, text);
    let best: { label: string; score: number } | undefined;
    for (const [label, score] of Object.entries(scores)) {
      if (score < (this.thresholds.get(label) ?? Infinity)) continue;
      if (!best || score > best.score) best = { label, score };
    }
    if (!best) return null;
    const distribution: Record<string, number> = {};
    for (const [label, score] of Object.entries(scores)) distribution[label] = clamp01(score);
    return { label: best.label, score: clamp01(best.score), distribution };
  }
}

function clamp01(x: number): number {
  return Math.min(1, Math.max(0, x));
}
