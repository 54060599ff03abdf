import type { Context as TraceContext } from '@opentelemetry/api';
import type {
  CacheLookupReply,
  ChatCompletionRequest,
  ClassifyReply,
  GuardCheckReply,
  ModelConfig,
} from '@sr/shared';

/** Request headers as both transports see them: lower-case names. */
export type IncomingHeaders = Record<string, string | string[] | undefined>;

/** What a transport hands the pipeline for one chat completion request. */
export interface PipelineRequest {
  /** The raw request body bytes, as received (the pipeline checks size, UTF-8, JSON and shape). */
  body: Uint8Array;
  headers: IncomingHeaders;
  /** Aborted when the client goes away; pending bus calls are abandoned. */
  signal?: AbortSignal;
  /** Which transport asked (labels metrics and spans). */
  transport: 'http' | 'extproc';
}

/** Why a stage's result is what it is, for the decision trace and metrics. */
export type StageOutcome<T> =
  | { status: 'ok'; value: T; ms: number }
  | { status: 'skipped'; reason: string }
  | { status: 'failed'; code: string; message: string; ms: number };

export interface StageResults {
  guard: StageOutcome<GuardCheckReply>;
  classify: StageOutcome<ClassifyReply>;
  cache: StageOutcome<CacheLookupReply>;
}

/** The whole decision, returned with `x-semantic-router-debug: true`. Never contains prompt text. */
export interface DecisionTrace {
  requestId: string;
  requestedModel: string;
  auto: boolean;
  tenant: string;
  stages: {
    guard: TraceStage;
    classify: TraceStage;
    cache: TraceStage;
  };
  signals?: { domain?: unknown; intent?: unknown; custom?: unknown };
  category?: { name: string; signal: string; score: number } | null;
  candidates?: Array<{ model: string; score: number; eligible: boolean; why?: string }>;
  selectedModel?: string;
  reasoning?: { enabled: boolean; family?: string; effort?: string };
  pii?: { types: string[]; action: string; targetModel?: string };
  jailbreak?: { status: string; score: number; threshold: number };
  tools?: { before: number; after: number; reason: string };
  systemPrompt?: 'replace' | 'insert' | 'none';
  cache?: { status: 'hit' | 'miss' | 'skipped'; kind?: string; similarity?: number; reason?: string };
  blocked?: string;
  totalMs?: number;
}

export interface TraceStage {
  status: 'ok' | 'skipped' | 'failed';
  ms?: number;
  code?: string;
  reason?: string;
}

/**
 * What the response side needs to know about a forwarded request: where it went, what to
 * store in the cache, what to restore in the answer.
 */
export interface ResponseContext {
  requestId: string;
  tenant: string;
  /** Bounded tenant label for metrics. */
  tenantLabel: string;
  /** When the request was forwarded (ms since epoch): TTFT and latency count from here. */
  startedAt: number;
  stream: boolean;
  /** The chosen model (config name) and the category that chose it. */
  model: string;
  category: string | undefined;
  /** The cache entry to write when the answer is complete and cacheable; undefined: do not store. */
  cacheStore:
    | {
        scope: string;
        exactKey: string;
        query: string;
        category?: string;
        tenant: string;
        model: string;
      }
    | undefined;
  /** OpenTelemetry context of the request span; response-side spans are its children. */
  traceContext?: TraceContext;
  /** The router added `stream_options.include_usage`: drop the usage-only event from the client's stream. */
  stripUsage?: boolean;
  /** Placeholder → original value, to put back into the answer (PII redact with restoreInResponse). */
  restore: Record<string, string> | undefined;
}

/** The request goes on to a model: mutate the body (ExtProc) or send it (HTTP). */
export interface ForwardOutcome {
  kind: 'forward';
  /** The mutated request body (model rewritten to the upstream model name). */
  body: ChatCompletionRequest;
  /** `body` serialised, ready to send. */
  bodyBytes: Uint8Array;
  /** The chosen model's config name. */
  model: string;
  /** Chosen endpoint, `host:port` (for Envoy's `x-gateway-destination-endpoint`). */
  endpoint: string;
  /** Chosen endpoint's base URL (e.g. `http://10.0.0.5:8000/v1`). */
  endpointUrl: string;
  /** Headers to add to the upstream request and to the client's response (`x-selected-model`, …). */
  headers: Record<string, string>;
  /** Headers to send upstream only (Authorization from `apiKeyEnv`). Never echoed to clients. */
  upstreamHeaders: Record<string, string>;
  /** Models to fall back to, in order, when the chosen one fails before the first byte (HTTP mode). */
  fallbackModels: string[];
  stream: boolean;
  trace: DecisionTrace;
  context: ResponseContext;
}

/** The gateway answers itself: a block, a cache hit, an error. */
export interface RespondOutcome {
  kind: 'respond';
  status: number;
  headers: Record<string, string>;
  /** JSON body (when not SSE). */
  body?: unknown;
  /** SSE frames, each a complete `data: …\n\n` event, the last `data: [DONE]\n\n`. */
  sse?: string[];
  trace: DecisionTrace;
}

export type PipelineOutcome = ForwardOutcome | RespondOutcome;

/** The response side for one forwarded request (Envoy response phases or the HTTP proxy). */
export interface ResponseHandler {
  /**
   * Upstream response headers arrived. Returns headers to add to the client's response, and
   * whether the body is SSE (ExtProc switches Envoy to STREAMED then).
   */
  onHeaders(status: number, headers: IncomingHeaders): { sse: boolean; setHeaders: Record<string, string> };
  /**
   * A piece of the body. Returns the bytes to pass on in its place (PII placeholders restored);
   * may be empty when bytes are held back (a placeholder split across chunks, or a JSON body
   * that needs rewriting as a whole). With `end` true everything held back is returned, and
   * the answer is measured and stored in the cache when cacheable.
   */
  onBody(chunk: Uint8Array, end: boolean): Uint8Array;
  /** The exchange ended without a complete answer (client gone, upstream reset). Nothing is stored. */
  onAbort(reason: string): void;
  /** Resolves when the post-answer work (cache store) finished; for tests and graceful shutdown. */
  readonly settled: Promise<void>;
}

export type ModelLookup = (name: string) => ModelConfig | undefined;
