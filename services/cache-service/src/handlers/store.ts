import { cacheStore, QUEUE_GROUPS, serve, type Bus, type Subscription } from '@sr/shared';
import type { SemanticCache } from '../semantic-cache';

/** `sr.v1.cache.store`: stored with its entry id, or skipped with a reason. */
export function serveStore(bus: Bus, cache: SemanticCache, onError: (err: unknown) => void): Subscription {
  return serve(bus, cacheStore, (req) => cache.store(req), { queue: QUEUE_GROUPS.cache, onError });
}
