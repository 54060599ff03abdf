import type { Logger } from '@sr/shared';
import type { CacheSettings } from './settings';
import { EmbeddedStore } from './stores/embedded/store';
import { QdrantStore } from './stores/qdrant/store';
import type { CacheStore } from './types';

/** The store the config names, sized for the embedder's vectors. */
export function createStore(
  settings: Readonly<CacheSettings>,
  embedder: { id: string; dimension: number },
  logger: Logger,
): CacheStore {
  if (settings.backend === 'qdrant') {
    return new QdrantStore({
      url: settings.qdrant.url,
      apiKey: settings.qdrant.apiKey,
      collectionPrefix: settings.qdrant.collectionPrefix,
      dimension: embedder.dimension,
      embedderId: embedder.id,
      maxEntries: settings.maxEntries,
      logger,
    });
  }
  return new EmbeddedStore({
    dimension: embedder.dimension,
    embedderId: embedder.id,
    maxEntries: settings.maxEntries,
    persistPath: settings.persistPath,
  });
}
