import { SpanStatusCode, trace } from '@opentelemetry/api';
import { errorCodeOf } from '@sr/shared';
import type { GatewayMetrics } from '../metrics';
import type { StageOutcome, TraceStage } from './types';

export const tracer = trace.getTracer('semantic-router.gateway');

/**
 * Runs one stage of the fan-out in its own span, timing it. A failure becomes data (`failed`
 * with the error's code): what it means (fail open or closed) is the decision's business.
 */
export async function runStage<T>(
  stage: string,
  metrics: GatewayMetrics,
  fn: () => Promise<T>,
  attributes: (value: T) => Record<string, string | number | boolean> = () => ({}),
): Promise<StageOutcome<T>> {
  return tracer.startActiveSpan(`semantic_router.${stage}`, async (span) => {
    const start = performance.now();
    try {
      const value = await fn();
      const ms = performance.now() - start;
      metrics.stageLatency.observe({ stage, outcome: 'ok' }, ms / 1000);
      span.setAttributes(attributes(value));
      return { status: 'ok', value, ms } as const;
    } catch (err) {
      const ms = performance.now() - start;
      const code = errorCodeOf(err);
      metrics.stageLatency.observe({ stage, outcome: code }, ms / 1000);
      span.setStatus({ code: SpanStatusCode.ERROR, message: code });
      span.setAttribute('error.type', code);
      return { status: 'failed', code, message: (err as Error)?.message ?? String(err), ms } as const;
    } finally {
      span.end();
    }
  });
}

export function skipped<T>(reason: string): StageOutcome<T> {
  return { status: 'skipped', reason };
}

export function traceStage(outcome: StageOutcome<unknown>): TraceStage {
  if (outcome.status === 'ok') return { status: 'ok', ms: round(outcome.ms) };
  if (outcome.status === 'skipped') return { status: 'skipped', reason: outcome.reason };
  return { status: 'failed', ms: round(outcome.ms), code: outcome.code };
}

export const round = (ms: number) => Math.round(ms * 1000) / 1000;
