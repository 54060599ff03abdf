import { redact, restore, mergeSpans, applyContext } from '../../src/pii';
import type { PiiSpan } from '../../src/pii';

const span = (type: string, start: number, end: number, score = 0.9): PiiSpan => ({
  type,
  start,
  end,
  score,
});

describe('redact / restore', () => {
  const text = 'Mail bob@x.com or bob@x.com, call Ann at ann@y.org';
  const spans = [
    span('EMAIL_ADDRESS', 5, 14),
    span('EMAIL_ADDRESS', 18, 27),
    span('PERSON', 34, 37),
    span('EMAIL_ADDRESS', 41, 50),
  ];

  it('uses typed, numbered placeholders and reuses them for repeated values', () => {
    const { text: out, mapping } = redact(text, spans);
    expect(out).toBe('Mail <EMAIL_ADDRESS_1> or <EMAIL_ADDRESS_1>, call <PERSON_1> at <EMAIL_ADDRESS_2>');
    expect(mapping).toEqual({
      '<EMAIL_ADDRESS_1>': 'bob@x.com',
      '<PERSON_1>': 'Ann',
      '<EMAIL_ADDRESS_2>': 'ann@y.org',
    });
  });

  it('continues numbering across messages when given the previous mapping', () => {
    const first = redact(text, spans);
    const t2 = 'Ann wrote to carl@z.io and ann@y.org';
    const at = (v: string): [number, number] => [t2.indexOf(v), t2.indexOf(v) + v.length];
    const second = redact(
      t2,
      [
        span('PERSON', ...at('Ann')),
        span('EMAIL_ADDRESS', ...at('carl@z.io')),
        span('EMAIL_ADDRESS', ...at('ann@y.org')),
      ],
      first.mapping,
    );
    expect(second.text).toBe('<PERSON_1> wrote to <EMAIL_ADDRESS_3> and <EMAIL_ADDRESS_2>');
  });

  it('round-trips, leaving unknown placeholders alone', () => {
    const { text: out, mapping } = redact(text, spans);
    expect(restore(out, mapping)).toBe(text);
    expect(restore('Dear <PERSON_1>, see <PERSON_9>', mapping)).toBe('Dear Ann, see <PERSON_9>');
  });

  it('rejects overlapping or out-of-range spans with a clear message', () => {
    expect(() => redact('abcdef', [span('PERSON', 0, 4), span('PERSON', 2, 5)])).toThrow(/overlap/);
    expect(() => redact('abc', [span('PERSON', 1, 9)])).toThrow(/outside the text/);
  });
});

describe('mergeSpans', () => {
  it('keeps the higher score, then the longer span', () => {
    const merged = mergeSpans([
      span('URL', 4, 9, 0.6),
      span('EMAIL_ADDRESS', 0, 9, 1),
      span('PERSON', 20, 25, 0.7),
      span('LOCATION', 20, 30, 0.7),
    ]);
    expect(merged).toEqual([span('EMAIL_ADDRESS', 0, 9, 1), span('LOCATION', 20, 30, 0.7)]);
  });
});

describe('applyContext', () => {
  it('raises scores near context words and lowers number-shaped matches near negative words', () => {
    const text = 'My phone: 432 03 163. Order number 432 03 164';
    const [withCtx, withNeg] = applyContext(text, [
      span('PHONE_NUMBER', 10, 20, 0.4),
      span('PHONE_NUMBER', 35, 45, 0.6),
    ]);
    expect(withCtx!.score).toBeCloseTo(0.75);
    // "order" marks an id: it wins over the phone context word "number" right next to it
    expect(withNeg!.score).toBeCloseTo(0.2);
    const [modelSpan] = applyContext(text, [span('PHONE_NUMBER', 10, 20, 0.4)], { negativeOnly: true });
    expect(modelSpan!.score).toBeCloseTo(0.4);
  });
});
