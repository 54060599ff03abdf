import {
  context as otelContext,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
} from '@opentelemetry/api';
import {
  cacheScope,
  ERROR_CATALOGUE,
  exactCacheKey,
  lastUserIndex,
  messageText,
  toOpenAIError,
  type Bus,
  type ChatCompletionRequest,
  type ErrorCode,
  type Logger,
  type ModelConfig,
  type RouterConfig,
} from '@sr/shared';
import { decide } from '../decision/decide';
import { findModel } from '../decision/models';
import { applyReasoning, clearReasoning, cloneBody } from '../decision/mutate';
import { blockAnswer } from '../decision/respond';
import type { GatewayMetrics } from '../metrics';
import { replayAsSse } from '../sse/replay';
import type { EndpointPool } from '../upstream/pool';
import { Authenticator, type AuthResult } from './auth';
import { classifyTexts, type ClassifyApiResult } from './classify-api';
import { cacheControl, GATEWAY_HEADERS, headerJson, headerToken, requestIdFrom, wantsDebug } from './headers';
import { fanOut } from './fan-out';
import { parseChatRequest } from './parse';
import { emptyTrace, fillTrace } from './trace';
import { createResponseHandler } from './response';
import { round, traceStage, tracer } from './stages';
import type {
  DecisionTrace,
  ForwardOutcome,
  IncomingHeaders,
  PipelineOutcome,
  PipelineRequest,
  RespondOutcome,
  ResponseContext,
  ResponseHandler,
} from './types';

export interface PipelineDeps {
  /** The running config (re-read per request, so hot reloads apply to the next request). */
  getConfig: () => RouterConfig;
  bus: Bus;
  logger: Logger;
  metrics: GatewayMetrics;
  pool: EndpointPool;
  env?: NodeJS.ProcessEnv;
}

/** The transport-independent request/response pipeline both the HTTP proxy and ExtProc call. */
export interface Pipeline {
  /** Request side: checks, fan-out (guard, classify, cache lookup), decision. Never throws. */
  handle(request: PipelineRequest): Promise<PipelineOutcome>;
  /**
   * Response side of a forwarded request: restores PII, measures, stores in the cache.
   * `sentAt` (a `performance.now()` value, default now) is when the request went upstream:
   * time to first token counts from it.
   */
  responseFor(forward: ForwardOutcome, options?: { sentAt?: number }): ResponseHandler;
  /** The tenant for a request's headers (or why it is refused). */
  authenticate(headers: IncomingHeaders): AuthResult;
  /** An OpenAI-shaped error answer (for transports' own errors: 404 path, 405, 413 while reading). */
  errorOutcome(
    code: ErrorCode,
    message: string,
    options?: { requestId?: string; param?: string | null },
  ): RespondOutcome;
  /** `GET /v1/models`. */
  listModels(): {
    object: 'list';
    data: Array<{ id: string; object: 'model'; created: number; owned_by: string }>;
  };
  /** `POST /api/v1/classify`: every signal, PII spans and jailbreak score per text. */
  classifyTexts(input: unknown, requestId: string): Promise<ClassifyApiResult>;
  /** Picks another endpoint/model for a forward whose attempt failed before the first byte (HTTP retries). */
  retarget(forward: ForwardOutcome, tried: ReadonlySet<string>): ForwardOutcome | undefined;
}

export function createPipeline(deps: PipelineDeps): Pipeline {
  let authConfig: RouterConfig['auth'] | undefined;
  let authenticator: Authenticator | undefined;
  const auth = (config: RouterConfig) => {
    if (config.auth !== authConfig) {
      authConfig = config.auth;
      authenticator = new Authenticator(config.auth, deps.env);
    }
    return authenticator!;
  };

  function errorOutcome(
    code: ErrorCode,
    message: string,
    options: { requestId?: string; param?: string | null; trace?: DecisionTrace } = {},
  ): RespondOutcome {
    const requestId = options.requestId ?? requestIdFrom({});
    const status = errorStatus(code);
    return {
      kind: 'respond',
      status,
      headers: { [GATEWAY_HEADERS.requestId]: requestId },
      body: toOpenAIError(code, message, options.param ?? null),
      trace: options.trace ?? emptyTrace(requestId),
    };
  }

  async function handle(request: PipelineRequest): Promise<PipelineOutcome> {
    // Continue the caller's trace (`traceparent` from the client or Envoy) when it sends one.
    const parent = propagation.extract(ROOT_CONTEXT, request.headers);
    return tracer.startActiveSpan(
      'semantic_router.request',
      { kind: SpanKind.SERVER },
      parent,
      async (span) => {
        try {
          const outcome = await handleInner(request);
          span.setAttribute('semantic_router.outcome', outcome.kind);
          if (outcome.kind === 'forward') {
            span.setAttribute('gen_ai.request.model', outcome.model);
            if (outcome.trace.category)
              span.setAttribute('semantic_router.category', outcome.trace.category.name);
          } else {
            span.setAttribute('http.response.status_code', outcome.status);
            if (outcome.trace.blocked) span.setAttribute('semantic_router.blocked', outcome.trace.blocked);
            if (outcome.trace.cache?.status === 'hit') span.setAttribute('semantic_router.cache_hit', true);
          }
          return outcome;
        } catch (err) {
          // A bug, not an expected outcome: answer 500 rather than leave the client hanging.
          span.setStatus({ code: SpanStatusCode.ERROR });
          deps.logger.error({ err }, 'pipeline failed');
          return errorOutcome('INTERNAL', 'internal error in the router', {
            requestId: requestIdFrom(request.headers),
          });
        } finally {
          span.end();
        }
      },
    );
  }

  async function handleInner(request: PipelineRequest): Promise<PipelineOutcome> {
    const started = performance.now();
    const config = deps.getConfig();
    const requestId = requestIdFrom(request.headers);
    const debug = wantsDebug(request.headers);
    const log = deps.logger.child({ requestId });
    const trace = emptyTrace(requestId);
    const baseHeaders: Record<string, string> = { [GATEWAY_HEADERS.requestId]: requestId };
    const count = (
      decision: string,
      labels: { category?: string; model?: string; reason?: string; tenant: string },
    ) =>
      deps.metrics.requests.inc({
        transport: request.transport,
        decision,
        category: labels.category ?? 'none',
        model: labels.model ?? 'none',
        reason: labels.reason ?? 'none',
        tenant: labels.tenant,
      });
    const fail = (code: ErrorCode, message: string, tenant: string, param: string | null = null) => {
      count('error', { reason: code.toLowerCase(), tenant });
      const out = errorOutcome(code, message, { requestId, param, trace });
      if (debug) out.headers[GATEWAY_HEADERS.decision] = headerJson(trace);
      return out;
    };

    const who = auth(config).authenticate(request.headers);
    if (who.status === 'denied') return fail('UNAUTHORIZED', who.message, 'anonymous');
    trace.tenant = who.label;

    const parsed = parseChatRequest(request.body, config.limits.maxBodyBytes);
    if (parsed.status === 'error') return fail(parsed.code, parsed.message, who.label, parsed.param);
    const body = parsed.request;
    const stream = body.stream === true;
    const auto = config.autoModelNames.includes(body.model);
    trace.requestedModel = body.model;
    trace.auto = auto;
    let explicitModel: ModelConfig | undefined;
    if (!auto) {
      explicitModel = findModel(config, body.model);
      if (!explicitModel)
        return fail(
          'MODEL_NOT_FOUND',
          `model '${body.model}' is not configured; use ${config.autoModelNames.map((n) => `'${n}'`).join(' or ')} or one of GET /v1/models`,
          who.label,
          'model',
        );
    }

    // ---- fan-out: guard, classify and cache lookup run concurrently ----
    const query = lastUserText(body);
    const control = cacheControl(request.headers);
    const cacheable = config.cache.enabled && body.cache !== false && query !== undefined;
    const scope =
      query !== undefined
        ? cacheScope({ tenant: who.tenant, model: body.model, messages: body.messages, tools: body.tools })
        : undefined;
    const exactKey = scope !== undefined && query !== undefined ? exactCacheKey(scope, query) : undefined;
    const { guard, classified, cached } = await fanOut({
      config,
      bus: deps.bus,
      metrics: deps.metrics,
      body,
      auto,
      requestId,
      cache:
        cacheable && !control.noCache && scope && exactKey
          ? { scope, exactKey, query: query! }
          : {
              skip: !config.cache.enabled
                ? 'cache disabled'
                : control.noCache
                  ? 'cache-control: no-cache'
                  : body.cache === false
                    ? 'cache: false'
                    : 'no user message',
            },
    });
    trace.stages = { guard: traceStage(guard), classify: traceStage(classified), cache: traceStage(cached) };

    // ---- failure policies ----
    // Too large for the bus is the request's size against an operator limit, not a worker outage:
    // answer 413 naming both limits whatever the failure policies say (nothing could inspect it).
    const oversized = [guard, classified, cached].find(
      (s) => s.status === 'failed' && s.code === 'BUS_PAYLOAD_TOO_LARGE',
    );
    if (oversized?.status === 'failed') {
      log.warn({ code: oversized.code }, 'request too large for the bus');
      return fail('BUS_PAYLOAD_TOO_LARGE', oneLine(oversized.message), who.label);
    }
    if (guard.status === 'failed') {
      const closed =
        (config.guards.jailbreak.enabled && config.guards.jailbreak.failurePolicy === 'closed') ||
        (config.guards.pii.enabled && config.guards.pii.failurePolicy === 'closed');
      log.warn({ code: guard.code, closed }, 'guard unavailable');
      if (closed)
        return fail(
          'GUARD_UNAVAILABLE',
          `the guard did not answer (${guard.code}: ${oneLine(guard.message)}); refusing under fail-closed policy`,
          who.label,
        );
    }
    if (classified.status === 'failed') {
      log.warn({ code: classified.code }, 'classifier unavailable, routing to the default model');
      if (config.classifierFailurePolicy === 'closed')
        return fail(
          classified.code as ErrorCode,
          `the classifier did not answer (${classified.code}: ${oneLine(classified.message)})`,
          who.label,
        );
    }
    if (cached.status === 'failed') {
      log.warn({ code: cached.code }, 'cache lookup failed, treating as a miss');
      if (config.cache.failurePolicy === 'closed')
        return fail(
          cached.code as ErrorCode,
          `the cache did not answer (${cached.code}: ${oneLine(cached.message)})`,
          who.label,
        );
    }
    deps.metrics.cache.inc({
      outcome:
        cached.status === 'ok' ? cached.value.status : cached.status === 'failed' ? 'error' : 'skipped',
    });

    // ---- decide ----
    const decideStart = performance.now();
    const decision = decide({
      config,
      request: body,
      explicitModel,
      guard: guard.status === 'ok' ? guard.value : undefined,
      classify: classified.status === 'ok' ? classified.value : undefined,
      cache: cached.status === 'ok' ? cached.value : undefined,
      // ExtProc passes Envoy's bytes through untouched when it can, so only the HTTP proxy asks.
      streamUsage: request.transport === 'http',
    });
    deps.metrics.stageLatency.observe(
      { stage: 'decision', outcome: 'ok' },
      (performance.now() - decideStart) / 1000,
    );
    fillTrace(trace, decision, classified.status === 'ok' ? classified.value : undefined);
    trace.totalMs = round(performance.now() - started);
    deps.metrics.decisionLatency.observe(
      { transport: request.transport },
      (performance.now() - started) / 1000,
    );
    const categoryName = decision.category?.category.name;
    const headers = { ...baseHeaders };
    if (categoryName) headers[GATEWAY_HEADERS.category] = headerToken(categoryName);
    const withDebug = <T extends { headers: Record<string, string> }>(out: T): T => {
      if (debug) out.headers[GATEWAY_HEADERS.decision] = headerJson(trace);
      return out;
    };

    if (decision.kind === 'block') {
      deps.metrics.blocks.inc({ reason: decision.reason });
      count('blocked', { category: categoryName, reason: decision.reason, tenant: who.label });
      log.info({ reason: decision.reason, category: categoryName }, 'request blocked');
      headers[GATEWAY_HEADERS.blocked] = decision.reason;
      headers[GATEWAY_HEADERS.cache] = 'miss';
      const answer = blockAnswer({
        mode: config.guards.blockResponse,
        code: decision.code,
        message: decision.message,
        model: 'semantic-router',
      });
      if (answer.status === 200 && stream)
        return withDebug(sseOutcome(200, headers, replayAsSse(answer.body, { pieces: 1 }), trace));
      return withDebug<RespondOutcome>({
        kind: 'respond',
        status: answer.status,
        headers,
        body: answer.body,
        trace,
      });
    }

    if (decision.kind === 'cache-hit') {
      count('cache_hit', { category: categoryName, tenant: who.label });
      headers[GATEWAY_HEADERS.cache] = 'hit';
      headers[GATEWAY_HEADERS.cacheSimilarity] = decision.similarity.toFixed(4);
      if (stream) return withDebug(sseOutcome(200, headers, replayAsSse(decision.completion), trace));
      return withDebug<RespondOutcome>({
        kind: 'respond',
        status: 200,
        headers,
        body: decision.completion,
        trace,
      });
    }

    const endpoint = deps.pool.pick(decision.model);
    if (!endpoint)
      return fail('UPSTREAM_UNAVAILABLE', `model ${decision.model.name} has no endpoint`, who.label);
    headers[GATEWAY_HEADERS.selectedModel] = decision.model.name;
    headers[GATEWAY_HEADERS.destination] = endpoint.hostPort;
    headers[GATEWAY_HEADERS.reasoning] = decision.reasoning.enabled ? 'on' : 'off';
    headers[GATEWAY_HEADERS.cache] = 'miss';
    if (decision.flagged) headers[GATEWAY_HEADERS.jailbreak] = 'flagged';
    count('routed', { category: categoryName, model: decision.model.name, tenant: who.label });
    log.debug({ model: decision.model.name, category: categoryName, endpoint: endpoint.hostPort }, 'routed');

    const noStore =
      !cacheable ||
      control.noStore ||
      control.noCache ||
      decision.piiTypes.length > 0 ||
      (typeof body.temperature === 'number' && body.temperature > config.cache.maxTemperature) ||
      decision.category?.category.cache.enabled === false;
    const context: ResponseContext = {
      requestId,
      tenant: who.tenant,
      tenantLabel: who.label,
      startedAt: Date.now(),
      // The request span's context: the response side's spans join the same trace.
      traceContext: otelContext.active(),
      stream,
      model: decision.model.name,
      category: categoryName,
      cacheStore:
        noStore || !scope || !exactKey
          ? undefined
          : {
              scope,
              exactKey,
              query: query!,
              ...(categoryName ? { category: categoryName } : {}),
              tenant: who.tenant,
              model: decision.model.name,
            },
      restore: decision.restore,
      stripUsage: decision.usageAdded,
    };
    const bodyBytes = new TextEncoder().encode(JSON.stringify(decision.body));
    return withDebug({
      kind: 'forward',
      body: decision.body,
      bodyBytes,
      model: decision.model.name,
      endpoint: endpoint.hostPort,
      endpointUrl: endpoint.url,
      headers,
      upstreamHeaders: upstreamHeaders(decision.model, deps.env ?? process.env),
      fallbackModels: decision.fallbackModels,
      stream,
      trace,
      context,
    } satisfies ForwardOutcome);
  }

  function retarget(forward: ForwardOutcome, tried: ReadonlySet<string>): ForwardOutcome | undefined {
    const config = deps.getConfig();
    const models = [forward.model, ...forward.fallbackModels];
    for (const name of models) {
      const model = findModel(config, name);
      if (!model) continue;
      const endpoint = deps.pool.pick(model, tried);
      if (!endpoint) continue;
      if (name === forward.model)
        return {
          ...forward,
          endpoint: endpoint.hostPort,
          endpointUrl: endpoint.url,
          headers: { ...forward.headers, [GATEWAY_HEADERS.destination]: endpoint.hostPort },
        };
      // Another model: its name upstream, and its own reasoning switch for this category.
      const body = cloneBody(forward.body);
      const previous = findModel(config, forward.model);
      clearReasoning(body, config.reasoningFamilies, previous?.reasoningFamily);
      const score = config.categories
        .find((c) => c.name === forward.context.category)
        ?.modelScores.find((s) => s.model === model.name);
      const reasoning = forward.trace.auto
        ? applyReasoning(body, {
            families: config.reasoningFamilies,
            family: model.reasoningFamily,
            enabled: score?.useReasoning ?? false,
            effort: score?.reasoningEffort,
            defaultEffort: config.defaultReasoningEffort,
          })
        : { enabled: false };
      body.model = model.upstreamModel ?? model.name;
      return {
        ...forward,
        body,
        bodyBytes: new TextEncoder().encode(JSON.stringify(body)),
        model: model.name,
        endpoint: endpoint.hostPort,
        endpointUrl: endpoint.url,
        headers: {
          ...forward.headers,
          [GATEWAY_HEADERS.selectedModel]: model.name,
          [GATEWAY_HEADERS.destination]: endpoint.hostPort,
          [GATEWAY_HEADERS.reasoning]: reasoning.enabled ? 'on' : 'off',
        },
        upstreamHeaders: upstreamHeaders(model, deps.env ?? process.env),
        fallbackModels: models.slice(models.indexOf(name) + 1),
        context: {
          ...forward.context,
          model: model.name,
          cacheStore: forward.context.cacheStore && { ...forward.context.cacheStore, model: model.name },
        },
      };
    }
    return undefined;
  }

  function listModels() {
    const config = deps.getConfig();
    const created = 0;
    const ids = [
      ...config.autoModelNames,
      ...(config.listConfiguredModels ? config.models.map((m) => m.name) : []),
    ];
    return {
      object: 'list' as const,
      data: [...new Set(ids)].map((id) => ({
        id,
        object: 'model' as const,
        created,
        owned_by: 'semantic-router',
      })),
    };
  }

  return {
    handle,
    responseFor: (forward) =>
      createResponseHandler(forward, {
        bus: deps.bus,
        getConfig: deps.getConfig,
        logger: deps.logger,
        metrics: deps.metrics,
      }),
    authenticate: (headers) => auth(deps.getConfig()).authenticate(headers),
    errorOutcome: (code, message, options = {}) => errorOutcome(code, message, options),
    listModels,
    retarget,
    classifyTexts: (input, requestId) =>
      classifyTexts({ bus: deps.bus, config: deps.getConfig(), metrics: deps.metrics }, input, requestId),
  };
}

function errorStatus(code: ErrorCode): number {
  return ERROR_CATALOGUE[code]?.status ?? 500;
}

/** Bus error messages name subjects and causes, never prompt text; kept short for the client. */
function oneLine(message: string): string {
  return message.replace(/\s+/g, ' ').slice(0, 200);
}

function lastUserText(body: ChatCompletionRequest): string | undefined {
  const i = lastUserIndex(body.messages);
  return i >= 0 ? messageText(body.messages[i]!) : undefined;
}

function upstreamHeaders(model: ModelConfig, env: NodeJS.ProcessEnv): Record<string, string> {
  const key = model.apiKeyEnv ? env[model.apiKeyEnv] : undefined;
  return key ? { authorization: `Bearer ${key}` } : {};
}

function sseOutcome(
  status: number,
  headers: Record<string, string>,
  sse: string[],
  trace: DecisionTrace,
): RespondOutcome {
  return { kind: 'respond', status, headers: { ...headers }, sse, trace };
}
