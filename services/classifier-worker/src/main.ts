#!/usr/bin/env node
/**
 * Runs the classifier worker alone: `node dist/main.js [--config file]` (or SR_CONFIG). Connects to
 * NATS, serves /healthz /readyz /metrics on the metrics listener, prints `ready` when serving,
 * drains in-flight requests on SIGTERM/SIGINT.
 */
import {
  ConfigStore,
  connectConfiguredBus,
  createLogger,
  createMetricsRegistry,
  loadConfigFile,
  ServiceHost,
  startTracing,
} from '@sr/shared';
import { createClassifierWorker } from './worker';

function configPath(argv: readonly string[]): string {
  const i = argv.indexOf('--config');
  if (i >= 0 && argv[i + 1]) return argv[i + 1]!;
  return process.env.SR_CONFIG ?? 'config/config.yaml';
}

async function main(): Promise<void> {
  const file = configPath(process.argv.slice(2));
  const config = loadConfigFile(file);
  const logger = createLogger({
    service: 'classifier-worker',
    level: config.observability.logLevel,
    logPrompts: config.observability.logPrompts,
  });
  const { registry, common } = createMetricsRegistry('classifier-worker');
  // One trace per request: spans continue the gateway's trace from the NATS headers.
  const tracing = startTracing({ serviceName: 'classifier-worker', ...config.observability.tracing });
  const store = new ConfigStore({
    file,
    initial: config,
    onReload: (outcome) => {
      common.configReloads.inc({ outcome: outcome.status });
      if (outcome.status === 'rejected')
        logger.warn({ err: outcome.error.message }, 'config reload rejected');
    },
  });
  const bus = await connectConfiguredBus(
    config.bus,
    'classifier-worker',
    (event) => logger.info({ event: event.type }, 'nats status'),
    common,
  );
  const worker = createClassifierWorker({ configStore: store, bus, logger, registry });
  const host = new ServiceHost({
    name: 'classifier-worker',
    logger,
    registry,
    listen: config.listeners.metrics,
    readiness: () => worker.isReady(),
  });
  // Hooks run last-registered first: drain the subscription, then close the bus.
  host.onShutdown(() => tracing.shutdown());
  host.onShutdown(() => bus.close());
  host.onShutdown(async () => store.stop());
  host.onShutdown(() => worker.shutdown());
  host.handleSignals();
  await worker.start();
  store.start();
  const port = await host.listen();
  logger.info({ metricsPort: port }, 'classifier worker ready');
  process.stdout.write(`ready metrics=${port}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`classifier-worker failed to start: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
