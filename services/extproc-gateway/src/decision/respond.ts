import { randomUUID } from 'node:crypto';
import { toOpenAIError, type CachedCompletion, type ErrorCode } from '@sr/shared';

/** A refusal as a 200 completion with `finish_reason: content_filter` (guards.blockResponse). */
export function contentFilterCompletion(options: {
  reason: string;
  message: string;
  model: string;
  now?: number;
}): CachedCompletion {
  return {
    id: `chatcmpl-blocked-${randomUUID()}`,
    object: 'chat.completion',
    created: Math.floor((options.now ?? Date.now()) / 1000),
    model: options.model,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: options.message },
        finish_reason: 'content_filter',
      },
    ],
    usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
    semantic_router: { blocked: options.reason },
  };
}

export type BlockAnswer =
  { status: 403; body: ReturnType<typeof toOpenAIError> } | { status: 200; body: CachedCompletion };

/** A block answered per `guards.blockResponse`: a 403 OpenAI error or a content_filter completion. */
export function blockAnswer(options: {
  mode: 'error' | 'content_filter';
  code: Extract<ErrorCode, 'JAILBREAK_DETECTED' | 'PII_POLICY_VIOLATION'>;
  message: string;
  model: string;
}): BlockAnswer {
  if (options.mode === 'error') return { status: 403, body: toOpenAIError(options.code, options.message) };
  return {
    status: 200,
    body: contentFilterCompletion({
      reason: options.code.toLowerCase(),
      message: options.message,
      model: options.model,
    }),
  };
}
