/** Test harness of the gateway: an OpenAI-compatible upstream stub (also the demo upstream). */
export {
  startUpstreamStub,
  type UpstreamStub,
  type UpstreamStubOptions,
  type StubRequest,
} from './upstream-stub';
