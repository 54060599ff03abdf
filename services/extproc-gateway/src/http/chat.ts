import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '@sr/shared';
import type { Pipeline } from '../pipeline/pipeline';
import type { UpstreamForwarder } from '../upstream/forward';
import { readBody, sendJson, sendOutcome, write } from './io';

export interface ChatDeps {
  pipeline: Pipeline;
  forwarder: UpstreamForwarder;
  logger: Logger;
  maxBodyBytes: () => number;
  /** Resolves post-answer work (tests wait on it; shutdown drains it). */
  track: (work: Promise<void>) => void;
}

/**
 * `POST /v1/chat/completions`: run the pipeline, then answer directly or proxy upstream. The
 * upstream answer is streamed to the client chunk by chunk as it arrives; the client going away
 * aborts the upstream call.
 */
export async function handleChat(req: IncomingMessage, res: ServerResponse, deps: ChatDeps): Promise<void> {
  const client = new AbortController();
  // `close` on the response fires when the client disconnects (or after we finish).
  res.on('close', () => {
    if (!res.writableFinished) client.abort();
  });

  const read = await readBody(req, deps.maxBodyBytes());
  if (read.status === 'aborted') return;
  if (read.status === 'too-large') {
    const out = deps.pipeline.errorOutcome(
      'BODY_TOO_LARGE',
      `request body is over the limit of ${deps.maxBodyBytes()} bytes`,
    );
    // The unread rest of the upload would otherwise sit in the socket: close the connection.
    res.setHeader('connection', 'close');
    sendOutcome(res, out);
    return;
  }

  const outcome = await deps.pipeline.handle({
    body: read.body,
    headers: req.headers,
    signal: client.signal,
    transport: 'http',
  });
  if (outcome.kind === 'respond') return sendOutcome(res, outcome);
  if (client.signal.aborted) return;

  const sentAt = performance.now();
  const result = await deps.forwarder.send(outcome, client.signal);
  if (result.status === 'aborted') {
    res.destroy();
    return;
  }
  if (result.status === 'failed') {
    const out = deps.pipeline.errorOutcome(result.code, result.message, {
      requestId: outcome.context.requestId,
    });
    return sendOutcome(res, { ...out, headers: { ...outcome.headers, ...out.headers } });
  }

  // Created for the target that answered (after a fallback, not the first choice).
  const handler = deps.pipeline.responseFor(result.forward, { sentAt });
  deps.track(handler.settled);
  const { sse, setHeaders } = handler.onHeaders(result.statusCode, result.headers);
  const type = first(result.headers['content-type']);
  const encoding = first(result.headers['content-encoding']);
  // An upstream that compresses anyway: pass the bytes through as they are, uninspected.
  const encoded = !!encoding && encoding.toLowerCase() !== 'identity';
  res.writeHead(result.statusCode, {
    ...result.forward.headers,
    ...setHeaders,
    ...(type ? { 'content-type': type } : {}),
    ...(encoded ? { 'content-encoding': encoding } : {}),
    ...(sse ? { 'cache-control': 'no-cache' } : {}),
  });
  res.flushHeaders();
  if (encoded) handler.onAbort('compressed answer, not inspected');
  try {
    for await (const chunk of result.body) {
      await write(res, encoded ? (chunk as Uint8Array) : handler.onBody(chunk as Uint8Array, false));
      if (client.signal.aborted) break;
    }
    if (client.signal.aborted) {
      handler.onAbort('client disconnected');
      result.body.destroy();
      res.destroy();
      return;
    }
    if (!encoded) await write(res, handler.onBody(new Uint8Array(0), true));
    res.end();
  } catch (err) {
    // The upstream broke off mid-answer (or the deadline hit): nothing can be retried now.
    handler.onAbort('upstream stream failed');
    deps.logger.warn({ err, requestId: outcome.context.requestId }, 'upstream stream failed mid-answer');
    if (!res.destroyed) res.destroy();
  }
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

export function methodNotAllowed(res: ServerResponse, pipeline: Pipeline, allow: string): void {
  const out = pipeline.errorOutcome('METHOD_NOT_ALLOWED', `method not allowed; use ${allow}`);
  sendJson(res, 405, out.body, { ...out.headers, allow });
}
