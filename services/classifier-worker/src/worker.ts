import type { Registry } from 'prom-client';
import {
  classify,
  embed,
  errorCodeOf,
  QUEUE_GROUPS,
  serve,
  type Bus,
  type ConfigStore,
  type Logger,
  type RouterConfig,
  type Subscription,
} from '@sr/shared';
import { ClassifierEngine, type ClassifierEngineOptions } from './engine';
import { createClassifierMetrics } from './metrics';

export interface ClassifierWorkerDeps {
  /** A fixed config, or a store whose reloads re-embed custom categories and update thresholds. */
  config?: RouterConfig;
  configStore?: ConfigStore;
  bus: Bus;
  logger: Logger;
  registry: Registry;
  baseDir?: string;
  engine?: Pick<ClassifierEngineOptions, 'batching'>;
}

export interface ClassifierWorker {
  /** Loads the models, embeds custom categories, subscribes to `sr.v1.classify` and `sr.v1.embed`. */
  start(): Promise<void>;
  /** Stops taking requests, answers the ones in flight, frees the models. */
  shutdown(): Promise<void>;
  isReady(): boolean;
  /** The engine behind the handlers; undefined before start. */
  readonly engine: ClassifierEngine | undefined;
}

/** The classifier worker: the classifier engine served on the bus in the classifier queue group. */
export function createClassifierWorker(deps: ClassifierWorkerDeps): ClassifierWorker {
  const store = deps.configStore;
  const initial = store?.config ?? deps.config;
  if (!initial) throw new TypeError('createClassifierWorker needs config or configStore');
  const logger = deps.logger.child({ component: 'classifier-worker' });
  const metrics = createClassifierMetrics(deps.registry);
  let engine: ClassifierEngine | undefined;
  let subscriptions: Subscription[] = [];
  let unsubscribe: (() => void) | undefined;
  let stopped = false;

  const onError = (endpoint: string) => (err: unknown) => {
    const code = errorCodeOf(err);
    metrics.requests.inc({ endpoint, outcome: code });
    logger.warn({ endpoint, err: { code, message: (err as Error)?.message } }, 'classifier request failed');
  };

  return {
    get engine() {
      return engine;
    },
    isReady: () => subscriptions.length > 0 && !stopped,
    async start() {
      if (engine) return;
      engine = await ClassifierEngine.create({
        config: initial,
        baseDir: deps.baseDir,
        registry: deps.registry,
        ...deps.engine,
      });
      const loaded = engine;
      unsubscribe = store?.onChange((config) => {
        loaded.updateConfig(config).then(
          () => logger.info({ customCategories: loaded.customCategories }, 'classifier config applied'),
          (err: unknown) => logger.error({ err: (err as Error).message }, 'classifier config reload failed'),
        );
      });
      subscriptions = [
        serve(
          deps.bus,
          classify,
          async (request) => {
            const reply = await loaded.classify(request);
            metrics.requests.inc({ endpoint: 'classify', outcome: 'ok' });
            return reply;
          },
          { queue: QUEUE_GROUPS.classifier, onError: onError('classify') },
        ),
        serve(
          deps.bus,
          embed,
          async (request) => {
            const reply = await loaded.embed(request.texts);
            metrics.requests.inc({ endpoint: 'embed', outcome: 'ok' });
            return reply;
          },
          { queue: QUEUE_GROUPS.classifier, onError: onError('embed') },
        ),
      ];
      logger.info(
        { customCategories: loaded.customCategories, queue: QUEUE_GROUPS.classifier },
        'classifier worker serving',
      );
    },
    async shutdown() {
      if (stopped) return;
      stopped = true;
      unsubscribe?.();
      // Drain first: requests already received are answered before the models go away.
      await Promise.all(subscriptions.map((s) => s.drain()));
      await engine?.close();
      logger.info('classifier worker stopped');
    },
  };
}
