import { cacheLookup, QUEUE_GROUPS, serve, type Bus, type Subscription } from '@sr/shared';
import type { SemanticCache } from '../semantic-cache';

/** `sr.v1.cache.lookup`: a hit with the cached answer, or a miss with its reason. */
export function serveLookup(bus: Bus, cache: SemanticCache, onError: (err: unknown) => void): Subscription {
  return serve(bus, cacheLookup, (req) => cache.lookup(req), { queue: QUEUE_GROUPS.cache, onError });
}
