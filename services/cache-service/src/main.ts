#!/usr/bin/env node
/**
 * Runs the cache service alone: `node dist/main.js [--config file]` (or SR_CONFIG). Loads the
 * sentence encoder, connects to NATS, serves /healthz /readyz /metrics on the metrics listener,
 * prints `ready` when serving; on SIGTERM/SIGINT drains in-flight requests, writes the snapshot
 * (embedded store with a persist path) and exits.
 */
import { runServiceProcess } from '@sr/shared';
import { createCacheService } from './index';

runServiceProcess('cache-service', ({ config, configStore, bus, logger, registry }) => {
  // No embedder passed: the service loads the encoder in `classifiers.encoderDir` at start.
  const service = createCacheService({ config, configStore, bus, logger, registry });
  let started = false;
  return {
    start: async () => {
      await service.start();
      started = true;
    },
    shutdown: () => service.shutdown(),
    isReady: () => started,
  };
});
