import { openSharedEncoder, verifySimilarPair, type SentenceEncoderOptions } from '@sr/ml';
import type { Embedder, Verifier } from './types';

export interface LoadedEncoder {
  embedder: Embedder;
  verifier: Verifier;
  /** Cosine threshold the encoder was calibrated for (manifest), for reports and docs. */
  calibratedThreshold: number;
  close(): Promise<void>;
}

/**
 * Loads the project's sentence encoder (`models/encoder` by default: `classifiers.encoderDir`)
 * and the pair verifier from `@sr/ml`, behind the cache's Embedder/Verifier interfaces. The
 * encoder reads the whole text (hashed n-gram bag, no truncation), so `truncates` is omitted; the
 * service's own long-query rule still applies.
 */
export async function loadEncoder(dir: string, options: SentenceEncoderOptions = {}): Promise<LoadedEncoder> {
  // Shared with the classifier worker in embedded mode: lookup, classify and store embed the
  // same user turn, and the shared encoder's memo computes it once.
  const shared = await openSharedEncoder(dir, options);
  const { encoder } = shared;
  const manifest = encoder.manifest as { name: string; version?: string; model: { sha256?: string } };
  const embedder: Embedder = {
    id: `${manifest.name}@${manifest.model.sha256 ?? manifest.version ?? 'unversioned'}`,
    dimension: encoder.dimension,
    embed: (texts) => shared.embed(texts),
  };
  const verifier: Verifier = {
    verify(query, candidate) {
      const result = verifySimilarPair(query, candidate);
      return result.ok ? { ok: true } : { ok: false, reason: result.reason };
    },
  };
  return { embedder, verifier, calibratedThreshold: encoder.thresholds.cache, close: () => shared.close() };
}
