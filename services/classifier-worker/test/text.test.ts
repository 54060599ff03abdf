import type { ChatMessage } from '@sr/shared';
import { textToClassify } from '../src/text';

const chat: ChatMessage[] = [
  { role: 'system', content: 'You are a tutor.' },
  { role: 'user', content: 'first question' },
  { role: 'assistant', content: 'first answer' },
  {
    role: 'user',
    content: [{ type: 'text', text: 'second' }, { type: 'image_url' }, { type: 'text', text: 'question' }],
  },
  { role: 'assistant', content: 'second answer' },
  { role: 'user', content: 'third question' },
];

describe('textToClassify', () => {
  it('defaults to the last user turn', () => {
    expect(textToClassify(chat, { previousUserTurns: 0, includeSystemPrompt: false })).toBe('third question');
  });

  it('adds earlier user turns (text parts only) and the system prompt when configured, oldest first', () => {
    expect(textToClassify(chat, { previousUserTurns: 1, includeSystemPrompt: false })).toBe(
      'second\nquestion\n\nthird question',
    );
    expect(textToClassify(chat, { previousUserTurns: 5, includeSystemPrompt: true })).toBe(
      'You are a tutor.\n\nfirst question\n\nsecond\nquestion\n\nthird question',
    );
  });

  it('skips empty user turns and falls back to the last non-system text without any', () => {
    expect(
      textToClassify(
        [
          { role: 'user', content: 'real' },
          { role: 'user', content: [{ type: 'image_url' }] },
        ],
        { previousUserTurns: 0, includeSystemPrompt: false },
      ),
    ).toBe('real');
    expect(
      textToClassify(
        [
          { role: 'system', content: 'sys' },
          { role: 'tool', content: 'tool result', tool_call_id: 't' },
        ],
        { previousUserTurns: 0, includeSystemPrompt: false },
      ),
    ).toBe('tool result');
    expect(
      textToClassify([{ role: 'system', content: 'sys' }], {
        previousUserTurns: 0,
        includeSystemPrompt: false,
      }),
    ).toBe('');
  });
});
