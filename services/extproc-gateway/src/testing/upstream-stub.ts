import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request the stub received (bodies are kept whole: tests inspect what the router sent). */
export interface StubRequest {
  path: string;
  model: string | undefined;
  stream: boolean;
  body: Record<string, unknown>;
  headers: IncomingMessage['headers'];
}

export interface UpstreamStubOptions {
  host?: string;
  /** 0 (default) asks the OS for a free port. */
  port?: number;
  /** Names this stub in answers (`[name] …`), so tests see which upstream answered. */
  name?: string;
  /** The assistant's answer for a request; default: which model answered and what was asked. */
  reply?: (request: StubRequest) => string;
  /** Prefix for the demo upstream, so nobody mistakes its answers for a model's. */
  demo?: boolean;
}

export interface UpstreamStub {
  /** Base URL to put in config, e.g. `http://127.0.0.1:40123/v1`. */
  readonly url: string;
  readonly port: number;
  /** Every chat completion request received, oldest first. */
  readonly requests: StubRequest[];
  /** Requests whose client went away before the answer was complete. */
  readonly aborted: number;
  /** Answer the next `count` chat requests with `status` (default 500) before any body byte. */
  failNext(count: number, status?: number): void;
  /** Wait this long before the response headers (0: none). */
  setDelay(ms: number): void;
  /** Wait this long between streamed chunks (0: none). */
  setChunkDelay(ms: number): void;
  /** Never answer (until the client gives up). */
  setHang(hang: boolean): void;
  reset(): void;
  close(): Promise<void>;
}

const words = (text: string) => text.split(/(?<= )/);

/**
 * An OpenAI-compatible chat completions server for tests and the demo: JSON and SSE answers
 * (with usage), a `/v1/models` list, and knobs for failures, delays and hangs. It echoes which
 * model answered, so routing can be checked from the answer alone.
 */
export async function startUpstreamStub(options: UpstreamStubOptions = {}): Promise<UpstreamStub> {
  const requests: StubRequest[] = [];
  let failures: Array<number> = [];
  let delayMs = 0;
  let chunkDelayMs = 0;
  let hang = false;
  let aborted = 0;
  const name = options.name ?? 'upstream-stub';
  const prefix = options.demo ? '[demo upstream, not a real model] ' : '';
  const reply =
    options.reply ??
    ((r: StubRequest) => {
      const messages = (r.body.messages as Array<{ role?: string; content?: unknown }> | undefined) ?? [];
      const last = [...messages].reverse().find((m) => m.role === 'user');
      const text = typeof last?.content === 'string' ? last.content : '';
      return `${prefix}model ${r.model ?? '?'} (${name}) answered: ${text.slice(0, 200)}`;
    });

  const server: Server = createServer((req, res) => {
    void handle(req, res).catch(() => res.destroy());
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0]!;
    if (req.method === 'GET' && path.endsWith('/models')) {
      return json(res, 200, {
        object: 'list',
        data: [{ id: name, object: 'model', created: 0, owned_by: 'stub' }],
      });
    }
    if (req.method !== 'POST' || !path.endsWith('/chat/completions'))
      return json(res, 404, {
        error: { message: 'not found', type: 'invalid_request_error', code: 'not_found' },
      });
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
    } catch {
      return json(res, 400, {
        error: { message: 'bad json', type: 'invalid_request_error', code: 'invalid_json' },
      });
    }
    const record: StubRequest = {
      path,
      model: typeof body.model === 'string' ? body.model : undefined,
      stream: body.stream === true,
      body,
      headers: req.headers,
    };
    requests.push(record);
    let finished = false;
    res.on('close', () => {
      if (!finished) aborted++;
    });
    const failure = failures.shift();
    if (failure !== undefined) {
      finished = true;
      return json(res, failure, {
        error: { message: `stub failure ${failure}`, type: 'server_error', code: 'stub' },
      });
    }
    if (hang) return; // the client's timeout or disconnect ends it
    if (delayMs) await sleep(delayMs);
    if (res.destroyed) return;
    const content = reply(record);
    const id = `chatcmpl-${randomUUID()}`;
    const created = Math.floor(Date.now() / 1000);
    const promptTokens = JSON.stringify(body.messages ?? []).length >> 2;
    const pieces = words(content);
    const usage = {
      prompt_tokens: promptTokens,
      completion_tokens: pieces.length,
      total_tokens: promptTokens + pieces.length,
    };
    if (!record.stream) {
      finished = true;
      return json(res, 200, {
        id,
        object: 'chat.completion',
        created,
        model: record.model,
        choices: [
          { index: 0, message: { role: 'assistant', content }, finish_reason: 'stop', logprobs: null },
        ],
        usage,
      });
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    const chunk = (
      delta: Record<string, unknown>,
      finish: string | null,
      extra: Record<string, unknown> = {},
    ) =>
      `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model: record.model, choices: [{ index: 0, delta, finish_reason: finish }], ...extra })}\n\n`;
    res.write(chunk({ role: 'assistant', content: '' }, null));
    for (const piece of pieces) {
      if (chunkDelayMs) await sleep(chunkDelayMs);
      if (res.destroyed) return;
      res.write(chunk({ content: piece }, null));
    }
    res.write(chunk({}, 'stop'));
    const opts = body.stream_options as { include_usage?: boolean } | undefined;
    if (opts?.include_usage)
      res.write(
        `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model: record.model, choices: [], usage })}\n\n`,
      );
    res.write('data: [DONE]\n\n');
    finished = true;
    res.end();
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const host = options.host ?? '127.0.0.1';
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}/v1`,
    port,
    requests,
    get aborted() {
      return aborted;
    },
    failNext(count, status = 500) {
      failures = [...failures, ...Array.from({ length: count }, () => status)];
    },
    setDelay: (ms) => void (delayMs = ms),
    setChunkDelay: (ms) => void (chunkDelayMs = ms),
    setHang: (h) => void (hang = h),
    reset() {
      requests.length = 0;
      failures = [];
      delayMs = 0;
      chunkDelayMs = 0;
      hang = false;
      aborted = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
