#!/usr/bin/env node
/**
 * Runs the gateway alone (distributed mode): loads the config from `--config FILE` or
 * `SR_CONFIG`, connects to NATS, serves HTTP on `listeners.http`, Envoy ExtProc on
 * `listeners.grpc` and health/metrics on `listeners.metrics`, hot-reloads the config, prints
 * `ready` when serving.
 */
import {
  ConfigStore,
  ServiceHost,
  connectConfiguredBus,
  createLogger,
  createMetricsRegistry,
  loadConfigFile,
  startTracing,
} from '@sr/shared';
import { createExtProcServer } from './extproc/index';
import { createGateway } from './gateway';

function configPath(argv: readonly string[]): string {
  const i = argv.indexOf('--config');
  const file = i >= 0 ? argv[i + 1] : process.env.SR_CONFIG;
  if (!file) throw new Error('no config: pass --config FILE or set SR_CONFIG');
  return file;
}

async function main(): Promise<void> {
  const file = configPath(process.argv.slice(2));
  const initial = loadConfigFile(file);
  const logger = createLogger({
    service: 'extproc-gateway',
    level: initial.observability.logLevel,
    logPrompts: initial.observability.logPrompts,
  });
  const tracing = startTracing({ serviceName: 'extproc-gateway', ...initial.observability.tracing });
  const { registry, common } = createMetricsRegistry('extproc-gateway');
  const store = new ConfigStore({
    file,
    initial,
    onReload: (outcome) => {
      common.configReloads.inc({ outcome: outcome.status });
      if (outcome.status === 'rejected') logger.warn({ err: outcome.error }, 'config reload rejected');
      else logger.info('config reloaded');
    },
  });
  const bus = await connectConfiguredBus(initial.bus, 'extproc-gateway', undefined, common);
  const gateway = createGateway({ config: store, bus, logger, registry });
  const extproc = createExtProcServer({ config: initial, pipeline: gateway.pipeline, logger, registry });
  const host = new ServiceHost({
    name: 'extproc-gateway',
    logger,
    registry,
    listen: initial.listeners.metrics,
    readiness: () => gateway.isReady(),
  });
  host.onShutdown(() => tracing.shutdown().catch(() => undefined));
  host.onShutdown(() => bus.close());
  host.onShutdown(() => gateway.shutdown());
  host.onShutdown(() => extproc.shutdown());
  host.onShutdown(async () => store.stop());
  host.handleSignals();
  await host.listen();
  await gateway.start();
  const { port: grpcPort } = await extproc.start();
  logger.info({ port: grpcPort }, 'gateway ExtProc listening');
  store.start();
  process.stdout.write('ready\n');
}

main().catch((err: unknown) => {
  process.stderr.write(`extproc-gateway failed to start: ${(err as Error)?.message ?? String(err)}\n`);
  process.exit(1);
});
