import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { Agent, errors as undiciErrors, request, type Dispatcher } from 'undici';
import type { Logger, RouterConfig } from '@sr/shared';
import type { GatewayMetrics } from '../metrics';
import type { Pipeline } from '../pipeline/pipeline';
import type { ForwardOutcome } from '../pipeline/types';
import { tracer } from '../pipeline/stages';
import { hostPort, type EndpointPool } from './pool';

export type UpstreamResult =
  | {
      status: 'ok';
      /** The target that answered (after retries it may differ from the first choice). */
      forward: ForwardOutcome;
      statusCode: number;
      headers: Record<string, string | string[] | undefined>;
      body: Dispatcher.ResponseData['body'];
      attempts: number;
    }
  | { status: 'failed'; code: 'UPSTREAM_UNAVAILABLE' | 'UPSTREAM_TIMEOUT'; message: string; attempts: number }
  | { status: 'aborted'; attempts: number };

export interface ForwarderDeps {
  pipeline: Pick<Pipeline, 'retarget'>;
  pool: EndpointPool;
  metrics: GatewayMetrics;
  logger: Logger;
  getConfig: () => RouterConfig;
}

/** Why one attempt failed before the first byte; every one of these may be retried elsewhere. */
type AttemptFailure = { kind: 'connect_error'; detail: string } | { kind: 'status'; statusCode: number };

/**
 * Sends forwarded requests upstream with undici. An attempt that fails before the first byte
 * (connect error, 429, 5xx) is retried on the model's next endpoint, then the next model of the
 * category, up to `upstream.retries` more times. Once bytes flow nothing is retried: the
 * client may already have them. The whole exchange, streaming included, is bounded by
 * `timeouts.upstreamMs`; the client's disconnect aborts it.
 */
export class UpstreamForwarder {
  private dispatcher: Agent;
  private connectMs: number;

  constructor(private readonly deps: ForwarderDeps) {
    this.connectMs = deps.getConfig().timeouts.upstreamConnectMs;
    this.dispatcher = this.agent();
  }

  private agent(): Agent {
    return new Agent({ connect: { timeout: this.connectMs }, keepAliveTimeout: 30_000, pipelining: 1 });
  }

  async send(first: ForwardOutcome, clientSignal: AbortSignal): Promise<UpstreamResult> {
    const config = this.deps.getConfig();
    if (config.timeouts.upstreamConnectMs !== this.connectMs) {
      // Config reloaded with a new connect timeout: new connections use it.
      const old = this.dispatcher;
      this.connectMs = config.timeouts.upstreamConnectMs;
      this.dispatcher = this.agent();
      void old.close().catch(() => undefined);
    }
    const deadline = AbortSignal.timeout(config.timeouts.upstreamMs);
    const signal = AbortSignal.any([clientSignal, deadline]);
    const tried = new Set<string>();
    let forward: ForwardOutcome | undefined = first;
    let attempts = 0;
    let last: AttemptFailure | undefined;
    while (forward && attempts <= config.upstream.retries) {
      const current: ForwardOutcome = forward;
      attempts++;
      tried.add(current.endpointUrl);
      const headers: Record<string, string> = {
        'content-type': 'application/json',
        accept: current.stream ? 'text/event-stream' : 'application/json',
        ...current.headers,
        ...current.upstreamHeaders,
      };
      // The upstream call is a CLIENT span of the request's trace; vLLM (or any OTel-aware
      // server) continues it from the injected `traceparent`.
      const parentCtx = current.context.traceContext ?? context.active();
      const span = tracer.startSpan(
        'semantic_router.upstream',
        {
          kind: SpanKind.CLIENT,
          attributes: {
            'gen_ai.request.model': current.model,
            'server.address': hostPort(current.endpointUrl),
          },
        },
        parentCtx,
      );
      propagation.inject(trace.setSpan(parentCtx, span), headers);
      try {
        const res = await request(chatUrl(current.endpointUrl), {
          method: 'POST',
          dispatcher: this.dispatcher,
          signal,
          headers,
          body: current.bodyBytes,
          headersTimeout: config.timeouts.upstreamMs,
          bodyTimeout: config.timeouts.upstreamMs,
        });
        span.setAttribute('http.response.status_code', res.statusCode);
        if (res.statusCode === 429 || res.statusCode >= 500) {
          span.setStatus({ code: SpanStatusCode.ERROR });
          await res.body.dump().catch(() => undefined);
          last = { kind: 'status', statusCode: res.statusCode };
          this.deps.metrics.upstreamAttempts.inc({
            model: current.model,
            outcome: res.statusCode === 429 ? 'status_429' : 'status_5xx',
          });
          // A 429 is the endpoint's admission control, not ill health: it does not count toward ejection.
          if (res.statusCode >= 500) this.failure(current);
          forward = this.deps.pipeline.retarget(current, tried);
          continue;
        }
        this.deps.pool.recordSuccess(current.endpointUrl);
        this.deps.metrics.upstreamAttempts.inc({ model: current.model, outcome: 'ok' });
        return {
          status: 'ok',
          forward: current,
          statusCode: res.statusCode,
          headers: res.headers,
          body: res.body,
          attempts,
        };
      } catch (err) {
        span.setStatus({ code: SpanStatusCode.ERROR });
        if (clientSignal.aborted) {
          this.deps.metrics.upstreamAttempts.inc({ model: current.model, outcome: 'aborted' });
          return { status: 'aborted', attempts };
        }
        if (deadline.aborted || err instanceof undiciErrors.HeadersTimeoutError) {
          this.deps.metrics.upstreamAttempts.inc({ model: current.model, outcome: 'timeout' });
          this.failure(current);
          return {
            status: 'failed',
            code: 'UPSTREAM_TIMEOUT',
            message: `model ${current.model} did not answer within ${config.timeouts.upstreamMs} ms`,
            attempts,
          };
        }
        last = { kind: 'connect_error', detail: (err as { code?: string }).code ?? (err as Error).name };
        this.deps.metrics.upstreamAttempts.inc({ model: current.model, outcome: 'connect_error' });
        this.failure(current);
        forward = this.deps.pipeline.retarget(current, tried);
      } finally {
        // Ends at the response headers (or the failure): TTFT and the body have their own metrics.
        span.end();
      }
    }
    const why = !last
      ? 'no endpoint to try'
      : last.kind === 'status'
        ? `last answer was HTTP ${last.statusCode}`
        : `last error was ${last.detail}`;
    return {
      status: 'failed',
      code: 'UPSTREAM_UNAVAILABLE',
      message: `no upstream answered after ${attempts} attempt(s): ${why}`,
      attempts,
    };
  }

  private failure(forward: ForwardOutcome): void {
    if (this.deps.pool.recordFailure(forward.endpointUrl)) {
      this.deps.metrics.ejections.inc({ model: forward.model });
      this.deps.logger.warn(
        { model: forward.model, endpoint: forward.endpoint },
        'upstream endpoint ejected',
      );
    }
  }

  /** Closes upstream connections. Called after the listener drained, so nothing is in flight. */
  async close(): Promise<void> {
    await this.dispatcher.destroy();
  }
}

/** `<base>/chat/completions`, base as configured (e.g. `http://host:8000/v1`). */
export function chatUrl(base: string): string {
  return `${base.replace(/\/+$/, '')}/chat/completions`;
}
