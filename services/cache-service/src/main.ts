#!/usr/bin/env node
/**
 * Runs the cache service alone: `node dist/main.js [--config file]` (or SR_CONFIG). Loads the
 * sentence encoder, connects to NATS, serves /healthz /readyz /metrics on the metrics listener,
 * prints `ready` when serving; on SIGTERM/SIGINT drains in-flight requests, writes the snapshot
 * (embedded store with a persist path) and exits.
 */
import {
  connectConfiguredBus,
  createLogger,
  createMetricsRegistry,
  loadConfigFile,
  ServiceHost,
  startTracing,
} from '@sr/shared';
import { createCacheService } from './index';

function configPath(argv: readonly string[]): string {
  const i = argv.indexOf('--config');
  if (i >= 0 && argv[i + 1]) return argv[i + 1]!;
  return process.env.SR_CONFIG ?? 'config/config.yaml';
}

async function main(): Promise<void> {
  const config = loadConfigFile(configPath(process.argv.slice(2)));
  const logger = createLogger({
    service: 'cache-service',
    level: config.observability.logLevel,
    logPrompts: config.observability.logPrompts,
  });
  const { registry, common } = createMetricsRegistry('cache-service');
  // One trace per request: spans continue the gateway's trace from the NATS headers.
  const tracing = startTracing({ serviceName: 'cache-service', ...config.observability.tracing });
  const bus = await connectConfiguredBus(
    config.bus,
    'cache-service',
    (event) => logger.info({ event: event.type }, 'nats status'),
    common,
  );
  // No embedder passed: the service loads the encoder in `classifiers.encoderDir` at start.
  const service = createCacheService({ config, bus, logger, registry });
  let started = false;
  const host = new ServiceHost({
    name: 'cache-service',
    logger,
    registry,
    listen: config.listeners.metrics,
    readiness: () => started,
  });
  // Hooks run last-registered first: drain, snapshot and release the encoder, then close the bus.
  host.onShutdown(() => tracing.shutdown());
  host.onShutdown(() => bus.close());
  host.onShutdown(() => service.shutdown());
  host.handleSignals();
  await service.start();
  started = true;
  const port = await host.listen();
  logger.info({ metricsPort: port, backend: service.store.backend }, 'cache service ready');
  process.stdout.write(`ready metrics=${port}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`cache-service failed to start: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
