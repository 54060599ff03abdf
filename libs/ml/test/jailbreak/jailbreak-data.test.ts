// The jailbreak corpus: deterministic, grouped split (a template's variants never straddle),
// both labels in every split, and our own evaluation set kept out of it.
import { buildCorpus, generated, splitOfGroup } from '../../src/data/jailbreak/corpus';
import type { SplitExample } from '../../src/data/jailbreak/corpus';
import { parseCsv } from '../../src/data/jailbreak/io';
import { rng } from '../../src/data/jailbreak/rng';
import { loadOwnEval } from '../../src/tasks/jailbreak/evaluate';
import { fnv1a } from '../../src/text';
import { dedupKey } from '../../src/train/split';

describe('jailbreak corpus', () => {
  let examples: SplitExample[];
  beforeAll(() => {
    examples = buildCorpus().examples;
  });

  it('is large, labelled with the two labels, and has attacks and benign texts in every split', () => {
    expect(examples.length).toBeGreaterThan(30000);
    for (const split of ['train', 'valid', 'test'] as const) {
      const side = examples.filter((e) => e.split === split);
      expect(side.filter((e) => e.label === 'jailbreak').length).toBeGreaterThan(800);
      expect(side.filter((e) => e.label === 'benign').length).toBeGreaterThan(2000);
    }
    expect(new Set(examples.map((e) => e.label))).toEqual(new Set(['benign', 'jailbreak']));
  });

  it('keeps every group on one side of the split, and never repeats a text', () => {
    // Violations are collected and asserted once (one expect per text is slow in jest).
    const sideOf = new Map<string, string>();
    const straddling: string[] = [];
    for (const e of examples) {
      const prev = sideOf.get(e.group);
      if ((prev !== undefined && prev !== e.split) || e.split !== splitOfGroup(e.group))
        straddling.push(e.group);
      sideOf.set(e.group, e.split);
    }
    expect(straddling).toEqual([]);
    const keys = examples.map((e) => dedupKey(e.text));
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('generates the same texts for the same seed, and different ones for another seed', () => {
    // The dataset part is read as is; the generated part is what a seed controls.
    const digest = (xs: readonly { text: string; group: string }[]): number =>
      fnv1a(xs.map((e) => `${e.group}|${e.text}`).join('\n'));
    const a = generated('jailbreak');
    expect(digest(generated('jailbreak'))).toBe(digest(a));
    expect(digest(generated('other-seed'))).not.toBe(digest(a));
    const fromCorpus = examples.filter((e) => e.source.startsWith('gen:')).length;
    expect(fromCorpus).toBeGreaterThan(10000);
  });

  it('holds short generated attacks of every shape, and hard negatives on the benign side', () => {
    const kinds = new Set(examples.filter((e) => e.label === 'jailbreak').map((e) => e.kind));
    for (const k of [
      'override',
      'extraction',
      'indirect',
      'smuggling',
      'roleplay',
      'multilingual',
      'template',
    ])
      expect(kinds).toContain(k);
    const benignKinds = new Set(examples.filter((e) => e.label === 'benign').map((e) => e.kind));
    for (const k of ['hard-negative', 'security-talk', 'roleplay', 'document', 'harmful-plain'])
      expect(benignKinds).toContain(k);
    const shortAttacks = examples.filter((e) => e.label === 'jailbreak' && e.text.length < 120);
    expect(shortAttacks.length).toBeGreaterThan(3000);
  });

  it('has a hand-written own set of at least 60 attacks and 60 benign prompts, none of them in the corpus', () => {
    const own = loadOwnEval();
    expect(own.filter((e) => e.label === 'jailbreak').length).toBeGreaterThanOrEqual(60);
    expect(own.filter((e) => e.label === 'benign').length).toBeGreaterThanOrEqual(60);
    const corpusKeys = new Set(examples.map((e) => dedupKey(e.text)));
    expect(own.filter((e) => corpusKeys.has(dedupKey(e.text))).map((e) => e.text)).toEqual([]);
  });
});

describe('jailbreak data helpers', () => {
  it('parses CSV with quoted commas, doubled quotes and newlines', () => {
    expect(parseCsv('a,b\n"x, y","say ""hi""\nthere"\n')).toEqual([
      ['a', 'b'],
      ['x, y', 'say "hi"\nthere'],
    ]);
  });

  it('seeded rng repeats itself', () => {
    const a = rng('s');
    const b = rng('s');
    expect(Array.from({ length: 5 }, () => a.int(1000))).toEqual(
      Array.from({ length: 5 }, () => b.int(1000)),
    );
  });
});
