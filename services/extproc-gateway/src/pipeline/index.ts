export { createPipeline, type Pipeline, type PipelineDeps } from './pipeline';
export { GATEWAY_HEADERS } from './headers';
export { parseChatRequest, type ParseResult } from './parse';
export { Authenticator, type AuthResult } from './auth';
export type {
  DecisionTrace,
  ForwardOutcome,
  IncomingHeaders,
  PipelineOutcome,
  PipelineRequest,
  RespondOutcome,
  ResponseContext,
  ResponseHandler,
} from './types';
