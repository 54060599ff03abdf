import type { CachedCompletion } from '@sr/shared';

interface ToolCallPart {
  index: number;
  id?: string;
  type?: string;
  function: { name: string; arguments: string };
}

interface ChoiceState {
  index: number;
  role: string;
  content: string;
  hasContent: boolean;
  reasoning: string;
  toolCalls: Map<number, ToolCallPart>;
  finishReason: string | null;
}

export type ReassemblyResult =
  | { status: 'complete'; completion: CachedCompletion; usage: Usage | undefined }
  | { status: 'incomplete'; reason: string };

export interface Usage {
  prompt_tokens?: number;
  completion_tokens?: number;
  total_tokens?: number;
}

/**
 * Rebuilds a `chat.completion` from the `chat.completion.chunk` events of a streamed answer
 * (content, reasoning and tool-call deltas, finish reasons, usage). An answer is complete when
 * `[DONE]` arrived and every choice has a finish reason: only complete answers are cached.
 */
export class StreamReassembler {
  private id: string | undefined;
  private model: string | undefined;
  private created: number | undefined;
  private systemFingerprint: string | undefined;
  private usage: Usage | undefined;
  private readonly choices = new Map<number, ChoiceState>();
  private done = false;
  private invalid: string | undefined;
  /** Number of chunks that carried content (for time-per-output-token when usage is absent). */
  contentChunks = 0;

  /** Adds one event's data (the JSON of a chunk, or `[DONE]`). */
  add(data: string): void {
    if (data.trim() === '[DONE]') {
      this.done = true;
      return;
    }
    let chunk: unknown;
    try {
      chunk = JSON.parse(data);
    } catch {
      this.invalid ??= 'an event is not JSON';
      return;
    }
    if (!isRecord(chunk)) return;
    if (isRecord(chunk.error)) {
      this.invalid ??= 'the stream carried an error';
      return;
    }
    if (typeof chunk.id === 'string') this.id ??= chunk.id;
    if (typeof chunk.model === 'string') this.model ??= chunk.model;
    if (typeof chunk.created === 'number') this.created ??= chunk.created;
    if (typeof chunk.system_fingerprint === 'string') this.systemFingerprint ??= chunk.system_fingerprint;
    if (isRecord(chunk.usage)) this.usage = chunk.usage as Usage;
    if (!Array.isArray(chunk.choices)) return;
    for (const c of chunk.choices) {
      if (!isRecord(c)) continue;
      const index = typeof c.index === 'number' ? c.index : 0;
      const state = this.choice(index);
      const delta = isRecord(c.delta) ? c.delta : {};
      if (typeof delta.role === 'string') state.role = delta.role;
      if (typeof delta.content === 'string') {
        state.content += delta.content;
        state.hasContent = true;
        if (delta.content) this.contentChunks++;
      }
      const reasoning = delta.reasoning_content ?? delta.reasoning;
      if (typeof reasoning === 'string') state.reasoning += reasoning;
      if (Array.isArray(delta.tool_calls)) for (const t of delta.tool_calls) this.addToolCall(state, t);
      if (typeof c.finish_reason === 'string') state.finishReason = c.finish_reason;
    }
  }

  result(): ReassemblyResult {
    if (this.invalid) return { status: 'incomplete', reason: this.invalid };
    if (!this.done) return { status: 'incomplete', reason: 'no [DONE]' };
    if (this.choices.size === 0) return { status: 'incomplete', reason: 'no choices' };
    const choices = [...this.choices.values()].sort((a, b) => a.index - b.index);
    if (choices.some((c) => c.finishReason === null))
      return { status: 'incomplete', reason: 'a choice has no finish_reason' };
    const completion: CachedCompletion = {
      id: this.id ?? 'chatcmpl-reassembled',
      object: 'chat.completion',
      created: this.created ?? Math.floor(Date.now() / 1000),
      model: this.model ?? 'unknown',
      choices: choices.map((c) => {
        const message: Record<string, unknown> & { role: string } = {
          role: c.role,
          content: c.hasContent || c.toolCalls.size === 0 ? c.content : null,
        };
        if (c.reasoning) message.reasoning_content = c.reasoning;
        if (c.toolCalls.size > 0)
          message.tool_calls = [...c.toolCalls.values()]
            .sort((a, b) => a.index - b.index)
            .map((t) => ({ id: t.id, type: t.type ?? 'function', function: t.function }));
        return { index: c.index, message, finish_reason: c.finishReason, logprobs: null };
      }),
    };
    if (this.systemFingerprint) completion.system_fingerprint = this.systemFingerprint;
    if (this.usage) completion.usage = this.usage;
    return { status: 'complete', completion, usage: this.usage };
  }

  private choice(index: number): ChoiceState {
    let state = this.choices.get(index);
    if (!state) {
      state = {
        index,
        role: 'assistant',
        content: '',
        hasContent: false,
        reasoning: '',
        toolCalls: new Map(),
        finishReason: null,
      };
      this.choices.set(index, state);
    }
    return state;
  }

  private addToolCall(state: ChoiceState, raw: unknown): void {
    if (!isRecord(raw)) return;
    const index = typeof raw.index === 'number' ? raw.index : state.toolCalls.size;
    let call = state.toolCalls.get(index);
    if (!call) {
      call = { index, function: { name: '', arguments: '' } };
      state.toolCalls.set(index, call);
    }
    if (typeof raw.id === 'string') call.id = raw.id;
    if (typeof raw.type === 'string') call.type = raw.type;
    const fn = isRecord(raw.function) ? raw.function : {};
    if (typeof fn.name === 'string') call.function.name += fn.name;
    if (typeof fn.arguments === 'string') call.function.arguments += fn.arguments;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
