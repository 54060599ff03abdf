import { SseParser, sseFrame } from '../../src/sse/parser';
import { StreamReassembler } from '../../src/sse/reassemble';
import { replayAsSse, splitText } from '../../src/sse/replay';
import { PlaceholderRestorer } from '../../src/sse/restore';

const enc = new TextEncoder();
const chunk = (delta: Record<string, unknown>, finish: string | null = null, index = 0) =>
  JSON.stringify({
    id: 'c1',
    object: 'chat.completion.chunk',
    created: 1,
    model: 'm',
    choices: [{ index, delta, finish_reason: finish }],
  });

describe('SseParser', () => {
  test('reassembles events split anywhere, with LF or CRLF line ends', () => {
    const text = `data: {"a":1}\n\ndata: {"b":2}\r\n\r\n: comment\n\ndata: [DONE]\n\n`;
    for (let cut = 1; cut < text.length; cut++) {
      const p = new SseParser();
      const events = [...p.push(text.slice(0, cut)), ...p.push(text.slice(cut)), ...p.end()];
      expect(events).toEqual(['{"a":1}', '{"b":2}', '[DONE]']);
    }
  });

  test('joins multi-line data and keeps a UTF-8 character split across chunks', () => {
    const bytes = enc.encode('data: héllo\ndata: wörld\n\n');
    const p = new SseParser();
    const events: string[] = [];
    for (const b of bytes) events.push(...p.push(new Uint8Array([b])));
    expect(events).toEqual(['héllo\nwörld']);
  });

  test('flushes a last event without a trailing blank line', () => {
    const p = new SseParser();
    expect(p.push('data: x')).toEqual([]);
    expect(p.end()).toEqual(['x']);
  });
});

describe('StreamReassembler', () => {
  test('rebuilds content, finish reason and usage into a chat.completion', () => {
    const r = new StreamReassembler();
    r.add(chunk({ role: 'assistant', content: '' }));
    r.add(chunk({ content: 'Hello ' }));
    r.add(chunk({ content: 'world' }));
    r.add(chunk({}, 'stop'));
    r.add(
      JSON.stringify({
        id: 'c1',
        choices: [],
        usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 },
      }),
    );
    r.add('[DONE]');
    const result = r.result();
    expect(result.status).toBe('complete');
    if (result.status !== 'complete') return;
    expect(result.completion).toMatchObject({
      id: 'c1',
      object: 'chat.completion',
      model: 'm',
      choices: [{ index: 0, message: { role: 'assistant', content: 'Hello world' }, finish_reason: 'stop' }],
      usage: { completion_tokens: 2 },
    });
  });

  test('rebuilds tool calls from argument fragments', () => {
    const r = new StreamReassembler();
    r.add(
      chunk({
        role: 'assistant',
        tool_calls: [
          { index: 0, id: 't1', type: 'function', function: { name: 'get_weather', arguments: '' } },
        ],
      }),
    );
    r.add(chunk({ tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] }));
    r.add(chunk({ tool_calls: [{ index: 0, function: { arguments: '"Paris"}' } }] }));
    r.add(chunk({}, 'tool_calls'));
    r.add('[DONE]');
    const result = r.result();
    if (result.status !== 'complete') throw new Error(result.reason);
    const message = result.completion.choices[0]!.message as Record<string, unknown>;
    expect(message.content).toBeNull();
    expect(message.tool_calls).toEqual([
      { id: 't1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
    ]);
  });

  test('several choices are kept apart', () => {
    const r = new StreamReassembler();
    r.add(chunk({ content: 'a' }, null, 0));
    r.add(chunk({ content: 'b' }, null, 1));
    r.add(chunk({}, 'stop', 1));
    r.add(chunk({}, 'length', 0));
    r.add('[DONE]');
    const result = r.result();
    if (result.status !== 'complete') throw new Error(result.reason);
    expect(
      result.completion.choices.map((c) => (c.message as unknown as { content: string }).content),
    ).toEqual(['a', 'b']);
  });

  test('an answer without [DONE], without a finish reason, or with an error is incomplete', () => {
    const noDone = new StreamReassembler();
    noDone.add(chunk({ content: 'x' }, 'stop'));
    expect(noDone.result()).toEqual({ status: 'incomplete', reason: 'no [DONE]' });
    const noFinish = new StreamReassembler();
    noFinish.add(chunk({ content: 'x' }));
    noFinish.add('[DONE]');
    expect(noFinish.result().status).toBe('incomplete');
    const error = new StreamReassembler();
    error.add(JSON.stringify({ error: { message: 'overloaded' } }));
    error.add('[DONE]');
    expect(error.result()).toEqual({ status: 'incomplete', reason: 'the stream carried an error' });
    const garbage = new StreamReassembler();
    garbage.add('not json');
    garbage.add('[DONE]');
    expect(garbage.result().status).toBe('incomplete');
  });
});

describe('replayAsSse', () => {
  const completion = {
    id: 'chatcmpl-1',
    object: 'chat.completion' as const,
    created: 7,
    model: 'general',
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: 'The answer is forty two, as always.' },
        finish_reason: 'stop',
      },
    ],
    usage: { prompt_tokens: 4, completion_tokens: 7, total_tokens: 11 },
  };

  test('replays in several chunks ending with [DONE], and reassembles to the same answer', () => {
    const frames = replayAsSse(completion, { pieces: 4 });
    expect(frames.at(-1)).toBe(sseFrame('[DONE]'));
    const parser = new SseParser();
    const events = frames.flatMap((f) => parser.push(f));
    const contentChunks = events.filter((e) => e !== '[DONE]' && JSON.parse(e).choices[0]?.delta?.content);
    expect(contentChunks.length).toBeGreaterThan(1);
    const r = new StreamReassembler();
    events.forEach((e) => r.add(e));
    const result = r.result();
    if (result.status !== 'complete') throw new Error(result.reason);
    expect(result.completion.choices[0]!.message).toMatchObject(completion.choices[0]!.message);
    expect(result.completion.choices[0]!.finish_reason).toBe('stop');
    expect(result.completion.usage).toEqual(completion.usage);
  });

  test('splitText splits at spaces and loses nothing', () => {
    const text = 'one two three four five six seven';
    for (const n of [1, 2, 3, 5, 50]) {
      const parts = splitText(text, n);
      expect(parts.join('')).toBe(text);
      expect(parts.length).toBeLessThanOrEqual(Math.max(1, n));
    }
    expect(splitText('', 3)).toEqual([]);
    expect(splitText('averyveryverylongword', 3)).toEqual(['averyveryverylongword']);
  });
});

describe('PlaceholderRestorer', () => {
  const placeholders = { '<EMAIL_ADDRESS_1>': 'ann@example.com', '<PERSON_1>': 'Ann' };

  test('restores whole texts', () => {
    const r = new PlaceholderRestorer(placeholders);
    expect(r.restoreAll('Dear <PERSON_1>, write to <EMAIL_ADDRESS_1>.')).toBe(
      'Dear Ann, write to ann@example.com.',
    );
  });

  test('restores placeholders split across stream pieces, whatever the cut', () => {
    const text = 'Dear <PERSON_1>, mail <EMAIL_ADDRESS_1> now <no>';
    for (let a = 1; a < text.length - 1; a++) {
      for (const b of [a + 1, Math.min(text.length - 1, a + 7)]) {
        const r = new PlaceholderRestorer(placeholders);
        const out = r.push(text.slice(0, a)) + r.push(text.slice(a, b)) + r.push(text.slice(b)) + r.flush();
        expect(out).toBe('Dear Ann, mail ann@example.com now <no>');
      }
    }
  });

  test('holds back only what could still become a placeholder', () => {
    const r = new PlaceholderRestorer(placeholders);
    expect(r.push('x < y and <PER')).toBe('x < y and ');
    expect(r.push('SON_1> ok')).toBe('Ann ok');
  });
});
