import { context } from '@opentelemetry/api';
import {
  cacheStore,
  call,
  CachedCompletion,
  errorCodeOf,
  type Bus,
  type Logger,
  type RouterConfig,
} from '@sr/shared';
import type { GatewayMetrics } from '../metrics';
import { SseParser, sseFrame } from '../sse/parser';
import { StreamReassembler, type Usage } from '../sse/reassemble';
import { PlaceholderRestorer } from '../sse/restore';
import { headerValue } from './auth';
import { tracer } from './stages';
import type { ForwardOutcome, IncomingHeaders, ResponseHandler } from './types';

export interface ResponseDeps {
  bus: Bus;
  getConfig: () => RouterConfig;
  logger: Logger;
  metrics: GatewayMetrics;
}

const encoder = new TextEncoder();
const EMPTY = new Uint8Array(0);

/**
 * The response side of one forwarded request. Create it just before the request goes upstream
 * (time to first token counts from then). SSE bodies pass through chunk by chunk (rewritten
 * event by event only when PII placeholders must be restored); JSON bodies pass through as they
 * come unless they need restoring, then they are rewritten whole at the end.
 */
/** The final event `include_usage` adds: no choices, only usage. */
function isUsageOnly(data: string): boolean {
  if (!data.includes('"usage"')) return false;
  try {
    const chunk = JSON.parse(data) as { choices?: unknown[]; usage?: unknown };
    return Array.isArray(chunk.choices) && chunk.choices.length === 0 && !!chunk.usage;
  } catch {
    return false;
  }
}

export function createResponseHandler(
  forward: ForwardOutcome,
  deps: ResponseDeps,
  sentAt: number = performance.now(),
): ResponseHandler {
  const ctx = forward.context;
  const model = ctx.model;
  const t0 = sentAt;
  let firstByteAt: number | undefined;
  let status = 200;
  let sse = forward.stream;
  let finished = false;
  const jsonChunks: Uint8Array[] = [];
  const parser = new SseParser();
  const reassembler = new StreamReassembler();
  const restorers = new Map<number, PlaceholderRestorer>();
  const restore = ctx.restore && Object.keys(ctx.restore).length > 0 ? ctx.restore : undefined;
  let resolveSettled!: () => void;
  const settled = new Promise<void>((r) => (resolveSettled = r));

  const restorerFor = (index: number) => {
    let r = restorers.get(index);
    if (!r) {
      r = new PlaceholderRestorer(restore!);
      restorers.set(index, r);
    }
    return r;
  };

  /** Rewrites one SSE event's data with placeholders restored in its content deltas. */
  const rewriteEvent = (data: string): string => {
    if (data.trim() === '[DONE]') return data;
    try {
      const chunk = JSON.parse(data) as {
        choices?: Array<{ index?: number; delta?: { content?: unknown }; finish_reason?: unknown }>;
      };
      for (const c of chunk.choices ?? []) {
        const r = restorerFor(c.index ?? 0);
        if (c.delta && typeof c.delta.content === 'string') c.delta.content = r.push(c.delta.content);
        if (c.finish_reason) {
          const rest = r.flush();
          if (rest)
            c.delta = {
              ...c.delta,
              content: `${typeof c.delta?.content === 'string' ? c.delta.content : ''}${rest}`,
            };
        }
      }
      return JSON.stringify(chunk);
    } catch {
      return data;
    }
  };

  const handleSse = (chunk: Uint8Array, end: boolean): Uint8Array => {
    const events = parser.push(chunk);
    if (end) events.push(...parser.end());
    for (const e of events) reassembler.add(e);
    if (!restore && !ctx.stripUsage) return chunk;
    // Re-framed event by event: the router's own usage event dropped, placeholders restored.
    const kept = ctx.stripUsage ? events.filter((e) => !isUsageOnly(e)) : events;
    return kept.length
      ? encoder.encode(kept.map((e) => sseFrame(restore ? rewriteEvent(e) : e)).join(''))
      : EMPTY;
  };

  const handleJson = (chunk: Uint8Array, end: boolean): Uint8Array => {
    if (chunk.byteLength) jsonChunks.push(chunk);
    if (!restore || status < 200 || status >= 300) return chunk;
    if (!end) return EMPTY;
    const whole = Buffer.concat(jsonChunks).toString('utf8');
    try {
      const parsed = JSON.parse(whole) as { choices?: Array<{ message?: { content?: unknown } }> };
      for (const c of parsed.choices ?? [])
        if (c.message && typeof c.message.content === 'string')
          c.message.content = new PlaceholderRestorer(restore).restoreAll(c.message.content);
      return encoder.encode(JSON.stringify(parsed));
    } catch {
      return Buffer.from(whole, 'utf8');
    }
  };

  const finish = async (): Promise<void> => {
    const elapsed = (performance.now() - t0) / 1000;
    const statusClass = `${Math.floor(status / 100)}xx`;
    deps.metrics.upstreamLatency.observe({ model, status: statusClass }, elapsed);
    if (status < 200 || status >= 300) return;
    let completion: CachedCompletion | undefined;
    let usage: Usage | undefined;
    if (sse) {
      const result = reassembler.result();
      if (result.status === 'complete') {
        completion = result.completion;
        usage = result.usage;
      } else
        deps.logger.debug({ requestId: ctx.requestId, reason: result.reason }, 'streamed answer incomplete');
    } else {
      try {
        const parsed = CachedCompletion.safeParse(JSON.parse(Buffer.concat(jsonChunks).toString('utf8')));
        if (parsed.success) {
          completion = parsed.data;
          usage = parsed.data.usage as Usage | undefined;
        }
      } catch {
        /* not JSON: nothing to measure or store */
      }
    }
    recordUsage(usage, elapsed);
    if (!completion || !ctx.cacheStore) {
      deps.metrics.cacheStores.inc({ outcome: ctx.cacheStore ? 'not_cacheable' : 'skipped' });
      return;
    }
    const config = deps.getConfig();
    const parent = ctx.traceContext ?? context.active();
    await tracer.startActiveSpan('semantic_router.cache_store', {}, parent, async (span) => {
      const start = performance.now();
      try {
        const reply = await call(
          deps.bus,
          cacheStore,
          { ...ctx.cacheStore!, response: completion, ttlSeconds: config.cache.ttlSeconds },
          { timeoutMs: config.timeouts.cacheStoreMs, requestId: ctx.requestId },
        );
        deps.metrics.cacheStores.inc({ outcome: reply.status });
        deps.metrics.stageLatency.observe(
          { stage: 'cache_store', outcome: 'ok' },
          (performance.now() - start) / 1000,
        );
      } catch (err) {
        const code = errorCodeOf(err);
        deps.metrics.cacheStores.inc({ outcome: 'error' });
        deps.metrics.stageLatency.observe(
          { stage: 'cache_store', outcome: code },
          (performance.now() - start) / 1000,
        );
        deps.logger.warn({ requestId: ctx.requestId, code }, 'cache store failed');
      } finally {
        span.end();
      }
    });
  };

  const recordUsage = (usage: Usage | undefined, elapsedSeconds: number) => {
    const span = tracer.startSpan(
      'semantic_router.response',
      { attributes: { 'gen_ai.request.model': model, 'http.response.status_code': status } },
      ctx.traceContext,
    );
    if (usage) {
      const prompt = usage.prompt_tokens ?? 0;
      const completion = usage.completion_tokens ?? 0;
      deps.metrics.tokens.inc({ model, kind: 'prompt' }, prompt);
      deps.metrics.tokens.inc({ model, kind: 'completion' }, completion);
      span.setAttributes({ 'gen_ai.usage.input_tokens': prompt, 'gen_ai.usage.output_tokens': completion });
      const pricing = deps.getConfig().models.find((m) => m.name === model)?.pricing;
      if (pricing)
        deps.metrics.cost.inc(
          { model, currency: pricing.currency },
          (prompt * pricing.promptPer1M + completion * pricing.completionPer1M) / 1_000_000,
        );
      if (completion > 1 && firstByteAt !== undefined) {
        const generation = elapsedSeconds - (firstByteAt - t0) / 1000;
        deps.metrics.tpot.observe({ model }, Math.max(0, generation) / (completion - 1));
      }
    }
    span.end();
  };

  return {
    onHeaders(upstreamStatus: number, headers: IncomingHeaders) {
      status = upstreamStatus;
      const type = headerValue(headers, 'content-type') ?? '';
      sse = type.toLowerCase().includes('text/event-stream');
      return { sse, setHeaders: { ...forward.headers } };
    },
    onBody(chunk: Uint8Array, end: boolean): Uint8Array {
      if (finished) return chunk;
      if (firstByteAt === undefined && chunk.byteLength > 0) {
        firstByteAt = performance.now();
        deps.metrics.ttft.observe({ model }, (firstByteAt - t0) / 1000);
      }
      const out = sse ? handleSse(chunk, end) : handleJson(chunk, end);
      if (end) {
        finished = true;
        finish()
          .catch((err: unknown) =>
            deps.logger.warn({ err, requestId: ctx.requestId }, 'response finish failed'),
          )
          .finally(resolveSettled);
      }
      return out;
    },
    onAbort(reason: string) {
      if (finished) return;
      finished = true;
      deps.logger.debug({ requestId: ctx.requestId, reason }, 'response aborted');
      deps.metrics.cacheStores.inc({ outcome: 'not_cacheable' });
      resolveSettled();
    },
    settled,
  };
}
