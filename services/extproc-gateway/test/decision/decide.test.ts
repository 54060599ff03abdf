import type { CacheLookupReply, ChatCompletionRequest } from '@sr/shared';
import { decide, type DecideInput } from '../../src/decision/decide';
import { clearReasoning } from '../../src/decision/mutate';
import { guardReply, piiReply, signals, testConfig } from './fixtures';

const config = testConfig();
const request = (
  content = 'question',
  extra: Partial<ChatCompletionRequest> = {},
): ChatCompletionRequest => ({
  model: 'auto',
  messages: [{ role: 'user', content }],
  ...extra,
});
const input = (partial: Partial<DecideInput>): DecideInput => ({
  config,
  request: request(),
  explicitModel: undefined,
  guard: guardReply(),
  classify: undefined,
  cache: undefined,
  ...partial,
});
const hit = (similarity: number, kind: 'exact' | 'semantic' = 'semantic'): CacheLookupReply => ({
  status: 'hit',
  kind,
  similarity,
  entryId: 'e1',
  response: {
    object: 'chat.completion',
    choices: [{ index: 0, message: { role: 'assistant', content: 'cached' } }],
  },
});

describe('decide: routing', () => {
  test('the best-scoring model of the category wins, with reasoning and the system prompt', () => {
    const d = decide(input({ classify: signals({ domain: { label: 'math', score: 0.9 } }) }));
    expect(d.kind).toBe('route');
    if (d.kind !== 'route') return;
    expect(d.model.name).toBe('mathy');
    expect(d.body.model).toBe('mathy');
    expect(d.body.chat_template_kwargs).toEqual({ enable_thinking: true });
    expect(d.reasoning).toEqual({ enabled: true, family: 'qwen3', effort: undefined });
    expect(d.body.messages[0]).toEqual({ role: 'system', content: 'Show your work.' });
    expect(d.fallbackModels).toEqual(['general']);
  });

  test('signal priority: custom beats domain beats intent', () => {
    const all = signals({
      custom: { label: 'legal', score: 0.7 },
      domain: { label: 'math', score: 0.9 },
      intent: { label: 'code_generation', score: 0.9 },
    });
    const d1 = decide(input({ classify: all }));
    expect(d1.kind === 'route' && d1.category?.category.name).toBe('legal');
    const d2 = decide(input({ classify: { ...all, custom: null } }));
    expect(d2.kind === 'route' && d2.category?.category.name).toBe('math');
    const d3 = decide(
      input({ config: testConfig('routing: { signalPriority: [intent, domain] }'), classify: all }),
    );
    expect(d3.kind === 'route' && d3.category?.category.name).toBe('code_generation');
  });

  test('labels map to categories; unknown or unmapped labels go to the default model', () => {
    const cs = decide(input({ classify: signals({ domain: { label: 'engineering', score: 0.8 } }) }));
    expect(cs.kind === 'route' && cs.model.name).toBe('coder');
    const unknown = decide(input({ classify: signals({ domain: { label: 'unknown', score: 0.1 } }) }));
    expect(unknown.kind === 'route' && unknown.model.name).toBe('general');
    expect(unknown.kind === 'route' && unknown.category).toBeNull();
    const unmapped = decide(input({ classify: signals({ domain: { label: 'philosophy', score: 0.9 } }) }));
    expect(unmapped.kind === 'route' && unmapped.model.name).toBe('general');
    const noClassifier = decide(input({ classify: undefined }));
    expect(noClassifier.kind === 'route' && noClassifier.model.name).toBe('general');
  });

  test('reasoning_effort families get the configured effort and the upstream model name', () => {
    const d = decide(input({ classify: signals({ domain: { label: 'computer science', score: 0.8 } }) }));
    if (d.kind !== 'route') throw new Error('expected route');
    expect(d.body.reasoning_effort).toBe('medium');
    expect(d.body.model).toBe('openai/gpt-oss-20b');
    const off = decide(
      input({
        request: request('q', { reasoning_effort: 'high' } as Partial<ChatCompletionRequest>),
        classify: signals({ intent: { label: 'code_generation', score: 0.8 } }),
      }),
    );
    if (off.kind !== 'route') throw new Error('expected route');
    expect(off.body.reasoning_effort).toBeUndefined();
    expect(off.reasoning.enabled).toBe(false);
  });

  test('an explicit model passes through untouched apart from its upstream name', () => {
    const coder = config.models.find((m) => m.name === 'coder')!;
    const d = decide(input({ explicitModel: coder, request: request('hi', { model: 'coder' }) }));
    if (d.kind !== 'route') throw new Error('expected route');
    expect(d.model.name).toBe('coder');
    expect(d.body.model).toBe('openai/gpt-oss-20b');
    expect(d.body.reasoning_effort).toBeUndefined();
    expect(d.body.messages).toHaveLength(1);
    expect(d.fallbackModels).toEqual([]);
  });

  test('the router extension `cache` never goes upstream and the request object is not mutated', () => {
    const req = request('q', { cache: false });
    const d = decide(input({ request: req, classify: signals({ domain: { label: 'math', score: 0.9 } }) }));
    if (d.kind !== 'route') throw new Error('expected route');
    expect('cache' in d.body).toBe(false);
    expect(req.cache).toBe(false);
    expect(req.messages).toHaveLength(1);
  });
});

describe('decide: tools', () => {
  const tools = ['get_weather', 'search_web', 'send_email'].map((name) => ({
    type: 'function' as const,
    function: { name },
  }));
  const classify = (selected: string[]) => signals({ tools: { selected, scores: {}, reason: 'ranked' } });

  test('keeps only the selected tools, in their original order', () => {
    const d = decide(
      input({ request: request('q', { tools }), classify: classify(['send_email', 'get_weather']) }),
    );
    if (d.kind !== 'route') throw new Error('expected route');
    expect(d.body.tools?.map((t) => t.function.name)).toEqual(['get_weather', 'send_email']);
    expect(d.tools).toEqual({ before: 3, after: 2, reason: 'ranked' });
  });

  test('never drops the tool tool_choice names', () => {
    const d = decide(
      input({
        request: request('q', { tools, tool_choice: { type: 'function', function: { name: 'search_web' } } }),
        classify: classify(['get_weather']),
      }),
    );
    if (d.kind !== 'route') throw new Error('expected route');
    expect(d.body.tools?.map((t) => t.function.name)).toEqual(['get_weather', 'search_web']);
  });

  test('an empty selection removes tools and a tool_choice that needs them', () => {
    const d = decide(
      input({ request: request('q', { tools, tool_choice: 'required' }), classify: classify([]) }),
    );
    if (d.kind !== 'route') throw new Error('expected route');
    expect(d.body.tools).toBeUndefined();
    expect(d.body.tool_choice).toBeUndefined();
  });

  test('tools pass unchanged when tool selection is off', () => {
    const d = decide(
      input({
        config: testConfig('tools: { enabled: false }'),
        request: request('q', { tools }),
        classify: classify([]),
      }),
    );
    if (d.kind !== 'route') throw new Error('expected route');
    expect(d.body.tools).toHaveLength(3);
  });
});

describe('decide: guards', () => {
  test('a detected jailbreak blocks, before PII and cache', () => {
    const d = decide(
      input({
        guard: guardReply({
          jailbreak: { status: 'detected', score: 0.9, threshold: 0.5, messageIndex: 0, via: 'plain' },
        }),
        cache: hit(1, 'exact'),
      }),
    );
    expect(d).toMatchObject({ kind: 'block', code: 'JAILBREAK_DETECTED', reason: 'jailbreak' });
  });

  test('with action flag a jailbreak only flags', () => {
    const d = decide(
      input({
        config: testConfig('guards: { jailbreak: { action: flag } }'),
        guard: guardReply({
          jailbreak: { status: 'detected', score: 0.9, threshold: 0.5, messageIndex: 0, via: 'plain' },
        }),
      }),
    );
    expect(d).toMatchObject({ kind: 'route', flagged: 'jailbreak' });
  });

  test("a category's own jailbreak threshold re-judges the score", () => {
    const g = guardReply({
      jailbreak: { status: 'detected', score: 0.9, threshold: 0.5, messageIndex: 0, via: 'plain' },
    });
    const cs = decide(
      input({ guard: g, classify: signals({ domain: { label: 'computer science', score: 0.8 } }) }),
    );
    expect(cs.kind).toBe('route');
    const math = decide(input({ guard: g, classify: signals({ domain: { label: 'math', score: 0.8 } }) }));
    expect(math.kind).toBe('block');
  });

  test('PII with policy route goes to the next model of the category that allows it', () => {
    const d = decide(
      input({
        guard: guardReply({
          pii: piiReply(['EMAIL_ADDRESS'], 'mail <EMAIL_ADDRESS_1>', { '<EMAIL_ADDRESS_1>': 'a@b.co' }),
        }),
        classify: signals({ domain: { label: 'math', score: 0.9 } }),
      }),
    );
    if (d.kind !== 'route') throw new Error('expected route');
    expect(d.model.name).toBe('general');
    expect(d.pii).toMatchObject({ action: 'route', model: { name: 'general' }, from: 'mathy' });
    expect(d.fallbackModels).toEqual([]);
  });

  test('PII route falls back to the default model when no model of the category allows it', () => {
    const cfg = testConfig();
    const math = cfg.categories.find((c) => c.name === 'math')!;
    const onlyMathy = { ...cfg, categories: [{ ...math, modelScores: [math.modelScores[1]!] }] };
    const d = decide(
      input({
        config: onlyMathy,
        guard: guardReply({ pii: piiReply(['PERSON'], 'x', {}) }),
        classify: signals({ domain: { label: 'math', score: 0.9 } }),
      }),
    );
    expect(d.kind === 'route' && d.pii).toMatchObject({
      action: 'route',
      model: { name: 'general' },
      from: 'mathy',
    });
  });

  test('PII route blocks when no model may receive it', () => {
    const d = decide(
      input({
        guard: guardReply({ pii: piiReply(['US_SSN'], 'x', {}) }),
        classify: signals({ domain: { label: 'math', score: 0.9 } }),
      }),
    );
    expect(d).toMatchObject({ kind: 'block', code: 'PII_POLICY_VIOLATION', reason: 'pii' });
  });

  test('PII with policy redact masks the values and asks for them back in the answer', () => {
    const d = decide(
      input({
        guard: guardReply({
          pii: piiReply(['US_SSN'], 'my ssn is <US_SSN_1>', { '<US_SSN_1>': '123-45-6789' }),
        }),
      }),
    );
    if (d.kind !== 'route') throw new Error('expected route');
    expect(d.model.name).toBe('general');
    expect(d.body.messages[0]!.content).toBe('my ssn is <US_SSN_1>');
    expect(d.restore).toEqual({ '<US_SSN_1>': '123-45-6789' });
  });

  test('PII with policy block refuses', () => {
    const d = decide(
      input({
        guard: guardReply({ pii: piiReply(['PERSON'], 'x', {}) }),
        classify: signals({ domain: { label: 'health', score: 0.9 } }),
      }),
    );
    expect(d).toMatchObject({ kind: 'block', reason: 'pii' });
  });

  test('an explicit model is never swapped for another because of PII', () => {
    const mathy = config.models.find((m) => m.name === 'mathy')!;
    const d = decide(
      input({
        explicitModel: mathy,
        request: request('q', { model: 'mathy' }),
        guard: guardReply({ pii: piiReply(['PERSON'], 'x', {}) }),
      }),
    );
    expect(d).toMatchObject({ kind: 'block', reason: 'pii' });
  });
});

describe('decide: cache', () => {
  test('a hit answers', () => {
    const d = decide(input({ cache: hit(0.95) }));
    expect(d).toMatchObject({ kind: 'cache-hit', similarity: 0.95, entryKind: 'semantic' });
  });

  test("a semantic hit below the category's own threshold is a miss; an exact one is not", () => {
    const health = signals({ domain: { label: 'health', score: 0.9 } });
    expect(decide(input({ classify: health, cache: hit(0.95) })).kind).toBe('route');
    expect(decide(input({ classify: health, cache: hit(0.98) })).kind).toBe('cache-hit');
    expect(decide(input({ classify: health, cache: hit(1, 'exact') })).kind).toBe('cache-hit');
  });

  test('a category with its cache off ignores hits', () => {
    const d = decide(
      input({ classify: signals({ domain: { label: 'history', score: 0.9 } }), cache: hit(1, 'exact') }),
    );
    expect(d).toMatchObject({ kind: 'route', cacheMiss: 'category-cache-disabled' });
  });
});

describe('clearReasoning', () => {
  test('removes only the family switch', () => {
    const body = {
      model: 'x',
      messages: [{ role: 'user' as const, content: 'q' }],
      chat_template_kwargs: { enable_thinking: true, other: 1 },
      reasoning_effort: 'high',
    };
    clearReasoning(body, config.reasoningFamilies, 'qwen3');
    expect(body.chat_template_kwargs).toEqual({ other: 1 });
    clearReasoning(body, config.reasoningFamilies, 'gpt-oss');
    expect('reasoning_effort' in body).toBe(false);
    clearReasoning(body, config.reasoningFamilies, undefined);
    expect(body.chat_template_kwargs).toEqual({ other: 1 });
  });
});

describe('streamed usage', () => {
  test('asked for streamed requests when the transport wants it, unless the client did', () => {
    const streamed = decide(input({ request: request('q', { stream: true }), streamUsage: true }));
    expect(streamed.kind === 'route' && streamed.body.stream_options).toEqual({ include_usage: true });
    expect(streamed.kind === 'route' && streamed.usageAdded).toBe(true);
    const asked = decide(
      input({
        request: request('q', {
          stream: true,
          stream_options: { include_usage: true },
        } as Partial<ChatCompletionRequest>),
        streamUsage: true,
      }),
    );
    expect(asked.kind === 'route' && asked.usageAdded).toBe(false);
    const json = decide(input({ streamUsage: true }));
    expect(json.kind === 'route' && json.body.stream_options).toBeUndefined();
    const extproc = decide(input({ request: request('q', { stream: true }) }));
    expect(extproc.kind === 'route' && extproc.body.stream_options).toBeUndefined();
  });
});
