import { Server, ServerCredentials, status, type ServerDuplexStream } from '@grpc/grpc-js';
import type { Logger } from '@sr/shared';
import type { Registry } from 'prom-client';
import type { HeaderValueField } from './headers';
import { createExtProcMetrics, type ExtProcMetrics } from './metrics';
import type { ExtProcPipeline } from './port';
import { extProcServiceDefinition, type ProcessingRequest, type ProcessingResponse } from './proto';
import { ExtProcSession, type StreamEnd } from './session';

export interface ExtProcServerOptions {
  pipeline: ExtProcPipeline;
  logger: Logger;
  registry: Registry;
  host: string;
  /** 0 picks a free port (tests); `port` tells which after `start()`. */
  port: number;
  maxBodyBytes: number;
  decisionTimeoutMs: number;
  /** Field our header values go out in; `raw_value` matches current Envoy (docs/extproc.md). */
  headerValueField?: HeaderValueField;
  /** How long `shutdown()` lets open streams finish before cancelling them. */
  shutdownGraceMs?: number;
}

/** Framing overhead allowed on top of the body limit for one gRPC message. */
const MESSAGE_OVERHEAD_BYTES = 64 * 1024;

/**
 * The Envoy ExtProc gRPC server: `envoy.service.ext_proc.v3.ExternalProcessor/Process`. One
 * `ExtProcSession` per stream; the server only wires gRPC events to it and tracks open streams
 * so shutdown can drain them.
 */
export class ExtProcServer {
  private readonly server: Server;
  private readonly sessions = new Set<ExtProcSession>();
  /** Post-answer work (cache stores) of finished streams, still running. */
  private readonly pending = new Set<Promise<void>>();
  private readonly metrics: ExtProcMetrics;
  private boundPort: number | undefined;

  constructor(private readonly opts: ExtProcServerOptions) {
    const maxMessage = opts.maxBodyBytes + MESSAGE_OVERHEAD_BYTES;
    this.server = new Server({
      'grpc.max_receive_message_length': maxMessage,
      'grpc.max_send_message_length': maxMessage,
    });
    this.metrics = createExtProcMetrics(opts.registry);
    this.server.addService(extProcServiceDefinition(), {
      Process: (call: ServerDuplexStream<ProcessingRequest, ProcessingResponse>) => this.onStream(call),
    });
  }

  /** Binds and serves; resolves with the bound port. */
  async start(): Promise<{ port: number }> {
    const address = `${this.opts.host.includes(':') ? `[${this.opts.host}]` : this.opts.host}:${this.opts.port}`;
    const port = await new Promise<number>((resolve, reject) => {
      this.server.bindAsync(address, ServerCredentials.createInsecure(), (err, bound) =>
        err
          ? reject(
              new Error(`ext_proc server could not listen on ${address}: ${err.message}`, { cause: err }),
            )
          : resolve(bound),
      );
    });
    this.boundPort = port;
    this.opts.logger.info({ port }, 'ext_proc gRPC server listening');
    return { port };
  }

  get port(): number {
    if (this.boundPort === undefined) throw new Error('ext_proc server not started');
    return this.boundPort;
  }

  get openStreams(): number {
    return this.sessions.size;
  }

  /** Resolves when the post-answer work (cache stores) of finished streams is done. */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  /**
   * Stops accepting streams, lets open ones finish for the grace period, then cancels the rest;
   * then waits (within the same grace) for their cache stores.
   */
  async shutdown(): Promise<void> {
    const grace = this.opts.shutdownGraceMs ?? 5_000;
    const deadline = Date.now() + grace;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        for (const s of this.sessions) s.cancel('server shutting down');
        this.sessions.clear();
        this.server.forceShutdown();
        resolve();
      }, grace);
      timer.unref();
      this.server.tryShutdown(() => {
        clearTimeout(timer);
        resolve();
      });
    });
    let timer: NodeJS.Timeout | undefined;
    const left = new Promise<void>(
      (resolve) => (timer = setTimeout(resolve, Math.max(0, deadline - Date.now()))),
    );
    await Promise.race([this.idle(), left]);
    clearTimeout(timer);
  }

  private onStream(call: ServerDuplexStream<ProcessingRequest, ProcessingResponse>): void {
    let open = true;
    const session = new ExtProcSession({
      pipeline: this.opts.pipeline,
      logger: this.opts.logger,
      metrics: this.metrics,
      headerValueField: this.opts.headerValueField ?? 'raw_value',
      maxBodyBytes: this.opts.maxBodyBytes,
      decisionTimeoutMs: this.opts.decisionTimeoutMs,
      send: (response) => {
        if (open) call.write(response);
      },
      end: (how: StreamEnd) => {
        if (!open) return;
        open = false;
        forget();
        if (how.ok) call.end();
        else call.emit('error', { code: status[how.grpcCode], details: how.message });
      },
    });
    const forget = (): void => {
      if (!this.sessions.delete(session)) return;
      this.metrics.activeStreams.dec();
      const work = session.settled;
      this.pending.add(work);
      void work.finally(() => this.pending.delete(work));
    };
    this.sessions.add(session);
    this.metrics.activeStreams.inc();

    call.on('data', (message: ProcessingRequest) => session.receive(message));
    call.on('end', () => session.endOfInput());
    call.on('cancelled', () => {
      open = false;
      session.cancel('stream cancelled by Envoy');
      forget();
    });
    call.on('close', () => {
      // The transport is gone (RST, deadline): whatever is still pending is abandoned.
      if (open) {
        open = false;
        session.cancel('stream closed');
      }
      forget();
    });
  }
}
