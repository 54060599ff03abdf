import type { ChatCompletionRequest, ChatMessage, RouterConfig, ToolChoice } from '@sr/shared';

export type Body = ChatCompletionRequest & Record<string, unknown>;

export interface ReasoningResult {
  enabled: boolean;
  family: string | undefined;
  effort: string | undefined;
}

/**
 * Sets the reasoning switch the model's family understands: `chat_template_kwargs.<param>`
 * true/false (qwen3, deepseek) or `<param>: effort` (gpt, gpt-oss; removed when off). A model
 * without a known family gets no field: an unknown field can make a server reject the request.
 */
export function applyReasoning(
  body: Body,
  options: {
    families: RouterConfig['reasoningFamilies'];
    family: string | undefined;
    enabled: boolean;
    effort: string | undefined;
    defaultEffort: string;
  },
): ReasoningResult {
  const family = options.family ? options.families[options.family] : undefined;
  if (!family) return { enabled: false, family: undefined, effort: undefined };
  if (family.type === 'chat_template_kwargs') {
    const kwargs = isRecord(body.chat_template_kwargs) ? body.chat_template_kwargs : {};
    body.chat_template_kwargs = { ...kwargs, [family.parameter]: options.enabled };
    return { enabled: options.enabled, family: options.family, effort: undefined };
  }
  if (!options.enabled) {
    delete body[family.parameter];
    return { enabled: false, family: options.family, effort: undefined };
  }
  const effort = options.effort ?? options.defaultEffort;
  body[family.parameter] = effort;
  return { enabled: true, family: options.family, effort };
}

/** Removes the reasoning switch of `family` (before re-targeting a body to another model). */
export function clearReasoning(
  body: Body,
  families: RouterConfig['reasoningFamilies'],
  family: string | undefined,
): void {
  const f = family ? families[family] : undefined;
  if (!f) return;
  if (f.type === 'reasoning_effort') {
    delete body[f.parameter];
    return;
  }
  if (!isRecord(body.chat_template_kwargs)) return;
  const { [f.parameter]: _removed, ...rest } = body.chat_template_kwargs;
  if (Object.keys(rest).length > 0) body.chat_template_kwargs = rest;
  else delete body.chat_template_kwargs;
}

/**
 * Applies a category's system prompt. `replace`: the first system message's content becomes the
 * prompt (or one is prepended). `insert`: the prompt is prepended to the existing system message.
 */
export function applySystemPrompt(
  body: Body,
  prompt: string | undefined,
  mode: 'replace' | 'insert',
): 'replace' | 'insert' | 'none' {
  if (!prompt) return 'none';
  const messages = [...body.messages];
  const index = messages.findIndex((m) => m.role === 'system');
  const existing = index >= 0 ? messages[index]! : undefined;
  if (!existing) {
    messages.unshift({ role: 'system', content: prompt });
  } else if (mode === 'replace') {
    messages[index] = { ...existing, content: prompt };
  } else {
    const text = typeof existing.content === 'string' ? existing.content : '';
    messages[index] = { ...existing, content: text ? `${prompt}\n\n${text}` : prompt };
  }
  body.messages = messages;
  return mode;
}

/** The tool `tool_choice` forces, if any. */
export function forcedToolName(choice: ToolChoice | undefined): string | undefined {
  return typeof choice === 'object' ? choice.function.name : undefined;
}

/**
 * Keeps the tools the classifier selected, in the original order, and never drops the tool
 * `tool_choice` names. An empty selection removes `tools` (and a `tool_choice` that needed them).
 */
export function filterTools(
  body: Body,
  selected: readonly string[] | undefined,
): { before: number; after: number } {
  const tools = body.tools;
  if (!tools || !selected) return { before: tools?.length ?? 0, after: tools?.length ?? 0 };
  const keep = new Set(selected);
  const forced = forcedToolName(body.tool_choice);
  if (forced) keep.add(forced);
  const kept = tools.filter((t) => keep.has(t.function.name));
  if (kept.length === 0) {
    delete body.tools;
    if (body.tool_choice === 'required' || body.tool_choice === 'auto') delete body.tool_choice;
  } else {
    body.tools = kept;
  }
  return { before: tools.length, after: kept.length };
}

/** Replaces the contents of the messages the guard redacted (PII → typed placeholders). */
export function applyRedaction(
  body: Body,
  redacted: ReadonlyArray<{ messageIndex: number; content: string }>,
): number {
  const messages: ChatMessage[] = [...body.messages];
  let changed = 0;
  for (const r of redacted) {
    const m = messages[r.messageIndex];
    if (!m) continue;
    messages[r.messageIndex] = { ...m, content: r.content };
    changed++;
  }
  body.messages = messages;
  return changed;
}

/**
 * A copy of the body that is safe to mutate with the functions above: they only replace
 * top-level fields and whole messages (never edit nested objects in place), so a shallow copy
 * is enough and what the caller parsed stays untouched (a unit test checks it).
 */
export function cloneBody(body: ChatCompletionRequest): Body {
  return { ...body } as Body;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
