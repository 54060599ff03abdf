import {
  cacheFlush,
  cacheInvalidate,
  cacheStats,
  QUEUE_GROUPS,
  serve,
  SrError,
  type Bus,
  type Subscription,
} from '@sr/shared';
import type { SemanticCache } from '../semantic-cache';

/**
 * Admin subjects: stats, invalidate (by tenant and/or scope), flush. With several replicas the
 * queue group sends each call to one of them: with the embedded store the numbers and the
 * effect are that replica's; with Qdrant they are shared.
 */
export function serveAdmin(bus: Bus, cache: SemanticCache, onError: (err: unknown) => void): Subscription[] {
  const queue = QUEUE_GROUPS.cache;
  return [
    serve(
      bus,
      cacheStats,
      async () => ({ backend: cache.backend, entries: await cache.entries(), ...cache.counters }),
      { queue, onError },
    ),
    serve(
      bus,
      cacheInvalidate,
      async (req) => {
        if (req.tenant === undefined && req.scope === undefined) {
          throw new SrError('BAD_REQUEST', 'invalidate needs a tenant or a scope (flush removes everything)');
        }
        return { removed: await cache.invalidate(req) };
      },
      { queue, onError },
    ),
    serve(bus, cacheFlush, async () => ({ removed: await cache.flush() }), { queue, onError }),
  ];
}
