import type { CacheStoreRequest } from '@sr/shared';

/**
 * The cache's own checks on a store request (the gateway already decided the answer is storable:
 * 2xx, no PII, temperature, `cache: false`). Returns the skip reason, or undefined when valid.
 */
export function validateForStore(req: CacheStoreRequest, maxResponseBytes: number): string | undefined {
  if (req.query.trim() === '') return 'empty-query';
  const choices = req.response.choices;
  for (const choice of choices) {
    const finish = (choice as { finish_reason?: unknown }).finish_reason;
    // A cut-off or filtered answer would be replayed as if it were complete.
    if (finish === 'length') return 'truncated-answer';
    if (finish === 'content_filter') return 'filtered-answer';
  }
  const hasAnswer = choices.some((choice) => {
    const message = choice.message as { content?: unknown; tool_calls?: unknown };
    const content = message.content;
    const text =
      typeof content === 'string' ? content.trim() !== '' : Array.isArray(content) && content.length > 0;
    return text || (Array.isArray(message.tool_calls) && message.tool_calls.length > 0);
  });
  if (!hasAnswer) return 'empty-answer';
  if (Buffer.byteLength(JSON.stringify(req.response)) > maxResponseBytes) return 'too-large';
  return undefined;
}
