import { Counter, Histogram, type Registry } from 'prom-client';
import { LATENCY_BUCKETS_SECONDS, metric } from '@sr/shared';

/** The guard's metrics. Labels never carry prompt text: only types, outcomes and paths. */
export interface GuardMetrics {
  requests: Counter<'outcome'>;
  detections: Counter<'type' | 'via'>;
  piiEntities: Counter<'entity'>;
  latency: Histogram<'check'>;
  batchSize: Histogram<'model'>;
}

export function createGuardMetrics(registry: Registry): GuardMetrics {
  return {
    requests: metric(
      registry,
      'sr_guard_requests_total',
      () =>
        new Counter({
          name: 'sr_guard_requests_total',
          help: 'Guard checks by outcome (clean, jailbreak, pii, or an error code).',
          labelNames: ['outcome'],
          registers: [registry],
        }),
    ),
    detections: metric(
      registry,
      'sr_guard_detections_total',
      () =>
        new Counter({
          name: 'sr_guard_detections_total',
          help: 'Requests the guard flagged, by type (jailbreak, pii) and the path that caught it (plain, base64, leetspeak, …).',
          labelNames: ['type', 'via'],
          registers: [registry],
        }),
    ),
    piiEntities: metric(
      registry,
      'sr_guard_pii_entities_total',
      () =>
        new Counter({
          name: 'sr_guard_pii_entities_total',
          help: 'PII entities found, by entity type.',
          labelNames: ['entity'],
          registers: [registry],
        }),
    ),
    latency: metric(
      registry,
      'sr_guard_check_duration_seconds',
      () =>
        new Histogram({
          name: 'sr_guard_check_duration_seconds',
          help: 'Time spent in the guard worker per request, by check (jailbreak, pii, total).',
          labelNames: ['check'],
          buckets: LATENCY_BUCKETS_SECONDS,
          registers: [registry],
        }),
    ),
    batchSize: metric(
      registry,
      'sr_guard_batch_size',
      () =>
        new Histogram({
          name: 'sr_guard_batch_size',
          help: 'Texts per model run (micro-batching of concurrent requests).',
          labelNames: ['model'],
          buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256],
          registers: [registry],
        }),
    ),
  };
}
