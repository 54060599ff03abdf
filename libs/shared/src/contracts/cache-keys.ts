import { createHash } from 'node:crypto';
import { messageText, type ChatMessage, type ToolDefinition } from './openai';

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** Normalises a query for exact matching: Unicode NFKC, lowercase, collapsed whitespace. */
export function normaliseQuery(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}

export interface ScopeInput {
  /** Tenant id (already a hash of the API key, or the `x-tenant-id`). */
  tenant: string;
  /** The requested model or auto route (not the model the router picked: a hit must not depend on it). */
  model: string;
  messages: readonly ChatMessage[];
  tools?: readonly ToolDefinition[] | undefined;
}

/**
 * The cache scope of a request: tenant + model + system prompt + tool signature + every turn
 * before the last user message. Two requests can share an entry only when all of these agree,
 * so no answer crosses tenants and a follow-up question never gets a first turn's answer.
 */
export function cacheScope(input: ScopeInput): string {
  const lastUser = lastUserIndex(input.messages);
  const earlier = input.messages.slice(0, lastUser).map((m) => [m.role, messageText(m)]);
  const tools = (input.tools ?? []).map((t) => [
    t.function.name,
    t.function.description ?? '',
    t.function.parameters ?? {},
  ]);
  return sha256(JSON.stringify(['v1', input.tenant, input.model, earlier, tools]));
}

export function exactCacheKey(scope: string, query: string): string {
  return sha256(`${scope}\u0000${normaliseQuery(query)}`);
}

export function lastUserIndex(messages: readonly ChatMessage[]): number {
  for (let i = messages.length - 1; i >= 0; i--) if (messages[i]!.role === 'user') return i;
  return -1;
}

/** Hash of an API key, used as the tenant id when a key has no configured tenant. */
export function hashSecret(secret: string): string {
  return sha256(secret);
}
