import { metric, LATENCY_BUCKETS_SECONDS } from '@sr/shared';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export interface CacheMetrics {
  hits: Counter<'backend' | 'kind'>;
  misses: Counter<'backend' | 'reason'>;
  stores: Counter<'backend' | 'outcome' | 'reason'>;
  evictions: Counter<'backend' | 'cause'>;
  entries: Gauge<'backend'>;
  storeUnavailable: Counter<'backend' | 'operation'>;
  lookupLatency: Histogram<'backend' | 'kind'>;
  persistence: Counter<'event'>;
}

/** The cache's metrics. Labels are bounded sets (kinds, reasons); never prompt text. */
export function createCacheMetrics(registry: Registry): CacheMetrics {
  const counter = <L extends string>(name: string, help: string, labelNames: L[]) =>
    metric(registry, name, () => new Counter<L>({ name, help, labelNames, registers: [registry] }));
  return {
    hits: counter('sr_cache_hits_total', 'Cache hits by kind (exact, semantic).', ['backend', 'kind']),
    misses: counter('sr_cache_misses_total', 'Cache misses by reason.', ['backend', 'reason']),
    stores: counter('sr_cache_stores_total', 'Store requests by outcome (stored, skipped) and reason.', [
      'backend',
      'outcome',
      'reason',
    ]),
    evictions: counter('sr_cache_evictions_total', 'Entries removed by cause (lru, expired).', [
      'backend',
      'cause',
    ]),
    storeUnavailable: counter(
      'sr_cache_store_unavailable_total',
      'Operations that found the store down (lookups then miss with reason store-unavailable).',
      ['backend', 'operation'],
    ),
    persistence: counter(
      'sr_cache_persistence_events_total',
      'Snapshot events (loaded, moved-aside, written, write-failed).',
      ['event'],
    ),
    entries: metric(
      registry,
      'sr_cache_entries',
      () =>
        new Gauge({
          name: 'sr_cache_entries',
          help: 'Live entries in the store (as of the last operation).',
          labelNames: ['backend'],
          registers: [registry],
        }),
    ),
    lookupLatency: metric(
      registry,
      'sr_cache_lookup_duration_seconds',
      () =>
        new Histogram({
          name: 'sr_cache_lookup_duration_seconds',
          help: 'Lookup time in the cache service by result kind (exact, semantic, miss).',
          labelNames: ['backend', 'kind'],
          buckets: LATENCY_BUCKETS_SECONDS,
          registers: [registry],
        }),
    ),
  };
}
