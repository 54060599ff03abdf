/**
 * Entry point of an embedded-mode worker thread: runs the services named in `workerData.roles`
 * on the thread's own in-process bus and serves that bus to the main thread over the port.
 * Each thread has its own config watcher (hot reload), tracer and metrics registry.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Registry } from 'prom-client';
import {
  ConfigStore,
  createLogger,
  InProcessBus,
  loadConfigFile,
  RecordingBus,
  serveBusOverPort,
  startTracing,
} from '@sr/shared';
import { createCacheService } from '@sr/cache-service';
import { createClassifierWorker } from '@sr/classifier-worker';
import { createGuardWorker } from '@sr/guard-worker';
import type { FromThread, ThreadData, ToThread } from './protocol';

interface Service {
  start(): Promise<unknown>;
  shutdown(): Promise<unknown>;
}

async function main(port: NonNullable<typeof parentPort>, data: ThreadData): Promise<void> {
  const post = (msg: FromThread) => port.postMessage(msg);
  const initial = loadConfigFile(data.configFile);
  const logger = createLogger({
    service: 'semantic-router',
    level: initial.observability.logLevel,
    logPrompts: initial.observability.logPrompts,
  }).child({ thread: data.name });
  const tracing = startTracing({ serviceName: 'semantic-router', ...initial.observability.tracing });
  // Same default label as the main registry, so the merged /metrics sums matching series.
  const registry = new Registry();
  registry.setDefaultLabels({ service: 'semantic-router' });
  const configStore = new ConfigStore({ file: data.configFile, initial });
  const local = new InProcessBus();
  const bus = new RecordingBus(local);
  const deps = { configStore, bus, logger, registry, baseDir: data.baseDir };
  const services: Service[] = data.roles.map((role) =>
    role === 'guard'
      ? createGuardWorker(deps)
      : role === 'classifier'
        ? createClassifierWorker(deps)
        : createCacheService({ ...deps, config: initial }),
  );
  await Promise.all(services.map((s) => s.start()));
  configStore.start();
  const stopServing = serveBusOverPort(port, local);

  port.on('message', (msg: ToThread) => {
    if (msg.t === 'metrics') {
      void registry.getMetricsAsJSON().then((metrics) => post({ t: 'metrics', id: msg.id, metrics }));
    } else if (msg.t === 'stop') {
      void (async () => {
        // Drain the services first (their subscriptions finish what is in flight), then the rest.
        await Promise.allSettled(services.map((s) => s.shutdown()));
        stopServing();
        await local.close();
        configStore.stop();
        await tracing.shutdown();
        post({ t: 'stopped' });
        port.close();
      })();
    }
  });
  post({ t: 'ready', subjects: [...bus.subjects] });
}

if (parentPort) {
  const port = parentPort;
  main(port, workerData as ThreadData).catch((err: unknown) => {
    port.postMessage({ t: 'failed', message: (err as Error)?.message ?? String(err) } satisfies FromThread);
  });
}
