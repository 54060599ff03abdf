import type { Logger } from '@sr/shared';
import type { CacheSettings } from './settings';
import { EmbeddedStore } from './stores/embedded/store';
import type { CacheStore } from './types';

/** The store the config names, sized for the embedder's vectors. */
export function createStore(
  settings: Readonly<CacheSettings>,
  embedder: { id: string; dimension: number },
  logger: Logger,
): CacheStore {
  if (settings.backend === 'qdrant') {
    throw new Error('qdrant backend not wired yet');
  }
  return new EmbeddedStore({
    dimension: embedder.dimension,
    embedderId: embedder.id,
    maxEntries: settings.maxEntries,
    persistPath: settings.persistPath,
    logger,
  });
}
