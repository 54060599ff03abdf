import type { ClassifyReply } from '@sr/shared';
import type { Decision } from '../decision/decide';
import type { DecisionTrace } from './types';

/** The trace of a request before anything is known about it. */
export function emptyTrace(requestId: string): DecisionTrace {
  return {
    requestId,
    requestedModel: '',
    auto: false,
    tenant: 'anonymous',
    stages: { guard: { status: 'skipped' }, classify: { status: 'skipped' }, cache: { status: 'skipped' } },
  };
}

/** Adds what the decision found to the trace (never prompt text). */
export function fillTrace(
  trace: DecisionTrace,
  decision: Decision,
  classified: ClassifyReply | undefined,
): void {
  if (classified)
    trace.signals = { domain: classified.domain, intent: classified.intent, custom: classified.custom };
  trace.category = decision.category
    ? {
        name: decision.category.category.name,
        signal: decision.category.signal,
        score: decision.category.score,
      }
    : null;
  if (decision.jailbreak) trace.jailbreak = decision.jailbreak;
  if (decision.kind === 'block') {
    trace.blocked = decision.reason;
    if (decision.piiTypes.length) trace.pii = { types: decision.piiTypes, action: 'block' };
    return;
  }
  if (decision.kind === 'cache-hit') {
    trace.cache = { status: 'hit', kind: decision.entryKind, similarity: decision.similarity };
    return;
  }
  trace.candidates = decision.ranked.map((r) => ({ model: r.model.name, score: r.score, eligible: true }));
  trace.selectedModel = decision.model.name;
  trace.reasoning = {
    enabled: decision.reasoning.enabled,
    ...(decision.reasoning.family ? { family: decision.reasoning.family } : {}),
    ...(decision.reasoning.effort ? { effort: decision.reasoning.effort } : {}),
  };
  if (decision.piiTypes.length)
    trace.pii = {
      types: decision.piiTypes,
      action: decision.pii.action,
      ...(decision.pii.action === 'route' ? { targetModel: decision.pii.model.name } : {}),
    };
  if (decision.tools) trace.tools = decision.tools;
  trace.systemPrompt = decision.systemPrompt;
  trace.cache =
    decision.cacheMiss !== undefined ? { status: 'miss', reason: decision.cacheMiss } : { status: 'skipped' };
}
