import type { CachedCompletion } from '@sr/shared';
import { SSE_DONE, sseFrame } from './parser';

/**
 * Turns a stored chat.completion into SSE frames, as a streaming client expects: a role chunk,
 * the content in several pieces (at word boundaries), tool calls, a finish chunk with usage,
 * then `[DONE]`.
 */
export function replayAsSse(
  completion: CachedCompletion,
  options: { pieces?: number; model?: string } = {},
): string[] {
  const pieces = Math.max(1, options.pieces ?? 4);
  const base = {
    id: completion.id ?? 'chatcmpl-cached',
    object: 'chat.completion.chunk',
    created: typeof completion.created === 'number' ? completion.created : Math.floor(Date.now() / 1000),
    model: options.model ?? completion.model ?? 'unknown',
  };
  const frames: string[] = [];
  const chunk = (index: number, delta: Record<string, unknown>, finish: unknown = null) =>
    sseFrame(JSON.stringify({ ...base, choices: [{ index, delta, finish_reason: finish, logprobs: null }] }));
  for (const choice of completion.choices) {
    const message = choice.message as Record<string, unknown> & { role: string };
    frames.push(chunk(choice.index, { role: message.role, content: '' }));
    if (typeof message.reasoning_content === 'string' && message.reasoning_content)
      frames.push(chunk(choice.index, { reasoning_content: message.reasoning_content }));
    if (typeof message.content === 'string')
      for (const piece of splitText(message.content, pieces))
        frames.push(chunk(choice.index, { content: piece }));
    if (Array.isArray(message.tool_calls))
      frames.push(
        chunk(choice.index, {
          tool_calls: message.tool_calls.map((t, i) => ({ index: i, ...(t as Record<string, unknown>) })),
        }),
      );
    frames.push(chunk(choice.index, {}, (choice as { finish_reason?: unknown }).finish_reason ?? 'stop'));
  }
  if (completion.usage)
    frames.push(sseFrame(JSON.stringify({ ...base, choices: [], usage: completion.usage })));
  frames.push(sseFrame(SSE_DONE));
  return frames;
}

/** Splits text into at most `pieces` parts at spaces (a long word stays whole). */
export function splitText(text: string, pieces: number): string[] {
  if (!text) return [];
  if (pieces <= 1) return [text];
  const target = Math.ceil(text.length / pieces);
  const parts: string[] = [];
  let start = 0;
  while (start < text.length) {
    let end = Math.min(text.length, start + target);
    if (end < text.length) {
      const space = text.indexOf(' ', end);
      end = space === -1 ? text.length : space + 1;
    }
    parts.push(text.slice(start, end));
    start = end;
  }
  return parts;
}
