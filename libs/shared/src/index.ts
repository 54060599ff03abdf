export {
  ERROR_CATALOGUE,
  SrError,
  errorCodeOf,
  isErrorCode,
  toOpenAIError,
  type ErrorCode,
  type OpenAIErrorBody,
} from './errors';
export {
  ConfigSchema,
  FailurePolicy,
  type RouterConfig,
  type RawConfig,
  type ModelConfig,
  type CategoryConfig,
  type EndpointConfig,
} from './config/schema';
export { parseConfig, loadConfigFile, ConfigError, type ConfigProblem } from './config/load';
export { ConfigStore, type ConfigStoreOptions, type ReloadOutcome } from './config/watch';
export { configKeyPaths } from './config/keys';
export {
  BUS_HEADERS,
  type Bus,
  type BusMessage,
  type BusReply,
  type Handler,
  type Headers,
  type RequestOptions,
  type SubscribeOptions,
  type Subscription,
} from './bus/bus';
export { InProcessBus } from './bus/in-process-bus';
export { serveBusOverPort, ThreadForwarder, RecordingBus } from './bus/thread-bridge';
export type { BridgeRequest, BridgeReply } from './bus/thread-bridge';
export { NatsBus, type NatsBusOptions } from './bus/nats-bus';
export { InstrumentedBus } from './bus/instrumented-bus';
export { connectConfiguredBus } from './bus/create-bus';
export {
  defineEndpoint,
  call,
  serve,
  type Endpoint,
  type CallOptions,
  type HandlerContext,
} from './bus/endpoint';
export {
  ChatMessage,
  ChatCompletionRequest,
  ContentPart,
  ToolDefinition,
  ToolChoice,
  messageText,
} from './contracts/openai';
export {
  SUBJECTS,
  QUEUE_GROUPS,
  PiiSpan,
  GuardCheckRequest,
  GuardCheckReply,
  JailbreakVerdict,
  Signal,
  ClassifyRequest,
  ClassifyReply,
  CachedCompletion,
  CacheLookupRequest,
  CacheLookupReply,
  CacheStoreRequest,
  CacheStoreReply,
  CacheStatsReply,
  EmbedRequest,
  EmbedReply,
  guardCheck,
  classify,
  embed,
  cacheLookup,
  cacheStore,
  cacheStats,
  cacheInvalidate,
  cacheFlush,
} from './contracts/messages';
export {
  cacheScope,
  exactCacheKey,
  normaliseQuery,
  lastUserIndex,
  hashSecret,
  type ScopeInput,
} from './contracts/cache-keys';
export { createLogger, type Logger, type LoggerOptions } from './logger';
export {
  createMetricsRegistry,
  metric,
  LATENCY_BUCKETS_SECONDS,
  type CommonMetrics,
} from './telemetry/metrics';
export { startTracing, type Tracing, type TracingOptions } from './telemetry/tracing';
export { ServiceHost, handleHealth, type ServiceHostOptions, type MetricsSource } from './service-host';
export { runServiceProcess, configPathFrom, type RunnableService, type ServiceDeps } from './service-main';
export { MicroBatcher } from './util/micro-batcher';
