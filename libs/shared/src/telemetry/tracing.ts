import { NodeSDK } from '@opentelemetry/sdk-node';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import {
  BatchSpanProcessor,
  ConsoleSpanExporter,
  SimpleSpanProcessor,
  TraceIdRatioBasedSampler,
  ParentBasedSampler,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';

export interface TracingOptions {
  serviceName: string;
  enabled: boolean;
  exporter: 'otlp' | 'console' | 'none';
  /** OTLP/HTTP traces endpoint; default from OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT. */
  endpoint?: string | undefined;
  sampleRate: number;
  /** Extra exporter (tests pass an InMemorySpanExporter). */
  spanExporter?: SpanExporter;
}

export interface Tracing {
  shutdown(): Promise<void>;
}

/**
 * Starts the OpenTelemetry SDK for one process (W3C trace context propagation is the SDK
 * default). Disabled tracing installs nothing, so spans cost nothing.
 */
export function startTracing(options: TracingOptions): Tracing {
  if (!options.enabled && !options.spanExporter) return { shutdown: async () => undefined };
  const processors: SpanProcessor[] = [];
  if (options.spanExporter) processors.push(new SimpleSpanProcessor(options.spanExporter));
  if (options.enabled && options.exporter === 'otlp') {
    processors.push(
      new BatchSpanProcessor(new OTLPTraceExporter(options.endpoint ? { url: options.endpoint } : {})),
    );
  } else if (options.enabled && options.exporter === 'console') {
    processors.push(new SimpleSpanProcessor(new ConsoleSpanExporter()));
  }
  const sdk = new NodeSDK({
    resource: resourceFromAttributes({
      [ATTR_SERVICE_NAME]: options.serviceName,
      [ATTR_SERVICE_VERSION]: '0.1.0',
    }),
    spanProcessors: processors,
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(options.sampleRate) }),
    instrumentations: [],
  });
  sdk.start();
  return {
    // No collector listening makes shutdown reject; a service stopping must not fail for that.
    shutdown: () => sdk.shutdown().catch(() => undefined),
  };
}
