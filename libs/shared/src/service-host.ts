import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import type { Logger } from './logger';

/** What /metrics serves: a registry, or a merge of several (embedded mode's worker threads). */
export type MetricsSource = Pick<Registry, 'contentType' | 'metrics'>;

export interface ServiceHostOptions {
  name: string;
  logger: Logger;
  registry: Registry;
  /** Served on /metrics instead of `registry` (e.g. merged with worker threads' registries). */
  metrics?: MetricsSource;
  /** Health/metrics listener; omit to serve none (embedded mode serves one for all). */
  listen?: { host: string; port: number };
  /** Ready when every check returns true (models loaded, bus connected). */
  readiness?: () => boolean;
  /** Upper bound for draining on shutdown, within Kubernetes' default 30 s grace period. */
  drainTimeoutMs?: number;
}

/**
 * The lifecycle every service shares: a /healthz, /readyz and /metrics listener, shutdown hooks
 * run in reverse order (drain bus subscriptions first), SIGTERM/SIGINT handling.
 */
export class ServiceHost {
  private server: Server | undefined;
  private readonly hooks: Array<() => Promise<void>> = [];
  private stopping: Promise<void> | undefined;
  private readonly readinessChecks: Array<() => boolean> = [];

  constructor(private readonly options: ServiceHostOptions) {
    if (options.readiness) this.readinessChecks.push(options.readiness);
  }

  addReadinessCheck(check: () => boolean): void {
    this.readinessChecks.push(check);
  }

  /** Registers cleanup to run at shutdown (last registered runs first). */
  onShutdown(hook: () => Promise<void>): void {
    this.hooks.push(hook);
  }

  isReady(): boolean {
    return !this.stopping && this.readinessChecks.every((c) => c());
  }

  /** Starts the health listener; resolves with its port (0 asks the OS for a free one). */
  async listen(): Promise<number | undefined> {
    const listen = this.options.listen;
    if (!listen) return undefined;
    this.server = createServer((req, res) => {
      void handleHealth(req.url ?? '', this, this.options.metrics ?? this.options.registry).then(
        ({ status, type, body }) => {
          res.writeHead(status, { 'content-type': type });
          res.end(body);
        },
      );
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(listen.port, listen.host, () => resolve());
    });
    return (this.server.address() as AddressInfo).port;
  }

  /** Installs SIGTERM/SIGINT handlers that shut down and exit. */
  handleSignals(): void {
    const onSignal = (signal: string) => {
      this.options.logger.info({ signal }, 'shutting down');
      void this.shutdown().finally(() => process.exit(0));
    };
    process.once('SIGTERM', () => onSignal('SIGTERM'));
    process.once('SIGINT', () => onSignal('SIGINT'));
  }

  shutdown(): Promise<void> {
    this.stopping ??= (async () => {
      const timeout = this.options.drainTimeoutMs ?? 20_000;
      const hooks = [...this.hooks].reverse();
      const all = (async () => {
        for (const hook of hooks) {
          await hook().catch((err: unknown) => this.options.logger.warn({ err }, 'shutdown hook failed'));
        }
      })();
      await Promise.race([all, new Promise((r) => setTimeout(r, timeout).unref())]);
      await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    })();
    return this.stopping;
  }
}

/** Answers the three health endpoints; shared by the gateway's main listener. */
export async function handleHealth(
  url: string,
  host: { isReady(): boolean },
  registry: MetricsSource,
): Promise<{ status: number; type: string; body: string }> {
  const path = url.split('?')[0];
  if (path === '/healthz') return { status: 200, type: 'application/json', body: '{"status":"ok"}' };
  if (path === '/readyz') {
    const ready = host.isReady();
    return {
      status: ready ? 200 : 503,
      type: 'application/json',
      body: JSON.stringify({ status: ready ? 'ready' : 'not-ready' }),
    };
  }
  if (path === '/metrics') return { status: 200, type: registry.contentType, body: await registry.metrics() };
  return { status: 404, type: 'application/json', body: '{"error":"not found"}' };
}
