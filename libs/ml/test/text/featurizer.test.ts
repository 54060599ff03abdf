import { HashedNgramFeaturizer, fnv1a, normalizeText, tokenize } from '../../src/text';

const params = {
  type: 'hashed-ngrams' as const,
  buckets: 1 << 16,
  wordNgrams: 2,
  charMin: 3,
  charMax: 5,
  maxFeatures: 64,
  seed: 1,
};

describe('text featurisation', () => {
  it('normalises with NFKC, lower case and collapsed whitespace', () => {
    expect(normalizeText('  Ｈｅｌｌｏ\t\nWORLD  ﬁ ')).toBe('hello world fi');
  });

  it('tokenises words and keeps symbols as tokens', () => {
    expect(tokenize(normalizeText("Don't   use x=1; {ok}?"))).toEqual([
      "don't",
      'use',
      'x',
      '=',
      '1',
      ';',
      '{',
      'ok',
      '}',
      '?',
    ]);
  });

  it('hashes deterministically (FNV-1a reference values)', () => {
    expect(fnv1a('')).toBe(0x811c9dc5);
    expect(fnv1a('a')).toBe(fnv1a('a'));
    expect(fnv1a('a')).not.toBe(fnv1a('b'));
  });

  it('produces the same ids for equivalent texts and respects the budget', () => {
    const f = new HashedNgramFeaturizer(params);
    expect(Array.from(f.features('Hello  World'))).toEqual(Array.from(f.features('hello world')));
    const ids = f.features('hello world');
    // 2 unigrams + 1 bigram + char 3..5-grams of <hello> (5+4+3, minus none) and <world> (12).
    expect(ids.length).toBe(2 + 1 + 12 + 12);
    expect(ids.every((id) => id >= 0 && id < params.buckets)).toBe(true);
    expect(f.features('word '.repeat(500)).length).toBe(params.maxFeatures);
  });

  it('pads a batch and masks the padding', () => {
    const f = new HashedNgramFeaturizer(params);
    const b = f.batch(['a b c', '', 'x']);
    expect(b.rows).toBe(3);
    expect(b.width).toBe(f.features('a b c').length);
    expect(b.mask.slice(b.width, 2 * b.width).every((m) => m === 0)).toBe(true);
    expect(Array.from(b.mask.slice(2 * b.width, 3 * b.width)).filter((m) => m === 1).length).toBe(
      f.features('x').length,
    );
  });

  it('rejects invalid parameters', () => {
    expect(() => new HashedNgramFeaturizer({ ...params, buckets: 3 })).toThrow();
  });
});
