import type {
  CacheLookupReply,
  CachedCompletion,
  ChatCompletionRequest,
  ClassifyReply,
  GuardCheckReply,
  ModelConfig,
  RouterConfig,
} from '@sr/shared';
import { selectCategory, type CategoryMatch } from './category';
import { fallbackModels, rankModels, type RankedModel } from './models';
import { decidePii, type PiiDecision } from './pii';
import {
  applyReasoning,
  applyRedaction,
  applySystemPrompt,
  cloneBody,
  filterTools,
  type Body,
  type ReasoningResult,
} from './mutate';

export interface DecideInput {
  config: RouterConfig;
  request: ChatCompletionRequest;
  /** The explicitly requested model; undefined for an auto name. */
  explicitModel: ModelConfig | undefined;
  guard: GuardCheckReply | undefined;
  classify: ClassifyReply | undefined;
  cache: CacheLookupReply | undefined;
  /** Ask streamed upstream answers for usage (the HTTP proxy re-frames the stream anyway). */
  streamUsage?: boolean;
}

export interface JailbreakFinding {
  status: 'clean' | 'detected';
  score: number;
  threshold: number;
}

export type Decision =
  | {
      kind: 'block';
      code: 'JAILBREAK_DETECTED' | 'PII_POLICY_VIOLATION';
      /** Short reason for headers and metric labels: `jailbreak`, `pii`. */
      reason: 'jailbreak' | 'pii';
      message: string;
      category: CategoryMatch | null;
      jailbreak: JailbreakFinding | undefined;
      piiTypes: string[];
    }
  | {
      kind: 'cache-hit';
      completion: CachedCompletion;
      similarity: number;
      entryKind: 'exact' | 'semantic';
      category: CategoryMatch | null;
      jailbreak: JailbreakFinding | undefined;
      piiTypes: string[];
    }
  | {
      kind: 'route';
      model: ModelConfig;
      body: Body;
      category: CategoryMatch | null;
      ranked: RankedModel[];
      fallbackModels: string[];
      reasoning: ReasoningResult;
      pii: PiiDecision;
      piiTypes: string[];
      /** Placeholders to restore in the answer (PII redact with restoreInResponse). */
      restore: Record<string, string> | undefined;
      jailbreak: JailbreakFinding | undefined;
      /** `jailbreak` when the guard's action is `flag` and it fired. */
      flagged: string | undefined;
      tools: { before: number; after: number; reason: string } | undefined;
      systemPrompt: 'replace' | 'insert' | 'none';
      /** Why the cache did not answer (for the trace), undefined when it was not consulted. */
      cacheMiss: string | undefined;
      /** The router asked the upstream for streamed usage; the extra usage event is not the client's. */
      usageAdded: boolean;
    };

/**
 * The decision: a pure function of the config, the request and the workers' replies.
 * Order: jailbreak → PII policy → cache hit → route.
 */
export function decide(input: DecideInput): Decision {
  const { config, request, explicitModel, guard, classify, cache } = input;
  const category = explicitModel ? null : selectCategory(config, classify);
  const piiTypes = guard?.pii?.types ?? [];

  const jailbreak = jailbreakFinding(guard, category);
  if (jailbreak?.status === 'detected' && config.guards.jailbreak.action === 'block')
    return {
      kind: 'block',
      code: 'JAILBREAK_DETECTED',
      reason: 'jailbreak',
      message: `The request was blocked: it was classified as a jailbreak or prompt injection (score ${jailbreak.score.toFixed(2)}).`,
      category,
      jailbreak,
      piiTypes,
    };

  const ranked: RankedModel[] = explicitModel
    ? [{ model: explicitModel, score: 1, useReasoning: false, reasoningEffort: undefined }]
    : rankModels(config, category?.category ?? null);
  const first = ranked[0];
  if (!first) throw new Error(`default model ${config.defaultModel} is not configured`);
  let pii = decidePii({ config, chosen: first.model, ranked, types: piiTypes });
  // An explicit model is what the client asked for: never silently swap it for another.
  if (explicitModel && pii.action === 'route')
    pii = {
      action: 'block',
      from: explicitModel.name,
      reason: `${explicitModel.name} may not receive ${piiTypes.join(', ')}`,
    };
  if (pii.action === 'block')
    return {
      kind: 'block',
      code: 'PII_POLICY_VIOLATION',
      reason: 'pii',
      message: `The request was blocked: it contains personal data (${piiTypes.join(', ')}) that no eligible model may receive.`,
      category,
      jailbreak,
      piiTypes,
    };

  const cacheMiss = cacheOutcome(cache, category);
  if (cacheMiss.status === 'hit')
    return {
      kind: 'cache-hit',
      completion: cacheMiss.completion,
      similarity: cacheMiss.similarity,
      entryKind: cacheMiss.kind,
      category,
      jailbreak,
      piiTypes,
    };

  const model = pii.action === 'none' ? first.model : pii.model;
  const entry = ranked.find((r) => r.model.name === model.name);
  const body = cloneBody(request);
  delete body.cache; // router extension: upstreams may reject unknown fields
  let restore: Record<string, string> | undefined;
  if (pii.action === 'redact' && guard?.pii) {
    applyRedaction(body, guard.pii.redacted);
    if (pii.restore) restore = guard.pii.placeholders;
  }
  const systemPrompt = category
    ? applySystemPrompt(body, category.category.systemPrompt, category.category.systemPromptMode)
    : 'none';
  const reasoning: ReasoningResult = explicitModel
    ? { enabled: false, family: undefined, effort: undefined }
    : applyReasoning(body, {
        families: config.reasoningFamilies,
        family: model.reasoningFamily,
        enabled: entry?.useReasoning ?? false,
        effort: entry?.reasoningEffort,
        defaultEffort: config.defaultReasoningEffort,
      });
  let tools: { before: number; after: number; reason: string } | undefined;
  if (!explicitModel && config.tools.enabled && classify?.tools && request.tools?.length) {
    tools = { ...filterTools(body, classify.tools.selected), reason: classify.tools.reason };
  }
  body.model = model.upstreamModel ?? model.name;
  const usageAdded = input.streamUsage === true && requestStreamUsage(body);

  return {
    kind: 'route',
    model,
    body,
    category,
    ranked,
    fallbackModels: explicitModel
      ? []
      : fallbackModels(config, ranked, model.name, (name) => {
          const m = config.models.find((x) => x.name === name);
          // A fallback must satisfy the PII policy the chosen model was picked under.
          return !!m && (piiTypes.length === 0 || pii.action === 'redact' || allowsAll(m, piiTypes));
        }),
    reasoning,
    pii,
    piiTypes,
    restore,
    jailbreak,
    flagged: jailbreak?.status === 'detected' ? 'jailbreak' : undefined,
    tools,
    systemPrompt,
    cacheMiss: cache ? (cacheMiss.status === 'miss' ? cacheMiss.reason : undefined) : undefined,
    usageAdded,
  };
}

/**
 * A streamed answer carries token usage only when asked (`stream_options.include_usage`); the
 * router asks, so tokens, cost and time per output token are measured for streams too.
 * Returns true when it added the option (the usage event is then not passed to the client).
 */
export function requestStreamUsage(body: Body): boolean {
  if (body.stream !== true) return false;
  const options = body.stream_options;
  const current = typeof options === 'object' && options !== null ? (options as Record<string, unknown>) : {};
  if (current.include_usage === true) return false;
  body.stream_options = { ...current, include_usage: true };
  return true;
}

function allowsAll(model: ModelConfig, types: readonly string[]): boolean {
  return model.piiPolicy.allow.includes('*') || types.every((t) => model.piiPolicy.allow.includes(t));
}

/** The jailbreak verdict, re-judged against the category's own threshold when it has one. */
export function jailbreakFinding(
  guard: GuardCheckReply | undefined,
  category: CategoryMatch | null,
): JailbreakFinding | undefined {
  const verdict = guard?.jailbreak;
  if (!verdict) return undefined;
  const threshold = category?.category.jailbreakThreshold ?? verdict.threshold;
  return { status: verdict.score >= threshold ? 'detected' : 'clean', score: verdict.score, threshold };
}

type CacheOutcome =
  | { status: 'hit'; completion: CachedCompletion; similarity: number; kind: 'exact' | 'semantic' }
  | { status: 'miss'; reason: string };

/** A hit counts unless the category turns its cache off or asks for a stricter similarity. */
export function cacheOutcome(
  cache: CacheLookupReply | undefined,
  category: CategoryMatch | null,
): CacheOutcome {
  if (!cache) return { status: 'miss', reason: 'not-consulted' };
  if (cache.status === 'miss') return { status: 'miss', reason: cache.reason };
  const settings = category?.category.cache;
  if (settings?.enabled === false) return { status: 'miss', reason: 'category-cache-disabled' };
  const threshold = settings?.similarityThreshold;
  if (cache.kind === 'semantic' && threshold !== undefined && cache.similarity < threshold)
    return { status: 'miss', reason: 'below-category-threshold' };
  return { status: 'hit', completion: cache.response, similarity: cache.similarity, kind: cache.kind };
}
