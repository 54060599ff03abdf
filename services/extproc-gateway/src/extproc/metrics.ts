import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { LATENCY_BUCKETS_SECONDS, metric } from '@sr/shared';

/** How an ExtProc stream ended. */
export type StreamOutcome =
  | 'forwarded'
  | 'responded'
  | 'models'
  | 'passthrough'
  | 'protocol_error'
  | 'cancelled'
  | 'incomplete'
  | 'internal_error';

/** Transport-level metrics (the pipeline records decisions, stages, TTFT, tokens and cache). */
export interface ExtProcMetrics {
  activeStreams: Gauge;
  streams: Counter<'outcome'>;
  messages: Counter<'type'>;
  /** Time from receiving a message to sending its answer: what ExtProc adds to Envoy's request. */
  answerLatency: Histogram<'type'>;
}

export function createExtProcMetrics(registry: Registry): ExtProcMetrics {
  const registers = [registry];
  return {
    activeStreams: metric(
      registry,
      'sr_extproc_active_streams',
      () => new Gauge({ name: 'sr_extproc_active_streams', help: 'Open ExtProc streams.', registers }),
    ),
    streams: metric(
      registry,
      'sr_extproc_streams_total',
      () =>
        new Counter({
          name: 'sr_extproc_streams_total',
          help: 'ExtProc streams by how they ended.',
          labelNames: ['outcome'],
          registers,
        }),
    ),
    messages: metric(
      registry,
      'sr_extproc_messages_total',
      () =>
        new Counter({
          name: 'sr_extproc_messages_total',
          help: 'ProcessingRequest messages received, by kind.',
          labelNames: ['type'],
          registers,
        }),
    ),
    answerLatency: metric(
      registry,
      'sr_extproc_answer_duration_seconds',
      () =>
        new Histogram({
          name: 'sr_extproc_answer_duration_seconds',
          help: 'Time from a ProcessingRequest to its ProcessingResponse, by kind.',
          labelNames: ['type'],
          buckets: LATENCY_BUCKETS_SECONDS,
          registers,
        }),
    ),
  };
}
