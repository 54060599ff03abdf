import type { Server } from 'node:http';
import type { Registry } from 'prom-client';
import { ConfigStore, type Bus, type Logger, type MetricsSource, type RouterConfig } from '@sr/shared';
import { createHttpServer, listen } from './http/server';
import { createGatewayMetrics } from './metrics';
import { createPipeline, type Pipeline } from './pipeline/pipeline';
import { UpstreamForwarder } from './upstream/forward';
import { EndpointPool } from './upstream/pool';

export interface GatewayOptions {
  /** A fixed config, or a ConfigStore whose reloads apply to the next request. */
  config: RouterConfig | ConfigStore;
  bus: Bus;
  logger: Logger;
  registry: Registry;
  /** Served on the HTTP listener's /metrics instead of `registry` (embedded mode merges threads'). */
  metricsSource?: MetricsSource;
  /** Override `listeners.http` (tests pass `{ port: 0 }`); `false` serves no HTTP listener. */
  http?: { host?: string; port?: number } | false;
  env?: NodeJS.ProcessEnv;
  version?: string;
}

export interface Gateway {
  start(): Promise<void>;
  shutdown(): Promise<void>;
  /** The bound HTTP port once started (undefined before, or with `http: false`). */
  readonly httpPort: number | undefined;
  readonly pipeline: Pipeline;
  /** Resolves when post-answer work (cache stores) in flight has finished. */
  idle(): Promise<void>;
  isReady(): boolean;
}

/**
 * The gateway's composition root: pipeline (fan-out + decision), endpoint pool, upstream
 * forwarder and the HTTP listener. The ExtProc gRPC server plugs into the same `pipeline`.
 */
export function createGateway(options: GatewayOptions): Gateway {
  const store = options.config instanceof ConfigStore ? options.config : undefined;
  const fixed = store ? undefined : (options.config as RouterConfig);
  const getConfig = () => store?.config ?? fixed!;
  const logger = options.logger.child({ service: 'extproc-gateway' });
  const metrics = createGatewayMetrics(options.registry);
  const initial = getConfig();
  const pool = new EndpointPool({
    ejectAfterFailures: initial.upstream.ejectAfterFailures,
    ejectForMs: initial.upstream.ejectForMs,
  });
  const unsubscribe = store?.onChange((next) => pool.configure(next.upstream));
  const pipeline = createPipeline({ getConfig, bus: options.bus, logger, metrics, pool, env: options.env });
  const forwarder = new UpstreamForwarder({ pipeline, pool, metrics, logger, getConfig });
  const pending = new Set<Promise<void>>();
  const track = (work: Promise<void>) => {
    pending.add(work);
    void work.finally(() => pending.delete(work));
  };
  let server: (Server & { inFlight(): number }) | undefined;
  let httpPort: number | undefined;
  let started = false;
  let stopping = false;

  const isReady = () => started && !stopping;

  return {
    pipeline,
    get httpPort() {
      return httpPort;
    },
    isReady,
    idle: async () => {
      while (pending.size) await Promise.allSettled([...pending]);
    },
    async start() {
      if (started) return;
      if (options.http !== false) {
        const listener = { ...initial.listeners.http, ...(options.http ?? {}) };
        server = createHttpServer({
          pipeline,
          forwarder,
          getConfig,
          logger,
          registry: options.metricsSource ?? options.registry,
          isReady,
          track,
          version: options.version ?? '0.1.0',
        });
        httpPort = await listen(server, listener.host, listener.port);
        logger.info({ port: httpPort }, 'gateway HTTP listening');
      }
      started = true;
    },
    async shutdown() {
      if (stopping) return;
      stopping = true;
      unsubscribe?.();
      if (server) {
        const s = server;
        const closed = new Promise<void>((resolve) => s.close(() => resolve()));
        // Requests in flight (streams included) get a grace period; then every socket is closed,
        // keep-alive ones included (a client may hold one open long after its last answer).
        const deadline = Date.now() + 10_000;
        while (s.inFlight() > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
        s.closeAllConnections();
        await closed;
      }
      await Promise.race([
        Promise.allSettled([...pending]),
        new Promise((r) => setTimeout(r, 5_000).unref()),
      ]);
      await forwarder.close();
    },
  };
}
