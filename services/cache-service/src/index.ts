import { resolve } from 'node:path';
import type { Bus, ConfigStore, Logger, RouterConfig, Subscription } from '@sr/shared';
import type { Registry } from 'prom-client';
import { createStore } from './create-store';
import { loadEncoder } from './encoder';
import { serveAdmin } from './handlers/admin';
import { serveLookup } from './handlers/lookup';
import { serveStore } from './handlers/store';
import { createCacheMetrics } from './metrics';
import { SemanticCache } from './semantic-cache';
import { cacheSettings } from './settings';
import type { CacheStore, Embedder, OpenReport, Verifier } from './types';

export interface CacheServiceOptions {
  config: RouterConfig;
  /** When given, reloads apply `cache.enabled`, `similarityThreshold` and `ttlSeconds` live. */
  configStore?: ConfigStore;
  bus: Bus;
  logger: Logger;
  registry: Registry;
  /** The sentence encoder; loaded from `classifiers.encoderDir` at start when omitted. */
  embedder?: Embedder;
  /** Rejects near-misses (numbers, entities, negation, direction); `@sr/ml`'s when omitted. */
  verifier?: Verifier;
  /** Directory that relative model paths (`classifiers.encoderDir`) resolve against; default cwd. */
  baseDir?: string;
  /** Overrides the configured backend (tests). */
  store?: CacheStore;
  now?: () => number;
}

export interface CacheService {
  start(): Promise<void>;
  shutdown(): Promise<void>;
  /** The store and the cache logic (available once started when the encoder is loaded at start). */
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
  const metrics = createCacheMetrics(options.registry);
  const subscriptions: Subscription[] = [];
  const timers: NodeJS.Timeout[] = [];
  const onError = (err: unknown) => logger.warn({ err }, 'cache handler failed');
  let parts: { store: CacheStore; cache: SemanticCache; release?: () => Promise<void> } | undefined;
  let openReport: OpenReport | undefined;
  let unsubscribe: (() => void) | undefined;

  // Built at start when the encoder has to be loaded first (the store is sized by its dimension).
  const build = async () => {
    let { embedder, verifier } = options;
    let release: (() => Promise<void>) | undefined;
    let calibratedThreshold: number | undefined;
    if (!embedder || !verifier) {
      const loaded = await loadEncoder(
        resolve(options.baseDir ?? process.cwd(), options.config.classifiers.encoderDir),
        { executionProviders: options.config.classifiers.executionProviders },
      );
      embedder ??= loaded.embedder;
      verifier ??= loaded.verifier;
      release = loaded.close;
      calibratedThreshold = loaded.calibratedThreshold;
    }
    if (settings.similarityThreshold === undefined && calibratedThreshold === undefined) {
      await release?.();
      throw new Error(
        `cache.similarityThreshold is not set and the encoder (${embedder.id}) has no calibrated ` +
          'cache threshold (a Hugging Face export or an injected embedder): set cache.similarityThreshold',
      );
    }
    const store = options.store ?? createStore(settings, embedder, logger);
    const cache = new SemanticCache({
      settings,
      calibratedThreshold,
      store,
      embedder,
      verifier,
      metrics,
      logger,
      now: options.now,
    });
    return { store, cache, release };
  };
  const built = () => {
    if (!parts) throw new Error('the cache service is not started yet');
    return parts;
  };

  const checkpoint = async () => {
    const store = built().store;
    if (!store.checkpoint) return;
    try {
      await store.checkpoint();
    } catch (err) {
      metrics.persistence.inc({ event: 'write-failed' });
      logger.error({ err }, 'cache snapshot failed');
    }
  };

  return {
    get store() {
      return built().store;
    },
    get cache() {
      return built().cache;
    },
    get openReport() {
      return openReport;
    },
    async start() {
      parts ??= await build();
      const { store, cache } = parts;
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
      // NATS subscriptions reach the server asynchronously: flush so that "started" means
      // requests are routed here (a bus without flush, like the in-process one, is immediate).
      await (options.bus as { flush?: () => Promise<void> }).flush?.();
      const every = (ms: number, task: () => Promise<unknown>) => {
        const timer = setInterval(
          () => void task().catch((err: unknown) => logger.warn({ err }, 'cache task failed')),
          ms,
        );
        timer.unref();
        timers.push(timer);
      };
      if (options.configStore) {
        unsubscribe = options.configStore.onChange((next) => {
          const updated = cacheSettings(next);
          const fixed = (['backend', 'maxEntries', 'persistPath'] as const).filter(
            (k) => updated[k] !== settings[k],
          );
          if (fixed.length > 0) logger.warn({ keys: fixed }, 'cache settings changed that need a restart');
          cache.updateSettings(updated);
        });
      }
      every(settings.sweepIntervalMs, () => cache.sweep());
      every(settings.checkpointIntervalMs, checkpoint);
    },
    async shutdown() {
      unsubscribe?.();
      for (const t of timers.splice(0)) clearInterval(t);
      await Promise.all(subscriptions.splice(0).map((s) => s.drain()));
      if (!parts) return;
      await parts.store.close();
      await parts.release?.();
    },
  };
}

export { SemanticCache, type StoreOutcome, type CacheCounters } from './semantic-cache';
export { loadEncoder, type LoadedEncoder } from './encoder';
export { createCacheMetrics, type CacheMetrics } from './metrics';
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
