import { Counter, Histogram, type Registry } from 'prom-client';
import { LATENCY_BUCKETS_SECONDS, metric } from '@sr/shared';

/**
 * The gateway's metrics. Every label value is bounded: categories and models come from config,
 * tenants from config (`anonymous`, `other` otherwise), reasons and outcomes from fixed sets.
 */
export interface GatewayMetrics {
  requests: Counter<'transport' | 'decision' | 'category' | 'model' | 'reason' | 'tenant'>;
  stageLatency: Histogram<'stage' | 'outcome'>;
  decisionLatency: Histogram<'transport'>;
  upstreamLatency: Histogram<'model' | 'status'>;
  upstreamAttempts: Counter<'model' | 'outcome'>;
  ejections: Counter<'model'>;
  ttft: Histogram<'model'>;
  tpot: Histogram<'model'>;
  tokens: Counter<'model' | 'kind'>;
  cost: Counter<'model' | 'currency'>;
  blocks: Counter<'reason'>;
  cache: Counter<'outcome'>;
  cacheStores: Counter<'outcome'>;
}

const counter = <L extends string>(registry: Registry, name: string, help: string, labelNames: L[]) =>
  metric(registry, name, () => new Counter<L>({ name, help, labelNames, registers: [registry] }));

const histogram = <L extends string>(
  registry: Registry,
  name: string,
  help: string,
  labelNames: L[],
  buckets = LATENCY_BUCKETS_SECONDS,
) =>
  metric(registry, name, () => new Histogram<L>({ name, help, labelNames, buckets, registers: [registry] }));

export function createGatewayMetrics(registry: Registry): GatewayMetrics {
  return {
    requests: counter(
      registry,
      'sr_gateway_requests_total',
      'Chat completion requests by transport, decision (routed, blocked, cache_hit, error), category, model, reason and tenant.',
      ['transport', 'decision', 'category', 'model', 'reason', 'tenant'],
    ),
    stageLatency: histogram(
      registry,
      'sr_gateway_stage_duration_seconds',
      'Latency of each pipeline stage (guard, classify, cache_lookup, cache_store, decision) by outcome.',
      ['stage', 'outcome'],
    ),
    decisionLatency: histogram(
      registry,
      'sr_gateway_pipeline_duration_seconds',
      'Time from request body to decision (the gateway-added latency before the upstream call).',
      ['transport'],
    ),
    upstreamLatency: histogram(
      registry,
      'sr_gateway_upstream_duration_seconds',
      'Upstream answer time (request sent to last byte) by model and status class.',
      ['model', 'status'],
    ),
    upstreamAttempts: counter(
      registry,
      'sr_gateway_upstream_attempts_total',
      'Upstream attempts by model and outcome (ok, connect_error, status_429, status_5xx, timeout, aborted).',
      ['model', 'outcome'],
    ),
    ejections: counter(
      registry,
      'sr_gateway_endpoint_ejections_total',
      'Upstream endpoints ejected after consecutive failures, by model.',
      ['model'],
    ),
    ttft: histogram(registry, 'sr_gateway_ttft_seconds', 'Time to first byte of the answer, by model.', [
      'model',
    ]),
    tpot: histogram(
      registry,
      'sr_gateway_time_per_output_token_seconds',
      'Generation time divided by completion tokens, by model.',
      ['model'],
    ),
    tokens: counter(registry, 'sr_gateway_tokens_total', 'Tokens by model and kind (prompt, completion).', [
      'model',
      'kind',
    ]),
    cost: counter(
      registry,
      'sr_gateway_cost_total',
      'Cost of answered requests from the configured per-1M-token pricing, by model and currency.',
      ['model', 'currency'],
    ),
    blocks: counter(registry, 'sr_gateway_blocks_total', 'Blocked requests by reason (jailbreak, pii).', [
      'reason',
    ]),
    cache: counter(
      registry,
      'sr_gateway_cache_lookups_total',
      'Cache lookups as the gateway saw them, by outcome (hit, miss, skipped, error).',
      ['outcome'],
    ),
    cacheStores: counter(
      registry,
      'sr_gateway_cache_stores_total',
      'Cache writes after an answer, by outcome (stored, skipped, error, not_cacheable).',
      ['outcome'],
    ),
  };
}
