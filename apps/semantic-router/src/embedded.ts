import { resolve } from 'node:path';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import {
  ConfigStore,
  createLogger,
  createMetricsRegistry,
  InProcessBus,
  InstrumentedBus,
  loadConfigFile,
  ServiceHost,
  startTracing,
  type Logger,
} from '@sr/shared';
import { createCacheService } from '@sr/cache-service';
import { createClassifierWorker } from '@sr/classifier-worker';
import { createGateway, createExtProcServer } from '@sr/extproc-gateway';
import { createGuardWorker } from '@sr/guard-worker';
import { WorkerThreads } from './threads/pool';

export interface EmbeddedOptions {
  configFile: string;
  /** Port overrides (tests pass 0 for free ports). */
  ports?: { http?: number; grpc?: number; metrics?: number };
  logger?: Logger;
  /** Directory that relative model paths in the config resolve against. */
  baseDir?: string;
  /**
   * An extra span exporter (tests pass an in-memory one). It sees the main thread's spans only,
   * so the workers stay on the main thread when one is given, whatever `bus.workerThreads` says.
   */
  spanExporter?: SpanExporter;
}

export interface EmbeddedRouter {
  httpPort: number | undefined;
  grpcPort: number | undefined;
  metricsPort: number | undefined;
  configStore: ConfigStore;
  shutdown(): Promise<void>;
}

/**
 * Every service in one process over the in-process bus: the workers, the cache, the gateway's
 * HTTP proxy and its ExtProc server, one metrics registry. Nothing external to install.
 */
export async function startEmbedded(options: EmbeddedOptions): Promise<EmbeddedRouter> {
  const file = resolve(options.configFile);
  const initial = loadConfigFile(file);
  const logger =
    options.logger ??
    createLogger({
      service: 'semantic-router',
      level: initial.observability.logLevel,
      logPrompts: initial.observability.logPrompts,
    });
  const tracing = startTracing({
    serviceName: 'semantic-router',
    ...initial.observability.tracing,
    ...(options.spanExporter ? { spanExporter: options.spanExporter } : {}),
  });
  const { registry, common } = createMetricsRegistry('semantic-router');
  const configStore = new ConfigStore({
    file,
    initial,
    onReload: (outcome) => {
      common.configReloads.inc({ outcome: outcome.status });
      if (outcome.status === 'rejected')
        logger.warn({ err: outcome.error.message }, 'config reload rejected; keeping the running config');
      else logger.info('config reloaded');
    },
  });
  const bus = new InstrumentedBus(new InProcessBus(), common);
  const baseDir = options.baseDir ?? process.cwd();
  // An in-memory span exporter (tests) sees the main thread's spans only.
  const threaded = initial.bus.workerThreads && options.spanExporter === undefined;
  // Threaded: the guard in one worker thread, the classifier and the cache in another (they share
  // the encoder and its memo), the gateway on the main thread. Otherwise all on the main thread.
  let threads: WorkerThreads | undefined;
  const inline: Array<{ start(): Promise<unknown>; shutdown(): Promise<unknown>; isReady?(): boolean }> =
    threaded
      ? []
      : [
          createGuardWorker({ configStore, bus, logger, registry, baseDir }),
          createClassifierWorker({ configStore, bus, logger, registry, baseDir }),
          createCacheService({ config: initial, configStore, bus, logger, registry, baseDir }),
        ];
  const metricsSource = {
    contentType: registry.contentType,
    metrics: () => (threads ? threads.metricsSource(registry).metrics() : registry.metrics()),
  };
  const gateway = createGateway({
    config: configStore,
    bus,
    logger,
    registry,
    metricsSource,
    http: options.ports?.http === undefined ? {} : { port: options.ports.http },
  });
  const extproc = createExtProcServer({
    config: initial,
    pipeline: gateway.pipeline,
    logger,
    registry,
    port: options.ports?.grpc,
  });
  const host = new ServiceHost({
    name: 'semantic-router',
    logger,
    registry,
    metrics: metricsSource,
    listen: {
      ...initial.listeners.metrics,
      ...(options.ports?.metrics === undefined ? {} : { port: options.ports.metrics }),
    },
    readiness: () =>
      gateway.isReady() && (threads ? threads.isReady() : inline.every((s) => s.isReady?.() ?? true)),
  });
  // Shutdown runs in reverse: stop taking traffic first, then drain workers, then the bus.
  host.onShutdown(() => tracing.shutdown());
  host.onShutdown(() => bus.close());
  host.onShutdown(async () => {
    await Promise.allSettled([threads?.shutdown(), ...inline.map((s) => s.shutdown())]);
  });
  host.onShutdown(() => gateway.shutdown());
  host.onShutdown(() => extproc.shutdown());
  host.onShutdown(async () => configStore.stop());

  if (threaded)
    threads = await WorkerThreads.start({
      configFile: file,
      baseDir,
      groups: [['guard'], ['classifier', 'cache']],
      bus,
      logger,
    });
  else await Promise.all(inline.map((s) => s.start()));
  await gateway.start();
  const { port: grpcPort } = await extproc.start();
  const metricsPort = await host.listen();
  configStore.start();
  return {
    httpPort: gateway.httpPort,
    grpcPort,
    metricsPort,
    configStore,
    shutdown: () => host.shutdown(),
  };
}
