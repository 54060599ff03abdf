import { z } from 'zod';
import { combineHashes, fnv1a, fnvStep } from './hash';
import { normalizeText, tokenize } from './normalize';

/** Parameters of the hashed n-gram featuriser; stored in each model's manifest. */
export const HashedNgramParamsSchema = z
  .object({
    type: z.literal('hashed-ngrams'),
    /** Rows of the embedding table; every feature hashes into [0, buckets). */
    buckets: z
      .number()
      .int()
      .min(16)
      .max(1 << 24),
    /** Longest word n-gram (1 = unigrams only). */
    wordNgrams: z.number().int().min(1).max(4),
    /** Character n-grams of each word wrapped in `<` `>`; charMax 0 disables them. */
    charMin: z.number().int().min(1).max(10),
    charMax: z.number().int().min(0).max(10),
    /** Features kept per text; the tail of longer texts is cut (fixed cost per text). */
    maxFeatures: z
      .number()
      .int()
      .min(1)
      .max(1 << 16),
    /** Salt for the hash spaces (changing it invalidates a trained table). */
    seed: z.number().int().min(0),
  })
  .strict();
export type HashedNgramParams = z.infer<typeof HashedNgramParamsSchema>;

/** Features of a batch, ready for the bag-classifier graph (`ids`/`mask` are [rows, width]). */
export interface FeatureBatch {
  readonly ids: Int32Array;
  readonly mask: Float32Array;
  readonly rows: number;
  readonly width: number;
}

/**
 * fastText-style features: per word, its unigram, the word n-grams ending at it and the
 * character n-grams of `<word>`, in text order (so truncation cuts the end of the text).
 */
export class HashedNgramFeaturizer {
  private readonly wordSeed: number;
  private readonly ngramSeed: number;
  private readonly charSeed: number;
  private readonly scratch: Int32Array;

  constructor(readonly params: HashedNgramParams) {
    HashedNgramParamsSchema.parse(params);
    this.wordSeed = fnv1a('w', params.seed >>> 0 || 0x811c9dc5);
    this.ngramSeed = fnv1a('n', params.seed >>> 0 || 0x811c9dc5);
    this.charSeed = fnv1a('c', params.seed >>> 0 || 0x811c9dc5);
    this.scratch = new Int32Array(params.maxFeatures);
  }

  /** Feature ids of one text written into `out` (length ≥ maxFeatures); returns the count. */
  featuresInto(text: string, out: Int32Array): number {
    const { buckets, wordNgrams, charMin, charMax, maxFeatures } = this.params;
    const words = tokenize(normalizeText(text));
    const history: number[] = [];
    let n = 0;
    for (const word of words) {
      if (n >= maxFeatures) break;
      const wh = fnv1a(word, this.wordSeed);
      out[n++] = wh % buckets;
      let h = wh;
      for (let k = 0; k < wordNgrams - 1 && k < history.length && n < maxFeatures; k++) {
        h = combineHashes(history[history.length - 1 - k] as number, h) ^ this.ngramSeed;
        out[n++] = (h >>> 0) % buckets;
      }
      history.push(wh);
      if (history.length > wordNgrams) history.shift();
      if (charMax >= charMin && charMax > 0) n = this.charNgrams(word, out, n);
    }
    return n;
  }

  private charNgrams(word: string, out: Int32Array, n: number): number {
    const { buckets, charMin, charMax, maxFeatures } = this.params;
    const padded = `<${word}>`;
    const len = padded.length;
    for (let start = 0; start < len && n < maxFeatures; start++) {
      let h = this.charSeed;
      for (let end = start; end < len && end - start < charMax; end++) {
        h = fnvStep(h, padded.charCodeAt(end));
        const size = end - start + 1;
        // Skip the whole padded word (already a unigram) and n-grams shorter than charMin.
        if (size >= charMin && !(start === 0 && end === len - 1)) {
          out[n++] = (h >>> 0) % buckets;
          if (n >= maxFeatures) break;
        }
      }
    }
    return n;
  }

  /** Feature ids of one text. */
  features(text: string): Int32Array {
    const n = this.featuresInto(text, this.scratch);
    return this.scratch.slice(0, n);
  }

  /** Pads a batch to its longest row; empty texts get one masked padding slot. */
  batch(texts: readonly string[]): FeatureBatch {
    return HashedNgramFeaturizer.pad(texts.map((t) => this.features(t)));
  }

  /** Pads feature rows to the longest one (mask 0 on padding). */
  static pad(perText: readonly Int32Array[]): FeatureBatch {
    const texts = perText;
    const width = Math.max(1, ...perText.map((f) => f.length));
    const ids = new Int32Array(texts.length * width);
    const mask = new Float32Array(texts.length * width);
    perText.forEach((f, r) => {
      ids.set(f, r * width);
      mask.fill(1, r * width, r * width + f.length);
    });
    return { ids, mask, rows: texts.length, width };
  }
}
