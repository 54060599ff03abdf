import type { Pipeline } from '../pipeline/index';
import { requestIdFrom } from '../pipeline/headers';
import type { ExtProcPipeline, LocalAnswer } from './port';

/**
 * Binds the ExtProc port to the gateway's pipeline. The pipeline's `listModels()` does not look
 * at the request, so the auth check for `GET /v1/models` (which the HTTP server does in its
 * route) happens here, with the same authenticator and the same error shape.
 */
export function extProcPort(pipeline: Pipeline): ExtProcPipeline {
  return {
    decide: (request) => pipeline.handle(request),
    responseHandler: (forward) => pipeline.responseFor(forward),
    listModels: (headers): LocalAnswer => {
      const requestId = requestIdFrom(headers);
      const who = pipeline.authenticate(headers);
      if (who.status === 'denied') {
        const out = pipeline.errorOutcome('UNAUTHORIZED', who.message, { requestId });
        return { status: out.status, headers: out.headers, body: out.body };
      }
      return { status: 200, headers: { 'x-request-id': requestId }, body: pipeline.listModels() };
    },
  };
}
