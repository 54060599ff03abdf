import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RespondOutcome } from '../pipeline/types';

export type BodyRead =
  { status: 'ok'; body: Buffer } | { status: 'too-large'; bytes: number } | { status: 'aborted' };

/**
 * Reads a request body up to `maxBytes`. A declared or actual size over the limit stops the
 * read at once (the rest is not buffered), so a huge upload cannot exhaust memory.
 */
export async function readBody(req: IncomingMessage, maxBytes: number): Promise<BodyRead> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) return { status: 'too-large', bytes: declared };
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of req) {
      total += (chunk as Buffer).byteLength;
      if (total > maxBytes) return { status: 'too-large', bytes: total };
      chunks.push(chunk as Buffer);
    }
  } catch {
    return { status: 'aborted' };
  }
  return { status: 'ok', body: Buffer.concat(chunks, total) };
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

/** Writes a pipeline's own answer: JSON, or SSE frames. */
export function sendOutcome(res: ServerResponse, outcome: RespondOutcome): void {
  if (!outcome.sse) return sendJson(res, outcome.status, outcome.body, outcome.headers);
  if (res.headersSent || res.destroyed) return;
  res.writeHead(outcome.status, {
    ...outcome.headers,
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
  });
  for (const frame of outcome.sse) res.write(frame);
  res.end();
}

/** Writes with backpressure: waits for `drain` when the socket buffer is full. */
export async function write(res: ServerResponse, chunk: Uint8Array): Promise<void> {
  if (chunk.byteLength === 0 || res.destroyed) return;
  if (res.write(chunk)) return;
  await new Promise<void>((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}
