import { scanTargets } from '../../src/jailbreak/targets';
import { slidingWindows } from '../../src/jailbreak/windows';

const words = (n: number, prefix = 'w') => Array.from({ length: n }, (_, i) => `${prefix}${i}`).join(' ');

describe('slidingWindows', () => {
  it('keeps a short text whole (trimmed)', () => {
    expect(slidingWindows('  hello there, world  ', { windowWords: 4, strideWords: 2 })).toEqual([
      'hello there, world',
    ]);
    expect(slidingWindows('   ', { windowWords: 4, strideWords: 2 })).toEqual([]);
  });

  it('covers a long text with overlapping windows, the last one ending at the last word', () => {
    const text = words(10);
    const windows = slidingWindows(text, { windowWords: 4, strideWords: 2 });
    expect(windows).toEqual(['w0 w1 w2 w3', 'w2 w3 w4 w5', 'w4 w5 w6 w7', 'w6 w7 w8 w9']);
    const uneven = slidingWindows(words(9), { windowWords: 4, strideWords: 3 });
    expect(uneven.at(-1)).toBe('w5 w6 w7 w8');
  });

  it('puts any span of windowWords - strideWords words wholly inside some window', () => {
    const text = words(1000);
    const opts = { windowWords: 64, strideWords: 32 };
    const windows = slidingWindows(text, opts);
    for (let start = 0; start + 32 <= 1000; start += 7) {
      const span = Array.from({ length: 32 }, (_, i) => `w${start + i}`).join(' ');
      expect(windows.some((w) => ` ${w} `.includes(` ${span} `))).toBe(true);
    }
  });

  it('rejects nonsense options with a clear error', () => {
    expect(() => slidingWindows('a b', { windowWords: 2, strideWords: 3 })).toThrow(/strideWords/);
    expect(() => slidingWindows('a b', { windowWords: 0, strideWords: 0 })).toThrow(RangeError);
  });
});

describe('scanTargets', () => {
  it('scans user, tool and function messages (text parts of array content), not system or assistant', () => {
    const targets = scanTargets([
      { role: 'system', content: 'You are helpful.' },
      {
        role: 'user',
        content: [{ type: 'text', text: 'Summarise:' }, { type: 'image_url' }, { type: 'text', text: 'DOC' }],
      },
      { role: 'assistant', content: 'Sure.' },
      { role: 'tool', content: 'tool output', tool_call_id: 'x' },
      { role: 'user', content: '   ' },
      { role: 'user', content: null },
    ]);
    expect(targets).toEqual([
      { messageIndex: 1, text: 'Summarise:\nDOC' },
      { messageIndex: 3, text: 'tool output' },
    ]);
  });

  it('follows the configured roles', () => {
    const targets = scanTargets(
      [
        { role: 'system', content: 'S' },
        { role: 'user', content: 'U' },
      ],
      ['system'],
    );
    expect(targets).toEqual([{ messageIndex: 0, text: 'S' }]);
  });
});
