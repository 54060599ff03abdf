import { isIP } from 'node:net';
import { errorCodeOf, type ErrorCode, type Logger } from '@sr/shared';
import type { ForwardOutcome, IncomingHeaders, ResponseHandler } from '../pipeline/types';
import { firstHeader, headerMapToRecord, headerMutation, type HeaderValueField } from './headers';
import type { ExtProcMetrics, StreamOutcome } from './metrics';
import type { ExtProcPipeline } from './port';
import type {
  BodySendMode,
  CommonResponse,
  HttpBody,
  HttpHeaders,
  ProcessingRequest,
  ProcessingRequestKind,
  ProcessingResponse,
} from './proto';
import {
  continueRequestBody,
  continueRequestHeaders,
  continueResponseBody,
  continueResponseHeaders,
  emptyTrailers,
  immediateError,
  immediateResponse,
} from './responses';

/**
 * Where a stream is in Envoy's conversation. Envoy sends, for one HTTP exchange: request
 * headers → request body (BUFFERED: one message) → [we answer] → response headers → response
 * body (one message, or chunks after our STREAMED override). Anything else is a protocol error.
 */
type Phase =
  'start' | 'request-body' | 'deciding' | 'forwarded' | 'passthrough' | 'response-body' | 'done' | 'closed';

/** Ends the gRPC stream: cleanly (`ok`) or with a gRPC status code and message. */
export type StreamEnd =
  { ok: true } | { ok: false; grpcCode: 'INVALID_ARGUMENT' | 'INTERNAL'; message: string };

export interface SessionOptions {
  pipeline: ExtProcPipeline;
  send(response: ProcessingResponse): void;
  end(how: StreamEnd): void;
  logger: Logger;
  metrics: ExtProcMetrics;
  headerValueField: HeaderValueField;
  /** Cap on an accumulated request body (STREAMED chunks); the pipeline checks BUFFERED ones too. */
  maxBodyBytes: number;
  /** Safety net over the pipeline's own stage timeouts: an answer always leaves before Envoy's message_timeout. */
  decisionTimeoutMs: number;
}

const CHAT_PATH = '/v1/chat/completions';
const MODELS_PATH = '/v1/models';
/** Headers only the router may set: removed from every client request before routing. */
const ROUTING_HEADERS = ['x-selected-model', 'x-gateway-destination-endpoint'];
const ROUTER_PREFIX = 'x-semantic-router-';
/** Request body modes the session can work with (BUFFERED is the one that routes). */
const BODY_MODES_HANDLED: ReadonlySet<BodySendMode> = new Set(['BUFFERED', 'BUFFERED_PARTIAL', 'STREAMED']);
/** Headers carrying the client's key for the router (`pipeline/auth.ts`). */
const CLIENT_CREDENTIALS = ['authorization', 'x-api-key'];
/** Client → router input, not router output: kept. */
const CLIENT_ROUTER_HEADERS = new Set(['x-semantic-router-debug']);

class ProtocolError extends Error {}

/**
 * One ExtProc stream (one HTTP exchange through Envoy). Messages are handled one at a time in
 * arrival order (Envoy expects answers in order); every path ends with an answer, an immediate
 * response, or a gRPC status, and `cancel()` releases everything the stream holds.
 */
export class ExtProcSession {
  private phase: Phase = 'start';
  private queue: Promise<void> = Promise.resolve();
  private readonly abort = new AbortController();
  private headers: IncomingHeaders = {};
  private chunks: Buffer[] = [];
  private bodyBytes = 0;
  /** From `protocol_config` (first message, newer Envoy): tells BUFFERED from STREAMED up front. */
  private requestBodyMode: BodySendMode | undefined;
  /** STREAMED request chunks were answered with clear_body: the body now only exists in `chunks`. */
  private heldBack = false;
  private forward: ForwardOutcome | undefined;
  private handler: ResponseHandler | undefined;
  private responseMode: 'STREAMED' | 'BUFFERED' | undefined;
  private observabilityOnly = false;
  private outcome: StreamOutcome = 'incomplete';

  constructor(private readonly opts: SessionOptions) {}

  /** Queue a message; handled after the ones before it. Never rejects. */
  receive(message: ProcessingRequest): void {
    this.queue = this.queue.then(() => this.handle(message)).catch((err: unknown) => this.crash(err));
  }

  /** Envoy half-closed the stream: finish up, release state, end cleanly. */
  endOfInput(): void {
    this.queue = this.queue.then(() => {
      if (this.phase === 'closed') return;
      if (this.phase !== 'done' && this.phase !== 'passthrough') this.release('stream closed by Envoy');
      this.close({ ok: true });
    });
  }

  /** The stream was cancelled or failed under us: abandon pending work, write nothing more. */
  cancel(reason: string): void {
    if (this.phase === 'closed') return;
    this.outcome = 'cancelled';
    this.release(reason);
    this.phase = 'closed';
    this.finishMetrics();
  }

  /** Settles when every queued message was handled (tests, graceful shutdown). */
  get idle(): Promise<void> {
    return this.queue;
  }

  get settled(): Promise<void> {
    return this.handler?.settled ?? Promise.resolve();
  }

  // ---------- dispatch ----------

  private async handle(message: ProcessingRequest): Promise<void> {
    if (this.phase === 'closed') return;
    const kind = message.request;
    if (!kind) {
      return this.protocolError(
        'unknown',
        'ProcessingRequest carries none of the request_* / response_* members',
      );
    }
    const started = process.hrtime.bigint();
    this.opts.metrics.messages.inc({ type: kind });
    if (message.observability_mode) this.observabilityOnly = true;
    if (message.protocol_config) {
      // An unset enum is its zero value: NONE.
      this.requestBodyMode = message.protocol_config.request_body_mode ?? 'NONE';
    }
    try {
      await this.dispatch(kind, message);
    } catch (err) {
      if (err instanceof ProtocolError) return this.protocolError(kind, err.message);
      throw err;
    } finally {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      this.opts.metrics.answerLatency.observe({ type: kind }, seconds);
    }
  }

  private async dispatch(kind: ProcessingRequestKind, m: ProcessingRequest): Promise<void> {
    switch (kind) {
      case 'request_headers':
        return this.onRequestHeaders(m.request_headers ?? {});
      case 'request_body':
        return this.onRequestBody(m.request_body ?? {});
      case 'request_trailers':
        return this.onRequestTrailers();
      case 'response_headers':
        return this.onResponseHeaders(m.response_headers ?? {});
      case 'response_body':
        return this.onResponseBody(m.response_body ?? {});
      case 'response_trailers':
        return this.onResponseTrailers();
    }
  }

  private expect(kind: string, ...phases: Phase[]): void {
    if (!phases.includes(this.phase)) {
      throw new ProtocolError(`unexpected ${kind} while ${this.phase} (expected in: ${phases.join(', ')})`);
    }
  }

  // ---------- request side ----------

  private async onRequestHeaders(msg: HttpHeaders): Promise<void> {
    this.expect('request_headers', 'start');
    const received = headerMapToRecord(msg.headers);
    const strip = clientRouterHeaders(received);
    // The pipeline never sees router-only headers a client sent; Envoy drops them too (below).
    this.headers = omit(received, strip);
    const method = (firstHeader(this.headers, ':method') ?? '').toUpperCase();
    const path = (firstHeader(this.headers, ':path') ?? '').split('?')[0] ?? '';

    if (path === MODELS_PATH || path === CHAT_PATH) {
      const allowed = path === MODELS_PATH ? 'GET' : 'POST';
      if (method !== allowed) {
        return this.immediateErrorAndClose(
          'METHOD_NOT_ALLOWED',
          `${method || '(none)'} is not allowed on ${path}; use ${allowed}`,
          'responded',
        );
      }
    }
    if (path === MODELS_PATH) {
      const answer = await this.opts.pipeline.listModels(this.headers);
      this.outcome = 'models';
      return this.immediateAndClose({
        status: answer.status,
        headers: { 'content-type': 'application/json', ...answer.headers },
        body: JSON.stringify(answer.body),
        details: 'semantic_router_models',
      });
    }
    if (path !== CHAT_PATH) {
      // Not ours: let Envoy route it, but do not buffer its body for us or send it to us.
      this.phase = 'passthrough';
      this.outcome = 'passthrough';
      return this.send(
        withHeaderMutation(
          continueRequestHeaders({ request_body_mode: 'NONE', response_body_mode: 'NONE' }),
          strip,
          this.opts.headerValueField,
        ),
      );
    }
    if (msg.end_of_stream) {
      // A POST without a body: the pipeline names what is missing.
      return this.decide();
    }
    if (this.requestBodyMode !== undefined && !BODY_MODES_HANDLED.has(this.requestBodyMode)) {
      // Envoy says the body will not come (or not in a form we can rewrite): waiting for it
      // would let the request through unrouted. Fail loudly, naming the setting to change.
      return this.immediateErrorAndClose(
        'INTERNAL',
        `the ext_proc filter sends the request body in mode ${this.requestBodyMode}; configure processing_mode.request_body_mode BUFFERED`,
        'responded',
      );
    }
    this.phase = 'request-body';
    this.send(withHeaderMutation(continueRequestHeaders(), strip, this.opts.headerValueField));
  }

  private async onRequestBody(msg: HttpBody): Promise<void> {
    this.expect('request_body', 'request-body');
    const chunk = msg.body ? Buffer.from(msg.body) : Buffer.alloc(0);
    this.bodyBytes += chunk.length;
    if (this.bodyBytes > this.opts.maxBodyBytes) {
      return this.immediateErrorAndClose(
        'BODY_TOO_LARGE',
        `request body exceeds ${this.opts.maxBodyBytes} bytes`,
        'responded',
      );
    }
    this.chunks.push(chunk);
    const complete =
      msg.end_of_stream === true ||
      this.requestBodyMode === 'BUFFERED' ||
      this.requestBodyMode === 'BUFFERED_PARTIAL';
    if (!complete) {
      // STREAMED: hold the chunk back (Envoy would pass it upstream) until the whole body is here.
      this.heldBack = true;
      return this.send(continueRequestBody({ status: 'CONTINUE', body_mutation: { clear_body: true } }));
    }
    return this.decide();
  }

  private async onRequestTrailers(): Promise<void> {
    if (this.phase === 'request-body') {
      // Trailers end a STREAMED body whose last chunk lacked end_of_stream.
      if (this.heldBack) {
        return this.immediateErrorAndClose(
          'BAD_REQUEST',
          'request trailers after a STREAMED body are not supported; configure request_body_mode BUFFERED',
          'responded',
        );
      }
      return this.decide('request_trailers');
    }
    this.expect('request_trailers', 'forwarded', 'passthrough');
    this.send(emptyTrailers('request_trailers'));
  }

  /** Runs the pipeline on the body received so far and answers with the decision. */
  private async decide(answering: 'request_body' | 'request_trailers' = 'request_body'): Promise<void> {
    this.phase = 'deciding';
    const body = Buffer.concat(this.chunks);
    this.chunks = [];
    const outcome = await this.withTimeout(
      this.opts.pipeline.decide({
        body,
        headers: this.headers,
        signal: this.abort.signal,
        transport: 'extproc',
      }),
    );
    if (this.isClosed()) return; // cancelled while deciding
    if (outcome.kind === 'error') {
      return this.immediateErrorAndClose(outcome.code, outcome.message, 'responded');
    }
    const decision = outcome.value;
    if (decision.kind === 'respond') {
      const headers = { ...decision.headers };
      if (!headers['x-request-id']) headers['x-request-id'] = decision.trace.requestId;
      const sse = decision.sse !== undefined;
      headers['content-type'] ??= sse ? 'text/event-stream' : 'application/json';
      this.outcome = 'responded';
      return this.immediateAndClose({
        status: decision.status,
        headers,
        body: sse ? (decision.sse ?? []).join('') : JSON.stringify(decision.body ?? null),
        details: `semantic_router_${decision.trace.blocked ? 'blocked' : decision.trace.cache?.status === 'hit' ? 'cache_hit' : 'local_reply'}`,
      });
    }
    if (answering === 'request_trailers') {
      // The body was sent upstream unmodified (BUFFERED with trailers, no protocol_config): it can
      // no longer be rewritten, so refuse rather than send the unrouted original.
      return this.immediateErrorAndClose(
        'BAD_REQUEST',
        'requests with trailers cannot be routed; send the body without trailers',
        'responded',
      );
    }
    if (this.heldBack) {
      this.opts.logger.warn(
        { requestId: decision.trace.requestId },
        'request body arrived STREAMED: the body is rewritten but routing headers cannot apply; configure request_body_mode BUFFERED',
      );
    }
    this.forward = decision;
    this.handler = this.opts.pipeline.responseHandler(decision);
    this.phase = 'forwarded';
    this.outcome = 'forwarded';
    this.send(continueRequestBody(this.forwardMutation(decision)));
  }

  private forwardMutation(decision: ForwardOutcome): CommonResponse {
    const set: Record<string, string> = {
      ...decision.upstreamHeaders,
      ...decision.headers,
      'x-selected-model': decision.model,
    };
    // Like the HTTP proxy, which builds upstream headers afresh: the client's credentials for
    // the router never reach the model server (the upstream's own key, if any, replaces them).
    // accept-encoding: the answer must come unencoded to be measured, restored and cached.
    const remove = ['content-length', 'accept-encoding', ...CLIENT_CREDENTIALS.filter((h) => !(h in set))];
    // Envoy's ORIGINAL_DST cluster only takes an IP:port. For a hostname endpoint the header is
    // left out and Envoy routes on x-selected-model to that model's DNS cluster (docs/extproc.md).
    if (isIpEndpoint(decision.endpoint)) set['x-gateway-destination-endpoint'] = decision.endpoint;
    else delete set['x-gateway-destination-endpoint'];
    const upstreamPath = upstreamChatPath(decision.endpointUrl);
    if (upstreamPath !== CHAT_PATH) set[':path'] = upstreamPath;
    return {
      status: 'CONTINUE',
      header_mutation: headerMutation(set, remove, this.opts.headerValueField),
      body_mutation: { body: Buffer.from(decision.bodyBytes) },
      clear_route_cache: true,
    };
  }

  // ---------- response side ----------

  private onResponseHeaders(msg: HttpHeaders): void {
    if (this.phase === 'passthrough') return this.send(continueResponseHeaders());
    this.expect('response_headers', 'forwarded');
    const handler = this.handler;
    const forward = this.forward;
    if (!handler || !forward) throw new Error('forwarded without a response handler');
    const headers = headerMapToRecord(msg.headers);
    const status = Number(firstHeader(headers, ':status') ?? '0');
    const seen = handler.onHeaders(status, headers);
    // The client learns the model and decision, not the internal address of the upstream.
    const toClient: Record<string, string> = { ...forward.headers, ...seen.setHeaders };
    delete toClient['x-gateway-destination-endpoint'];
    const mutation = headerMutation(toClient, [], this.opts.headerValueField);
    if (msg.end_of_stream) {
      handler.onBody(new Uint8Array(0), true);
      this.phase = 'done';
      return this.send(continueResponseHeaders(mutation));
    }
    const encoding = (firstHeader(headers, 'content-encoding') ?? 'identity').trim().toLowerCase();
    if (encoding !== 'identity') {
      // We asked for an unencoded answer (accept-encoding removed); an upstream that compresses
      // anyway is passed through untouched: nothing is measured from the body, restored or cached.
      this.opts.logger.warn(
        { requestId: forward.trace.requestId, encoding },
        'compressed upstream answer not inspected',
      );
      handler.onAbort(`content-encoding ${encoding}`);
      this.phase = 'passthrough';
      return this.send(continueResponseHeaders(mutation, { response_body_mode: 'NONE' }));
    }
    // SSE is measured and cached chunk by chunk; other bodies (JSON answers, error bodies) are
    // small and come whole. Envoy's default for the response body is NONE (docs/extproc.md).
    this.responseMode = seen.sse ? 'STREAMED' : 'BUFFERED';
    if (seen.sse) mutation.remove_headers = ['content-length'];
    this.phase = 'response-body';
    this.send(continueResponseHeaders(mutation, { response_body_mode: this.responseMode }));
  }

  private onResponseBody(msg: HttpBody): void {
    if (this.phase === 'passthrough') return this.send(continueResponseBody());
    this.expect('response_body', 'response-body');
    const handler = this.handler;
    if (!handler) throw new Error('response body without a response handler');
    const chunk = msg.body ? Buffer.from(msg.body) : Buffer.alloc(0);
    const end = msg.end_of_stream === true || this.responseMode === 'BUFFERED';
    const out = handler.onBody(chunk, end);
    if (end) this.phase = 'done';
    const common: CommonResponse = { status: 'CONTINUE' };
    if (!Buffer.from(out.buffer, out.byteOffset, out.byteLength).equals(chunk)) {
      common.body_mutation = out.byteLength === 0 ? { clear_body: true } : { body: Buffer.from(out) };
      if (this.responseMode === 'BUFFERED') {
        // Envoy holds BUFFERED headers until this answer, so the length can still be made right.
        common.header_mutation = headerMutation(
          { 'content-length': String(out.byteLength) },
          [],
          this.opts.headerValueField,
        );
      }
    }
    this.send(continueResponseBody(common));
  }

  private onResponseTrailers(): void {
    if (this.phase === 'response-body') {
      this.handler?.onBody(new Uint8Array(0), true);
      this.phase = 'done';
    } else {
      this.expect('response_trailers', 'passthrough', 'done');
    }
    this.send(emptyTrailers('response_trailers'));
  }

  // ---------- endings ----------

  private send(response: ProcessingResponse): void {
    if (this.phase === 'closed' || this.observabilityOnly) return;
    this.opts.send(response);
  }

  private immediateAndClose(input: Parameters<typeof immediateResponse>[0]): void {
    this.send(immediateResponse(input, this.opts.headerValueField));
    this.close({ ok: true });
  }

  private immediateErrorAndClose(code: ErrorCode, message: string, outcome: StreamOutcome): void {
    this.outcome = outcome;
    const requestId = firstHeader(this.headers, 'x-request-id');
    this.send(
      immediateError(
        code,
        message,
        requestId ? { 'x-request-id': requestId } : {},
        this.opts.headerValueField,
      ),
    );
    this.close({ ok: true });
  }

  private protocolError(kind: string, message: string): void {
    this.opts.logger.warn({ kind, phase: this.phase }, `ext_proc protocol error: ${message}`);
    this.outcome = 'protocol_error';
    this.release('protocol error');
    this.close({ ok: false, grpcCode: 'INVALID_ARGUMENT', message });
  }

  private crash(err: unknown): void {
    this.opts.logger.error({ err, phase: this.phase }, 'ext_proc stream failed');
    if (this.phase === 'closed') return;
    this.outcome = 'internal_error';
    this.release('internal error');
    this.close({ ok: false, grpcCode: 'INTERNAL', message: 'ext_proc server error' });
  }

  private close(how: StreamEnd): void {
    if (this.phase === 'closed') return;
    this.phase = 'closed';
    this.opts.end(how);
    this.finishMetrics();
  }

  /** Drops everything the stream holds; an unfinished answer is reported as aborted (never cached). */
  private release(reason: string): void {
    this.abort.abort(new Error(reason));
    this.chunks = [];
    if (this.handler && this.phase !== 'done') this.handler.onAbort(reason);
    if (this.outcome === 'forwarded' && this.phase !== 'done') this.outcome = 'incomplete';
  }

  private finishMetrics(): void {
    this.opts.metrics.streams.inc({ outcome: this.outcome });
  }

  // ---------- helpers ----------

  private async withTimeout<T>(
    work: Promise<T>,
  ): Promise<{ kind: 'ok'; value: T } | { kind: 'error'; code: ErrorCode; message: string }> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<{ kind: 'error'; code: ErrorCode; message: string }>((resolve) => {
      timer = setTimeout(
        () =>
          resolve({
            kind: 'error',
            code: 'INTERNAL',
            message: `decision did not finish within ${this.opts.decisionTimeoutMs} ms`,
          }),
        this.opts.decisionTimeoutMs,
      );
    });
    try {
      return await Promise.race([
        work.then(
          (value) => ({ kind: 'ok' as const, value }),
          (err: unknown) => {
            const code = errorCodeOf(err);
            // An unexpected failure's message may hold internals: say only what kind it was.
            const message = code === 'INTERNAL' ? 'internal error while deciding' : (err as Error).message;
            this.opts.logger.error({ err, code }, 'pipeline failed');
            return { kind: 'error' as const, code, message };
          },
        ),
        timeout,
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  private isClosed(): boolean {
    return this.phase === 'closed';
  }
}

/** Client-sent headers only the router may set (`x-semantic-router-*` outputs, routing headers). */
function clientRouterHeaders(headers: IncomingHeaders): string[] {
  return Object.keys(headers).filter(
    (k) => ROUTING_HEADERS.includes(k) || (k.startsWith(ROUTER_PREFIX) && !CLIENT_ROUTER_HEADERS.has(k)),
  );
}

function omit(headers: IncomingHeaders, names: string[]): IncomingHeaders {
  const copy = { ...headers };
  for (const k of names) delete copy[k];
  return copy;
}

function withHeaderMutation(
  res: ProcessingResponse,
  remove: string[],
  field: HeaderValueField,
): ProcessingResponse {
  if (remove.length > 0 && res.request_headers?.response) {
    res.request_headers.response.header_mutation = headerMutation({}, remove, field);
  }
  return res;
}

/** True for `1.2.3.4:80` and `[::1]:80`: what Envoy's ORIGINAL_DST cluster accepts. */
export function isIpEndpoint(hostPort: string): boolean {
  const m = /^\[?([^\]]+?)\]?:(\d{1,5})$/.exec(hostPort);
  return m !== null && isIP(m[1] ?? '') !== 0;
}

/** The upstream path for a chat completion: the endpoint's base path + `/chat/completions`. */
export function upstreamChatPath(endpointUrl: string): string {
  let base = '/v1';
  try {
    base = new URL(endpointUrl).pathname.replace(/\/+$/, '');
  } catch {
    // Config validated the URL; keep the default path if it somehow does not parse.
  }
  return `${base}/chat/completions`;
}
