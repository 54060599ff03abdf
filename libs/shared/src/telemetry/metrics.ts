import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/** Buckets (seconds) for sub-millisecond stages up to slow upstream calls. */
export const LATENCY_BUCKETS_SECONDS = [
  0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60,
];

/** A service's metric registry with process metrics and the bus/config metrics every service has. */
export function createMetricsRegistry(service: string): { registry: Registry; common: CommonMetrics } {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry, prefix: 'sr_' });
  return { registry, common: createCommonMetrics(registry) };
}

/**
 * Returns the metric registered under `name`, or registers the one `create` makes. Lets several
 * services share one registry in embedded mode without "already registered" errors.
 */
export function metric<T>(registry: Registry, name: string, create: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? create();
}

export interface CommonMetrics {
  busRequests: Counter<'subject' | 'outcome'>;
  busLatency: Histogram<'subject'>;
  configReloads: Counter<'outcome'>;
}

function createCommonMetrics(registry: Registry): CommonMetrics {
  return {
    busRequests: metric(
      registry,
      'sr_bus_requests_total',
      () =>
        new Counter({
          name: 'sr_bus_requests_total',
          help: 'Bus requests by subject and outcome (ok or an error code).',
          labelNames: ['subject', 'outcome'],
          registers: [registry],
        }),
    ),
    busLatency: metric(
      registry,
      'sr_bus_request_duration_seconds',
      () =>
        new Histogram({
          name: 'sr_bus_request_duration_seconds',
          help: 'Bus request round trip by subject.',
          labelNames: ['subject'],
          buckets: LATENCY_BUCKETS_SECONDS,
          registers: [registry],
        }),
    ),
    configReloads: metric(
      registry,
      'sr_config_reloads_total',
      () =>
        new Counter({
          name: 'sr_config_reloads_total',
          help: 'Config reloads by outcome (applied, rejected).',
          labelNames: ['outcome'],
          registers: [registry],
        }),
    ),
  };
}
