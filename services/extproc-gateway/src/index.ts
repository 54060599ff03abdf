/**
 * @sr/extproc-gateway: the OpenAI-compatible HTTP proxy and Envoy ExtProc server in front of
 * the router's pipeline (guard, classify, cache, decide, forward).
 */
export {
  createPipeline,
  GATEWAY_HEADERS,
  parseChatRequest,
  Authenticator,
  type Pipeline,
  type PipelineDeps,
  type AuthResult,
  type ParseResult,
  type DecisionTrace,
  type ForwardOutcome,
  type IncomingHeaders,
  type PipelineOutcome,
  type PipelineRequest,
  type RespondOutcome,
  type ResponseContext,
  type ResponseHandler,
} from './pipeline/index';
export { createGateway, type Gateway, type GatewayOptions } from './gateway';
export { classifyTexts, ClassifyApiRequest, type ClassifyApiResult } from './pipeline/classify-api';
export { UpstreamForwarder, chatUrl, type UpstreamResult } from './upstream/forward';
export { createGatewayMetrics, type GatewayMetrics } from './metrics';
export { EndpointPool, hostPort, type EndpointChoice, type PoolOptions } from './upstream/pool';
export { decide, type Decision, type DecideInput } from './decision/decide';
export { SseParser, sseFrame, SSE_DONE } from './sse/parser';
export { StreamReassembler, type ReassemblyResult } from './sse/reassemble';
export { replayAsSse } from './sse/replay';
export {
  createExtProcServer,
  ExtProcServer,
  extProcPort,
  extProcServiceDefinition,
  type CreateExtProcServerDeps,
  type ExtProcPipeline,
  type ProcessingRequest,
  type ProcessingResponse,
} from './extproc/index';
