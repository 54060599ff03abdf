import type { RouterConfig } from '@sr/shared';

/** The cache's settings: the `cache` config section plus tuning constants with units in their names. */
export interface CacheSettings {
  enabled: boolean;
  backend: 'embedded' | 'qdrant';
  /** From the config; undefined means the encoder's calibrated threshold. */
  similarityThreshold: number | undefined;
  ttlSeconds: number;
  maxEntries: number;
  persistPath: string | undefined;
  qdrant: { url: string; apiKey: string | undefined; collectionPrefix: string };
  /** Semantic candidates checked by the verifier per lookup (nearest first). */
  candidates: number;
  sweepIntervalMs: number;
  checkpointIntervalMs: number;
  /**
   * Longer queries (in word and punctuation tokens) are matched exactly only. A pooled embedding
   * of a long text is dominated by what two texts share, so two long prompts that differ in one
   * paragraph look identical; the reference's 512-token truncation made that a real collision.
   */
  semanticMaxTokens: number;
  /** Answers bigger than this (JSON bytes) are not stored. */
  maxResponseBytes: number;
}

export function cacheSettings(
  config: RouterConfig,
  env: NodeJS.ProcessEnv = process.env,
): Readonly<CacheSettings> {
  const c = config.cache;
  return Object.freeze({
    enabled: c.enabled,
    backend: c.backend,
    similarityThreshold: c.similarityThreshold,
    ttlSeconds: c.ttlSeconds,
    maxEntries: c.maxEntries,
    persistPath: c.persistPath,
    qdrant: Object.freeze({
      url: c.qdrant.url,
      apiKey: c.qdrant.apiKeyEnv ? env[c.qdrant.apiKeyEnv] : undefined,
      collectionPrefix: c.qdrant.collectionPrefix,
    }),
    candidates: 4,
    sweepIntervalMs: 30_000,
    checkpointIntervalMs: 60_000,
    semanticMaxTokens: 512,
    maxResponseBytes: 1_000_000,
  });
}
