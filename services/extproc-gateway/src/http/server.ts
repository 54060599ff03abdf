import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleHealth, type Logger, type MetricsSource, type RouterConfig } from '@sr/shared';
import { requestIdFrom } from '../pipeline/headers';
import type { Pipeline } from '../pipeline/pipeline';
import type { UpstreamForwarder } from '../upstream/forward';
import { handleChat, methodNotAllowed } from './chat';
import { readBody, sendJson, sendOutcome } from './io';
import { openApiDocument } from './openapi';

export interface HttpServerDeps {
  pipeline: Pipeline;
  forwarder: UpstreamForwarder;
  getConfig: () => RouterConfig;
  logger: Logger;
  registry: MetricsSource;
  isReady: () => boolean;
  track: (work: Promise<void>) => void;
  version: string;
}

const ROUTES: Record<string, string> = {
  '/v1/chat/completions': 'POST',
  '/v1/models': 'GET',
  '/api/v1/classify': 'POST',
  '/openapi.json': 'GET',
  '/healthz': 'GET',
  '/readyz': 'GET',
  '/metrics': 'GET',
};

/**
 * The gateway's HTTP listener: the OpenAI-compatible API, the classification API, the OpenAPI
 * document, health and metrics. Unknown paths and methods get OpenAI-shaped 404/405 errors.
 */
export function createHttpServer(deps: HttpServerDeps): Server & { inFlight(): number } {
  let inFlight = 0;
  const server = createServer((req, res) => {
    inFlight++;
    res.once('close', () => inFlight--);
    route(req, res, deps).catch((err: unknown) => {
      deps.logger.error({ err }, 'http handler failed');
      if (!res.headersSent) {
        const out = deps.pipeline.errorOutcome('INTERNAL', 'internal error in the router');
        sendOutcome(res, out);
      } else res.destroy();
    });
  });
  // Bounds receiving the request (a client trickling its body), not the answer: streamed
  // answers may take minutes and are bounded by timeouts.upstreamMs instead.
  server.requestTimeout = 60_000;
  server.headersTimeout = 30_000;
  return Object.assign(server, { inFlight: () => inFlight });
}

async function route(req: IncomingMessage, res: ServerResponse, deps: HttpServerDeps): Promise<void> {
  const path = (req.url ?? '/').split('?')[0]!;
  const method = req.method ?? 'GET';
  const allowed = ROUTES[path];
  if (!allowed) {
    const out = deps.pipeline.errorOutcome('NOT_FOUND', `no route for ${method} ${path.slice(0, 200)}`, {
      requestId: requestIdFrom(req.headers),
    });
    return sendOutcome(res, out);
  }
  if (method !== allowed && !(allowed === 'GET' && method === 'HEAD'))
    return methodNotAllowed(res, deps.pipeline, allowed);

  switch (path) {
    case '/v1/chat/completions':
      return handleChat(req, res, {
        pipeline: deps.pipeline,
        forwarder: deps.forwarder,
        logger: deps.logger,
        maxBodyBytes: () => deps.getConfig().limits.maxBodyBytes,
        track: deps.track,
      });
    case '/v1/models': {
      const requestId = requestIdFrom(req.headers);
      const who = deps.pipeline.authenticate(req.headers);
      if (who.status === 'denied')
        return sendOutcome(res, deps.pipeline.errorOutcome('UNAUTHORIZED', who.message, { requestId }));
      return sendJson(res, 200, deps.pipeline.listModels(), { 'x-request-id': requestId });
    }
    case '/api/v1/classify':
      return classifyRoute(req, res, deps);
    case '/openapi.json':
      return sendJson(
        res,
        200,
        openApiDocument({ autoModelNames: deps.getConfig().autoModelNames, version: deps.version }),
      );
    default: {
      const health = await handleHealth(path, { isReady: deps.isReady }, deps.registry);
      res.writeHead(health.status, { 'content-type': health.type });
      res.end(health.body);
    }
  }
}

async function classifyRoute(req: IncomingMessage, res: ServerResponse, deps: HttpServerDeps): Promise<void> {
  const requestId = requestIdFrom(req.headers);
  const who = deps.pipeline.authenticate(req.headers);
  if (who.status === 'denied')
    return sendOutcome(res, deps.pipeline.errorOutcome('UNAUTHORIZED', who.message, { requestId }));
  const max = deps.getConfig().limits.maxBodyBytes;
  const read = await readBody(req, max);
  if (read.status === 'aborted') return;
  if (read.status === 'too-large') {
    res.setHeader('connection', 'close');
    return sendOutcome(
      res,
      deps.pipeline.errorOutcome('BODY_TOO_LARGE', `request body is over the limit of ${max} bytes`, {
        requestId,
      }),
    );
  }
  let input: unknown;
  try {
    input = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(read.body));
  } catch (err) {
    const code = err instanceof SyntaxError ? 'INVALID_JSON' : 'INVALID_UTF8';
    return sendOutcome(
      res,
      deps.pipeline.errorOutcome(
        code,
        code === 'INVALID_JSON' ? 'request body is not valid JSON' : 'request body is not valid UTF-8',
        { requestId },
      ),
    );
  }
  const result = await deps.pipeline.classifyTexts(input, requestId);
  if (result.status === 'error')
    return sendOutcome(
      res,
      deps.pipeline.errorOutcome(result.code, result.message, { requestId, param: result.param }),
    );
  return sendJson(res, 200, result.body, { 'x-request-id': requestId });
}

/** Listens and resolves with the bound port (0 asks the OS for a free one). */
export async function listen(server: Server, host: string, port: number): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error) =>
      reject(new Error(`HTTP server could not listen on ${host}:${port}: ${err.message}`, { cause: err }));
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}
