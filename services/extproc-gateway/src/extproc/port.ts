import type {
  ForwardOutcome,
  IncomingHeaders,
  PipelineOutcome,
  PipelineRequest,
  ResponseHandler,
} from '../pipeline/types';

/** A ready answer the gateway gives itself (the `/v1/models` list, an auth error). */
export interface LocalAnswer {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/**
 * What the ExtProc transport needs from the pipeline. The server takes this narrow port rather
 * than the pipeline itself so the state machine can be read (and tested) without the decision
 * engine; `pipeline-adapter.ts` binds it to the real pipeline.
 */
export interface ExtProcPipeline {
  /** The decision for one chat completion body: forward (mutate) or respond (immediate reply). */
  decide(request: PipelineRequest): Promise<PipelineOutcome>;
  /** The response side of a forwarded request: metrics, PII restore, cache store. */
  responseHandler(outcome: ForwardOutcome): ResponseHandler;
  /** The answer to `GET /v1/models` for these request headers (auth applies). */
  listModels(headers: IncomingHeaders): LocalAnswer | Promise<LocalAnswer>;
}
