import type { Registry } from 'prom-client';
import {
  guardCheck,
  QUEUE_GROUPS,
  serve,
  type Bus,
  type ConfigStore,
  type Logger,
  type RouterConfig,
  type Subscription,
} from '@sr/shared';
import { GuardEngine, type GuardEngineOptions } from './engine';
import { createGuardMetrics } from './metrics';

export interface GuardWorkerDeps {
  /** A fixed config, or a store whose reloads update thresholds. */
  config?: RouterConfig;
  configStore?: ConfigStore;
  bus: Bus;
  logger: Logger;
  registry: Registry;
  baseDir?: string;
  /** Tuning that is not part of the user config (windows, batching). */
  engine?: Pick<GuardEngineOptions, 'windows' | 'batching'>;
}

export interface GuardWorker {
  /** Loads the models and subscribes to `sr.v1.guard.check` in the guard queue group. */
  start(): Promise<void>;
  /** Stops taking requests, answers the ones in flight, frees the models. */
  shutdown(): Promise<void>;
  /** True once the models are loaded and the subscription is live. */
  isReady(): boolean;
  /** The engine behind the handler (for the CLI and tests); undefined before start. */
  readonly engine: GuardEngine | undefined;
}

/** The guard worker: the guard engine served on the bus. */
export function createGuardWorker(deps: GuardWorkerDeps): GuardWorker {
  const store = deps.configStore;
  const initial = store?.config ?? deps.config;
  if (!initial) throw new TypeError('createGuardWorker needs config or configStore');
  const logger = deps.logger.child({ component: 'guard-worker' });
  let engine: GuardEngine | undefined;
  let subscription: Subscription | undefined;
  let unsubscribe: (() => void) | undefined;
  let stopped = false;

  return {
    get engine() {
      return engine;
    },
    isReady: () => subscription !== undefined && !stopped,
    async start() {
      if (engine) return;
      engine = await GuardEngine.create({
        config: initial,
        baseDir: deps.baseDir,
        registry: deps.registry,
        ...deps.engine,
      });
      const loaded = engine;
      if (loaded.piiModelMissing)
        logger.warn(
          { modelDir: loaded.piiModelMissing },
          'PII entity model not found: pattern types only (no PERSON, LOCATION, ORGANIZATION, STREET_ADDRESS)',
        );
      unsubscribe = store?.onChange((config) => loaded.updateConfig(config));
      const metrics = createGuardMetrics(deps.registry);
      subscription = serve(deps.bus, guardCheck, (request) => loaded.check(request), {
        queue: QUEUE_GROUPS.guard,
        onError: (err) => {
          const code = (err as { code?: string }).code ?? 'INTERNAL';
          metrics.requests.inc({ outcome: code });
          logger.warn({ err: { code, message: (err as Error).message } }, 'guard check failed');
        },
      });
      logger.info(
        { jailbreakThreshold: loaded.jailbreakThreshold, queue: QUEUE_GROUPS.guard },
        'guard worker serving',
      );
    },
    async shutdown() {
      if (stopped) return;
      stopped = true;
      unsubscribe?.();
      // Drain first: requests already received are answered before the models go away.
      await subscription?.drain();
      await engine?.close();
      logger.info('guard worker stopped');
    },
  };
}
