import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { AggregatorRegistry, type Registry } from 'prom-client';
import { ThreadForwarder, type Bus, type Logger, type MetricsSource, type Subscription } from '@sr/shared';
import type { FromThread, ThreadData, ThreadMetrics, ThreadRole, ToThread } from './protocol';

export interface WorkerThreadsOptions {
  configFile: string;
  baseDir: string;
  /** One thread per group; each group's services share the thread (and its models). */
  groups: ThreadRole[][];
  /** The main thread's bus: the threads' subjects are subscribed on it and forwarded. */
  bus: Bus;
  logger: Logger;
  /** Start timeout per thread (models load there). */
  startTimeoutMs?: number;
}

/** Waits after an unexpected exit before starting the thread again. */
const RESTART_DELAY_MS = 1000;

/**
 * Embedded mode on a multi-core host: the workers run in worker threads, so model inference uses
 * more than the main thread's core, while the gateway keeps the main thread for HTTP and gRPC.
 * A thread that dies is started again; meanwhile its subjects have no responders, which the
 * gateway's failure policies handle like a worker that is down.
 */
export class WorkerThreads {
  private readonly threads: ThreadHandle[];
  private stopping = false;

  private constructor(
    private readonly options: WorkerThreadsOptions,
    count: number,
  ) {
    this.threads = Array.from({ length: count }, () => ({ ready: false }) as ThreadHandle);
  }

  static async start(options: WorkerThreadsOptions): Promise<WorkerThreads> {
    const pool = new WorkerThreads(options, options.groups.length);
    try {
      await Promise.all(options.groups.map((roles, i) => pool.spawn(i, roles)));
    } catch (err) {
      await pool.shutdown();
      throw err;
    }
    return pool;
  }

  isReady(): boolean {
    return this.threads.every((t) => t.ready);
  }

  /** /metrics: the main registry merged with every thread's (matching series are summed). */
  metricsSource(main: Registry): MetricsSource {
    return {
      contentType: main.contentType,
      metrics: async () => {
        const parts: ThreadMetrics[] = [
          (await main.getMetricsAsJSON()) as ThreadMetrics,
          ...(await Promise.all(this.threads.map((t) => this.threadMetrics(t)))),
        ];
        return AggregatorRegistry.aggregate(parts).metrics();
      },
    };
  }

  async shutdown(): Promise<void> {
    this.stopping = true;
    await Promise.all(this.threads.map((t) => stopThread(t)));
  }

  private async spawn(index: number, roles: ThreadRole[]): Promise<void> {
    const { options } = this;
    const name = roles.join('+');
    const data: ThreadData = { name, roles, configFile: options.configFile, baseDir: options.baseDir };
    const worker = new Worker(workerScript(), { workerData: data });
    const handle: ThreadHandle = { worker, name, ready: false, subscriptions: [], metricsWaiters: new Map() };
    this.threads[index] = handle;
    const forwarder = new ThreadForwarder(worker, name);
    handle.forwarder = forwarder;
    worker.on('message', (msg: FromThread) => {
      if (msg.t === 'metrics') {
        handle.metricsWaiters.get(msg.id)?.(msg.metrics);
        handle.metricsWaiters.delete(msg.id);
      }
    });

    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Error(`worker thread ${name} did not start within ${options.startTimeoutMs ?? 120_000} ms`),
          ),
        options.startTimeoutMs ?? 120_000,
      );
      const onMessage = (msg: FromThread) => {
        if (msg.t === 'ready') {
          clearTimeout(timer);
          worker.off('message', onMessage);
          handle.subscriptions = forwarder.forward(options.bus, msg.subjects);
          handle.ready = true;
          resolve();
        } else if (msg.t === 'failed') {
          clearTimeout(timer);
          reject(new Error(`worker thread ${name} failed to start: ${msg.message}`));
        }
      };
      worker.on('message', onMessage);
      worker.once('error', (err) => {
        clearTimeout(timer);
        reject(new Error(`worker thread ${name} failed to start: ${err.message}`));
      });
    });

    worker.on('error', (err) => options.logger.error({ err, thread: name }, 'worker thread error'));
    worker.once('exit', (code) => {
      void this.onExit(index, roles, handle, code);
    });
  }

  private async onExit(
    index: number,
    roles: ThreadRole[],
    handle: ThreadHandle,
    code: number,
  ): Promise<void> {
    handle.ready = false;
    handle.forwarder?.close();
    await Promise.allSettled(handle.subscriptions.map((s) => s.drain()));
    for (const waiter of handle.metricsWaiters.values()) waiter([]);
    handle.metricsWaiters.clear();
    if (this.stopping || handle.stopped) return;
    this.options.logger.error({ thread: handle.name, code }, 'worker thread exited; starting it again');
    await new Promise((r) => setTimeout(r, RESTART_DELAY_MS));
    if (this.stopping) return;
    await this.spawn(index, roles).catch((err: unknown) =>
      this.options.logger.error({ err, thread: handle.name }, 'worker thread did not restart'),
    );
  }

  private threadMetrics(handle: ThreadHandle): Promise<ThreadMetrics> {
    if (!handle.ready || !handle.worker) return Promise.resolve([]);
    const id = (handle.nextMetricsId = (handle.nextMetricsId ?? 0) + 1);
    return new Promise<ThreadMetrics>((resolve) => {
      const timer = setTimeout(() => {
        handle.metricsWaiters.delete(id);
        resolve([]); // a busy or dying thread must not hold /metrics up
      }, 2000);
      handle.metricsWaiters.set(id, (m) => {
        clearTimeout(timer);
        resolve(m);
      });
      handle.worker!.postMessage({ t: 'metrics', id } satisfies ToThread);
    });
  }
}

interface ThreadHandle {
  worker?: Worker;
  name: string;
  ready: boolean;
  stopped?: boolean;
  forwarder?: ThreadForwarder;
  subscriptions: Subscription[];
  metricsWaiters: Map<number, (metrics: ThreadMetrics) => void>;
  nextMetricsId?: number;
}

/** Asks the thread to drain and stop; terminates it if it has not within the grace period. */
async function stopThread(handle: ThreadHandle): Promise<void> {
  const worker = handle.worker;
  if (!worker || handle.stopped) return;
  handle.stopped = true;
  // Stop taking new requests on the main bus first; those in flight still get their replies.
  await Promise.allSettled(handle.subscriptions.map((s) => s.drain()));
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => void worker.terminate().then(() => resolve()), 15_000);
    worker.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    worker.postMessage({ t: 'stop' } satisfies ToThread);
  });
  handle.forwarder?.close();
}

/**
 * The compiled thread entry. Beside this file when running from dist/; from src/ (ts-jest) the
 * build's copy, since a worker thread loads plain JavaScript.
 */
function workerScript(): string {
  const here = join(__dirname, 'worker-thread.js');
  return existsSync(here) ? here : join(__dirname, '../../dist/threads/worker-thread.js');
}
