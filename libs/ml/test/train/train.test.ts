import { HashedNgramFeaturizer } from '../../src/text';
import { trainFastText, predictProba } from '../../src/train/fasttext';
import { Prng } from '../../src/train/prng';
import { parseCsv } from '../../src/train/readers';
import { dedupKey, dedupe, splitOf } from '../../src/train/split';

describe('split', () => {
  const spec = { testFraction: 0.2, salt: 's' };
  it('puts copies differing only in case, spacing or punctuation on the same side', () => {
    expect(dedupKey('What is  DNA?')).toBe(dedupKey('what is dna'));
    for (let i = 0; i < 200; i++)
      expect(splitOf(`Question ${i}?`, spec)).toBe(splitOf(`  question ${i} `, spec));
  });
  it('sends about the requested share to test and dedupes', () => {
    const sides = Array.from({ length: 5000 }, (_, i) => splitOf(`text number ${i}`, spec));
    const share = sides.filter((s) => s === 'test').length / sides.length;
    expect(share).toBeGreaterThan(0.17);
    expect(share).toBeLessThan(0.23);
    expect(dedupe([{ text: 'A b' }, { text: 'a  B!' }, { text: 'c' }]).map((x) => x.text)).toEqual([
      'A b',
      'c',
    ]);
  });
});

describe('csv', () => {
  it('handles quotes, doubled quotes and newlines inside fields', () => {
    expect(parseCsv('a,b\n"x, y","he said ""hi""\nthen left"\r\n1,2\n')).toEqual([
      ['a', 'b'],
      ['x, y', 'he said "hi"\nthen left'],
      ['1', '2'],
    ]);
  });
});

describe('fastText trainer', () => {
  const f = new HashedNgramFeaturizer({
    type: 'hashed-ngrams',
    buckets: 4096,
    wordNgrams: 2,
    charMin: 3,
    charMax: 4,
    maxFeatures: 128,
    seed: 3,
  });
  const rng = new Prng(5);
  const fruit = ['apple', 'banana', 'cherry', 'mango', 'pear'];
  const tools = ['hammer', 'wrench', 'saw', 'drill', 'pliers'];
  const examples = Array.from({ length: 400 }, (_, i) => {
    const label = i % 2;
    const words = Array.from({ length: 4 }, () => rng.pick(label ? tools : fruit));
    return { ids: f.features(`i like the ${words.join(' ')}`), label };
  });
  const options = { rows: 4096, dim: 8, classes: 2, epochs: 3, lr: 0.5, seed: 9, progressLabel: 'test' };

  it('learns a separable problem and is deterministic for a seed', () => {
    const a = trainFastText(examples, options);
    const b = trainFastText(examples, options);
    expect(Array.from(a.weight)).toEqual(Array.from(b.weight));
    expect(predictProba(a, f.features('a ripe mango and a pear'))[0]).toBeGreaterThan(0.9);
    expect(predictProba(a, f.features('my drill and the saw'))[1]).toBeGreaterThan(0.9);
  });

  it('zeroes embedding rows no example touched', () => {
    const w = trainFastText(examples, options);
    const used = new Set(examples.flatMap((e) => Array.from(e.ids)));
    const unused = [...Array(4096).keys()].find((r) => !used.has(r))!;
    expect(Array.from(w.embeddings.slice(unused * 8, unused * 8 + 8))).toEqual(new Array(8).fill(0));
  });
});
