/** Envoy ExtProc transport: the gRPC server, its per-stream state machine and the pipeline port. */
export { ExtProcServer, type ExtProcServerOptions } from './server';
export { createExtProcServer, type CreateExtProcServerDeps } from './create';
export {
  ExtProcSession,
  isIpEndpoint,
  upstreamChatPath,
  type SessionOptions,
  type StreamEnd,
} from './session';
export { extProcPort } from './pipeline-adapter';
export type { ExtProcPipeline, LocalAnswer } from './port';
export type { HeaderValueField } from './headers';
export {
  EXT_PROC_PROTO,
  EXT_PROC_SERVICE,
  LOADER_OPTIONS,
  PROTO_DIR,
  extProcServiceDefinition,
  loadExtProcDefinition,
  type ProcessingRequest,
  type ProcessingResponse,
} from './proto';
export {
  EnvoyStream,
  extProcClient,
  chatHeaders,
  headerMap,
  immediate,
  requestBody,
  requestHeaders,
  responseBody,
  responseHeaders,
  setHeaders,
  type ImmediateView,
  type ProcessClient,
} from './envoy-replay';
