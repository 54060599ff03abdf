import { z } from 'zod';
import { defineEndpoint } from '../bus/endpoint';
import { ChatMessage, ToolChoice, ToolDefinition } from './openai';

/**
 * Subjects: one per operation, versioned. Workers subscribe in the queue group named in
 * QUEUE_GROUPS so replicas share the load.
 */
export const SUBJECTS = {
  guardCheck: 'sr.v1.guard.check',
  classify: 'sr.v1.classify',
  embed: 'sr.v1.embed',
  cacheLookup: 'sr.v1.cache.lookup',
  cacheStore: 'sr.v1.cache.store',
  cacheStats: 'sr.v1.cache.admin.stats',
  cacheInvalidate: 'sr.v1.cache.admin.invalidate',
  cacheFlush: 'sr.v1.cache.admin.flush',
} as const;

export const QUEUE_GROUPS = {
  guard: 'sr-guard-workers',
  classifier: 'sr-classifier-workers',
  cache: 'sr-cache-service',
} as const;

const Score = z.number().min(0).max(1);

// ---------- guard ----------

export const PiiSpan = z.strictObject({
  type: z.string(),
  start: z.number().int().min(0),
  end: z.number().int().min(0),
  score: Score,
  /** Index of the message in the request's `messages`. */
  messageIndex: z.number().int().min(0),
});
export type PiiSpan = z.infer<typeof PiiSpan>;

export const GuardCheckRequest = z.strictObject({
  messages: z.array(ChatMessage).min(1),
  checks: z.strictObject({ jailbreak: z.boolean(), pii: z.boolean() }),
  /** Per-category override of the jailbreak threshold, when the gateway knows it. */
  jailbreakThreshold: Score.optional(),
});
export type GuardCheckRequest = z.infer<typeof GuardCheckRequest>;

export const JailbreakVerdict = z.discriminatedUnion('status', [
  z.strictObject({ status: z.literal('clean'), score: Score, threshold: Score }),
  z.strictObject({
    status: z.literal('detected'),
    score: Score,
    threshold: Score,
    messageIndex: z.number().int().min(0),
    /** How it was found: plain text, or after undoing an obfuscation (e.g. `base64`, `leetspeak`). */
    via: z.string(),
  }),
]);
export type JailbreakVerdict = z.infer<typeof JailbreakVerdict>;

export const GuardCheckReply = z.strictObject({
  jailbreak: JailbreakVerdict.nullable(),
  pii: z
    .strictObject({
      spans: z.array(PiiSpan),
      types: z.array(z.string()),
      /** Messages with every PII value replaced by a typed placeholder (`<EMAIL_ADDRESS_1>`). */
      redacted: z.array(z.strictObject({ messageIndex: z.number().int().min(0), content: z.string() })),
      /** Placeholder → original value, to restore them in the answer. Never logged. */
      placeholders: z.record(z.string(), z.string()),
    })
    .nullable(),
  timingsMs: z.record(z.string(), z.number()).default({}),
});
export type GuardCheckReply = z.infer<typeof GuardCheckReply>;

export const guardCheck = defineEndpoint(SUBJECTS.guardCheck, GuardCheckRequest, GuardCheckReply);

// ---------- classify ----------

export const Signal = z.strictObject({
  /** The label, or `unknown` below the classifier's confidence threshold. */
  label: z.string(),
  score: Score,
  distribution: z.record(z.string(), z.number()).optional(),
});
export type Signal = z.infer<typeof Signal>;

export const ClassifyRequest = z.strictObject({
  messages: z.array(ChatMessage).min(1),
  tools: z.array(ToolDefinition).optional(),
  toolChoice: ToolChoice.optional(),
});
export type ClassifyRequest = z.infer<typeof ClassifyRequest>;

export const ClassifyReply = z.strictObject({
  domain: Signal.nullable(),
  intent: Signal.nullable(),
  /** Best custom category (by example similarity), or null when none clears its threshold. */
  custom: Signal.nullable(),
  tools: z
    .strictObject({
      /** Names of the tools to keep, most relevant first. */
      selected: z.array(z.string()),
      scores: z.record(z.string(), z.number()),
      /** Why the list is what it is (`ranked`, `none-relevant-kept`, `none-relevant-dropped`, `skipped`). */
      reason: z.string(),
    })
    .nullable(),
  timingsMs: z.record(z.string(), z.number()).default({}),
});
export type ClassifyReply = z.infer<typeof ClassifyReply>;

export const classify = defineEndpoint(SUBJECTS.classify, ClassifyRequest, ClassifyReply);

export const EmbedRequest = z.strictObject({ texts: z.array(z.string()).min(1).max(256) });
export const EmbedReply = z.strictObject({
  dimension: z.number().int().positive(),
  vectors: z.array(z.array(z.number())),
});
export type EmbedRequest = z.infer<typeof EmbedRequest>;
export type EmbedReply = z.infer<typeof EmbedReply>;
export const embed = defineEndpoint(SUBJECTS.embed, EmbedRequest, EmbedReply);

// ---------- cache ----------

/** A chat.completion answer as stored and replayed (JSON, never SSE). */
export const CachedCompletion = z.looseObject({
  id: z.string().optional(),
  object: z.literal('chat.completion'),
  model: z.string().optional(),
  choices: z
    .array(z.looseObject({ index: z.number().int(), message: z.looseObject({ role: z.string() }) }))
    .min(1),
});
export type CachedCompletion = z.infer<typeof CachedCompletion>;

const Hex64 = z.string().regex(/^[0-9a-f]{64}$/, 'must be a SHA-256 hex digest');

export const CacheLookupRequest = z.strictObject({
  /** Hash of tenant + model + system prompt + tool signature + earlier turns: entries never cross it. */
  scope: Hex64,
  /** Hash of scope + the normalised query: exact matches. */
  exactKey: Hex64,
  /** The text compared semantically (the last user turn). */
  query: z.string(),
  category: z.string().optional(),
  similarityThreshold: Score.optional(),
});
export type CacheLookupRequest = z.infer<typeof CacheLookupRequest>;

export const CacheLookupReply = z.discriminatedUnion('status', [
  z.strictObject({
    status: z.literal('hit'),
    kind: z.enum(['exact', 'semantic']),
    similarity: Score,
    entryId: z.string(),
    response: CachedCompletion,
  }),
  z.strictObject({
    status: z.literal('miss'),
    /** `empty`, `below-threshold`, `verification-failed:<reason>`, `store-unavailable`, `disabled`. */
    reason: z.string(),
    bestSimilarity: Score.optional(),
  }),
]);
export type CacheLookupReply = z.infer<typeof CacheLookupReply>;

export const CacheStoreRequest = z.strictObject({
  scope: Hex64,
  exactKey: Hex64,
  query: z.string(),
  category: z.string().optional(),
  /** Opaque tenant id (a hash), for invalidation by tenant. */
  tenant: z.string(),
  model: z.string(),
  response: CachedCompletion,
  ttlSeconds: z.number().int().positive().optional(),
});
export type CacheStoreRequest = z.infer<typeof CacheStoreRequest>;

export const CacheStoreReply = z.discriminatedUnion('status', [
  z.strictObject({ status: z.literal('stored'), entryId: z.string() }),
  z.strictObject({ status: z.literal('skipped'), reason: z.string() }),
]);

export const CacheStatsReply = z.strictObject({
  backend: z.string(),
  entries: z.number().int().min(0),
  hits: z.number().int().min(0),
  misses: z.number().int().min(0),
  stores: z.number().int().min(0),
  evictions: z.number().int().min(0),
});

export const cacheLookup = defineEndpoint(SUBJECTS.cacheLookup, CacheLookupRequest, CacheLookupReply);
export const cacheStore = defineEndpoint(SUBJECTS.cacheStore, CacheStoreRequest, CacheStoreReply);
export const cacheStats = defineEndpoint(SUBJECTS.cacheStats, z.strictObject({}), CacheStatsReply);
export const cacheInvalidate = defineEndpoint(
  SUBJECTS.cacheInvalidate,
  z.strictObject({ tenant: z.string().optional(), scope: Hex64.optional() }),
  z.strictObject({ removed: z.number().int().min(0) }),
);
export const cacheFlush = defineEndpoint(
  SUBJECTS.cacheFlush,
  z.strictObject({}),
  z.strictObject({ removed: z.number().int().min(0) }),
);
