/** Test harness of the gateway: an OpenAI-compatible upstream stub (also the demo upstream). */
export {
  startUpstreamStub,
  type UpstreamStub,
  type UpstreamStubOptions,
  type StubRequest,
} from './upstream-stub';
// Envoy's side of the ExtProc conversation (a grpc-js client replaying Envoy's messages).
export {
  EnvoyStream,
  extProcClient,
  chatHeaders,
  immediate,
  requestBody,
  requestHeaders,
  responseBody,
  responseHeaders,
  setHeaders,
  type ImmediateView,
  type ProcessClient,
} from '../extproc/envoy-replay';
