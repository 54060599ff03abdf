import { z } from 'zod';

/** A content part of a multimodal message; only `text` parts are classified. */
export const ContentPart = z.looseObject({ type: z.string(), text: z.string().optional() });

export const ChatMessage = z.looseObject({
  role: z.enum(['system', 'developer', 'user', 'assistant', 'tool', 'function']),
  content: z.union([z.string(), z.array(ContentPart), z.null()]).optional(),
  name: z.string().optional(),
  tool_call_id: z.string().optional(),
});
export type ChatMessage = z.infer<typeof ChatMessage>;

export const ToolDefinition = z.looseObject({
  type: z.literal('function'),
  function: z.looseObject({
    name: z.string().min(1),
    description: z.string().optional(),
    parameters: z.record(z.string(), z.unknown()).optional(),
  }),
});
export type ToolDefinition = z.infer<typeof ToolDefinition>;

export const ToolChoice = z.union([
  z.enum(['auto', 'none', 'required']),
  z.looseObject({ type: z.literal('function'), function: z.looseObject({ name: z.string() }) }),
]);
export type ToolChoice = z.infer<typeof ToolChoice>;

/** The fields of a chat completion request the router reads; everything else passes through. */
export const ChatCompletionRequest = z.looseObject({
  model: z.string({ error: 'model is required and must be a string' }).min(1, 'model must not be empty'),
  messages: z
    .array(ChatMessage, { error: 'messages is required and must be an array' })
    .min(1, 'messages must not be empty'),
  stream: z.boolean().optional(),
  temperature: z.number().nullable().optional(),
  tools: z.array(ToolDefinition).optional(),
  tool_choice: ToolChoice.optional(),
  /** Router extension: `false` skips the cache for this request. */
  cache: z.boolean().optional(),
});
export type ChatCompletionRequest = z.infer<typeof ChatCompletionRequest>;

/** Text of a message: a string, or its text parts joined (images and audio are not text). */
export function messageText(message: Pick<ChatMessage, 'content'>): string {
  const c = message.content;
  if (typeof c === 'string') return c;
  if (Array.isArray(c))
    return c
      .filter((p) => p.type === 'text' && typeof p.text === 'string')
      .map((p) => p.text)
      .join('\n');
  return '';
}
