import { openSharedEncoder, verifySimilarPair, type SentenceEncoderOptions } from '@sr/ml';
import type { Embedder, Verifier } from './types';

export interface LoadedEncoder {
  embedder: Embedder;
  verifier: Verifier;
  /**
   * Cosine threshold the encoder was calibrated for (manifest), for reports and docs; undefined
   * for a Hugging Face export (cache.similarityThreshold in the config is what applies).
   */
  calibratedThreshold: number | undefined;
  close(): Promise<void>;
}

/**
 * Loads the sentence encoder in `classifiers.encoderDir` (the project's `models/encoder` by
 * default, or a Hugging Face embedding export) and the pair verifier from `@sr/ml`, behind the
 * cache's Embedder/Verifier interfaces. Either kind reads the whole text (n-gram bag; overlapping
 * windows for transformers), so `truncates` is omitted; the service's long-query rule still applies.
 */
export async function loadEncoder(dir: string, options: SentenceEncoderOptions = {}): Promise<LoadedEncoder> {
  // Shared with the classifier worker in embedded mode: lookup, classify and store embed the
  // same user turn, and the shared encoder's memo computes it once.
  const shared = await openSharedEncoder(dir, options);
  const embedder: Embedder = {
    id: shared.id,
    dimension: shared.dimension,
    embed: (texts) => shared.embed(texts),
  };
  const verifier: Verifier = {
    verify(query, candidate) {
      const result = verifySimilarPair(query, candidate);
      return result.ok ? { ok: true } : { ok: false, reason: result.reason };
    },
  };
  return {
    embedder,
    verifier,
    calibratedThreshold: shared.thresholds?.cache,
    close: () => shared.close(),
  };
}
