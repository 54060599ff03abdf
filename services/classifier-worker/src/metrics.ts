import { Counter, Histogram, type Registry } from 'prom-client';
import { LATENCY_BUCKETS_SECONDS, metric } from '@sr/shared';

/**
 * The classifier's metrics. Label values are model labels and configured category names (a
 * bounded set), never request text.
 */
export interface ClassifierMetrics {
  requests: Counter<'endpoint' | 'outcome'>;
  signals: Counter<'signal' | 'label'>;
  tools: Counter<'reason'>;
  latency: Histogram<'stage'>;
  batchSize: Histogram<'model'>;
}

export function createClassifierMetrics(registry: Registry): ClassifierMetrics {
  return {
    requests: metric(
      registry,
      'sr_classifier_requests_total',
      () =>
        new Counter({
          name: 'sr_classifier_requests_total',
          help: 'Classifier worker requests by endpoint (classify, embed) and outcome (ok or an error code).',
          labelNames: ['endpoint', 'outcome'],
          registers: [registry],
        }),
    ),
    signals: metric(
      registry,
      'sr_classifier_signals_total',
      () =>
        new Counter({
          name: 'sr_classifier_signals_total',
          help: 'Classification results by signal (domain, intent, custom) and label (unknown below threshold).',
          labelNames: ['signal', 'label'],
          registers: [registry],
        }),
    ),
    tools: metric(
      registry,
      'sr_classifier_tool_selections_total',
      () =>
        new Counter({
          name: 'sr_classifier_tool_selections_total',
          help: 'Tool selections by reason (ranked, none-relevant-kept, none-relevant-dropped, skipped).',
          labelNames: ['reason'],
          registers: [registry],
        }),
    ),
    latency: metric(
      registry,
      'sr_classifier_duration_seconds',
      () =>
        new Histogram({
          name: 'sr_classifier_duration_seconds',
          help: 'Time in the classifier worker by stage (domain, intent, embed, tools, total).',
          labelNames: ['stage'],
          buckets: LATENCY_BUCKETS_SECONDS,
          registers: [registry],
        }),
    ),
    batchSize: metric(
      registry,
      'sr_classifier_batch_size',
      () =>
        new Histogram({
          name: 'sr_classifier_batch_size',
          help: 'Texts per model run (micro-batching of concurrent requests).',
          labelNames: ['model'],
          buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256],
          registers: [registry],
        }),
    ),
  };
}
