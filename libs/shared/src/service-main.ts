import type { Registry } from 'prom-client';
import { connectConfiguredBus } from './bus/create-bus';
import type { Bus } from './bus/bus';
import { loadConfigFile } from './config/load';
import type { RouterConfig } from './config/schema';
import { ConfigStore } from './config/watch';
import { createLogger, type Logger } from './logger';
import { ServiceHost } from './service-host';
import { createMetricsRegistry } from './telemetry/metrics';
import { startTracing } from './telemetry/tracing';

/** What a service's factory returns so that `runServiceProcess` can run it. */
export interface RunnableService {
  start(): Promise<void>;
  shutdown(): Promise<void>;
  isReady(): boolean;
}

export interface ServiceDeps {
  config: RouterConfig;
  configStore: ConfigStore;
  bus: Bus;
  logger: Logger;
  registry: Registry;
}

/** The config file: `--config FILE`, else SR_CONFIG, else config/config.yaml. */
export function configPathFrom(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): string {
  const i = argv.indexOf('--config');
  if (i >= 0 && argv[i + 1]) return argv[i + 1]!;
  return env.SR_CONFIG ?? 'config/config.yaml';
}

/**
 * The composition root every service shares when it runs as its own process (distributed mode):
 * config + hot reload, logger, metrics, tracing, the NATS bus, /healthz /readyz /metrics, SIGTERM
 * drain. Prints `ready` on stdout once serving. Exits 1 with the reason when it cannot start.
 */
export function runServiceProcess(name: string, create: (deps: ServiceDeps) => RunnableService): void {
  start(name, create).catch((err: unknown) => {
    process.stderr.write(`${name} failed to start: ${(err as Error)?.stack ?? String(err)}\n`);
    process.exit(1);
  });
}

async function start(name: string, create: (deps: ServiceDeps) => RunnableService): Promise<void> {
  const file = configPathFrom(process.argv.slice(2));
  const config = loadConfigFile(file);
  const logger = createLogger({
    service: name,
    level: config.observability.logLevel,
    logPrompts: config.observability.logPrompts,
  });
  const { registry, common } = createMetricsRegistry(name);
  // One trace per request: spans continue the caller's trace from the NATS headers.
  const tracing = startTracing({ serviceName: name, ...config.observability.tracing });
  const configStore = new ConfigStore({
    file,
    initial: config,
    onReload: (outcome) => {
      common.configReloads.inc({ outcome: outcome.status });
      if (outcome.status === 'rejected')
        logger.warn({ err: outcome.error.message }, 'config reload rejected');
      else logger.info('config reloaded');
    },
  });
  const bus = await connectConfiguredBus(
    config.bus,
    name,
    (event) => logger.info({ event: event.type }, 'nats status'),
    common,
  );
  const service = create({ config, configStore, bus, logger, registry });
  const host = new ServiceHost({
    name,
    logger,
    registry,
    listen: config.listeners.metrics,
    readiness: () => service.isReady(),
  });
  // Hooks run last-registered first: drain the service, stop watching, close the bus, flush spans.
  host.onShutdown(() => tracing.shutdown());
  host.onShutdown(() => bus.close());
  host.onShutdown(async () => configStore.stop());
  host.onShutdown(() => service.shutdown());
  host.handleSignals();
  await service.start();
  configStore.start();
  const port = await host.listen();
  logger.info({ metricsPort: port }, `${name} ready`);
  process.stdout.write(`ready metrics=${port}\n`);
}
