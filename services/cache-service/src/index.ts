import type { Bus, Logger, RouterConfig, Subscription } from '@sr/shared';
import type { Registry } from 'prom-client';
import { createStore } from './create-store';
import { serveAdmin } from './handlers/admin';
import { serveLookup } from './handlers/lookup';
import { serveStore } from './handlers/store';
import { createCacheMetrics } from './metrics';
import { SemanticCache } from './semantic-cache';
import { cacheSettings } from './settings';
import type { CacheStore, Embedder, OpenReport, Verifier } from './types';

export interface CacheServiceOptions {
  config: RouterConfig;
  bus: Bus;
  logger: Logger;
  registry: Registry;
  /** The sentence encoder; loaded from the configured model directory when omitted. */
  embedder?: Embedder;
  /** Rejects near-misses (numbers, entities, negation, direction). */
  verifier?: Verifier;
  /** Overrides the configured backend (tests). */
  store?: CacheStore;
  now?: () => number;
}

export interface CacheService {
  start(): Promise<void>;
  shutdown(): Promise<void>;
  readonly store: CacheStore;
  readonly cache: SemanticCache;
  /** What `start()` found on disk (fresh, loaded, or a corrupt file moved aside). */
  readonly openReport: OpenReport | undefined;
}

/**
 * The cache service: lookup, store and admin subjects in the cache queue group, a periodic TTL
 * sweep and (embedded store) a periodic snapshot. Runs alone (`main.ts`, NATS) or inside the
 * embedded app with the other services on one bus and one registry.
 */
export function createCacheService(options: CacheServiceOptions): CacheService {
  const logger = options.logger.child({ component: 'cache-service' });
  const settings = cacheSettings(options.config);
  const embedder = options.embedder;
  const verifier = options.verifier;
  if (!embedder || !verifier) {
    throw new Error('createCacheService needs an embedder and a verifier');
  }
  const store = options.store ?? createStore(settings, embedder, logger);
  const metrics = createCacheMetrics(options.registry);
  const cache = new SemanticCache({ settings, store, embedder, verifier, metrics, logger, now: options.now });
  const subscriptions: Subscription[] = [];
  const timers: NodeJS.Timeout[] = [];
  let openReport: OpenReport | undefined;
  const onError = (err: unknown) => logger.warn({ err }, 'cache handler failed');

  const checkpoint = async () => {
    if (!store.checkpoint) return;
    try {
      await store.checkpoint();
    } catch (err) {
      metrics.persistence.inc({ event: 'write-failed' });
      logger.error({ err }, 'cache snapshot failed');
    }
  };

  return {
    store,
    cache,
    get openReport() {
      return openReport;
    },
    async start() {
      openReport = await store.open();
      metrics.persistence.inc({ event: openReport.status });
      if (openReport.status === 'moved-aside') {
        logger.error(
          { reason: openReport.reason, movedTo: openReport.movedTo },
          'cache persistence file was unusable: moved aside, starting empty',
        );
      } else {
        logger.info({ backend: store.backend, ...openReport }, 'cache store open');
      }
      await cache.refreshEntries();
      subscriptions.push(
        serveLookup(options.bus, cache, onError),
        serveStore(options.bus, cache, onError),
        ...serveAdmin(options.bus, cache, onError),
      );
      const every = (ms: number, task: () => Promise<unknown>) => {
        const timer = setInterval(
          () => void task().catch((err: unknown) => logger.warn({ err }, 'cache task failed')),
          ms,
        );
        timer.unref();
        timers.push(timer);
      };
      every(settings.sweepIntervalMs, () => cache.sweep());
      every(settings.checkpointIntervalMs, checkpoint);
    },
    async shutdown() {
      for (const t of timers.splice(0)) clearInterval(t);
      await Promise.all(subscriptions.splice(0).map((s) => s.drain()));
      await store.close();
    },
  };
}

export { SemanticCache, type StoreOutcome, type CacheCounters } from './semantic-cache';
export { cacheSettings, type CacheSettings } from './settings';
export { EmbeddedStore, type EmbeddedStoreOptions } from './stores/embedded/store';
export { QdrantStore, type QdrantStoreOptions } from './stores/qdrant/store';
export type {
  CacheEntry,
  CacheStore,
  Candidate,
  Embedder,
  NewEntry,
  OpenReport,
  PutResult,
  Verdict,
  Verifier,
} from './types';
