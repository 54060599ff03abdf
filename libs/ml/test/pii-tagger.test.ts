import * as ort from 'onnxruntime-node';
import { tokenize } from '../src/pii/tokenize';
import { bioLabels, bioToSpans, spansToBio, viterbiBio } from '../src/pii/labels';
import { FEATURES_PER_TOKEN, featurize } from '../src/pii/features';
import { forwardTagger, initTagger } from '../src/pii/network';
import { buildTaggerGraph } from '../src/pii/export';
import { quantizeRows } from '../src/onnx/bag-classifier';
import { mulberry32 } from '../src/pii/faker-sentences';
import { parseCsv, templateKey } from '../src/pii/datasets';
import { spanPrf, tokenPrf } from '../src/pii/metrics';

const LABELS = bioLabels(['PERSON', 'LOCATION']);

describe('tokenize', () => {
  it('keeps character offsets and marks line starts', () => {
    const text = "Tamara's card\n 4111-11";
    const toks = tokenize(text);
    expect(toks.map((t) => t.text)).toEqual(['Tamara', "'", 's', 'card', '4111', '-', '11']);
    for (const t of toks) expect(text.slice(t.start, t.end)).toBe(t.text);
    expect(toks.map((t) => t.lineStart)).toEqual([true, false, false, false, true, false, false]);
  });
});

describe('BIO labelling and decoding', () => {
  const text = 'Anna Berg lives in Oslo';
  const toks = tokenize(text);
  it('labels tokens from character spans', () => {
    const ids = spansToBio(
      toks,
      [
        { type: 'PERSON', start: 0, end: 9 },
        { type: 'LOCATION', start: 19, end: 23 },
      ],
      LABELS,
    );
    expect(ids.map((i) => LABELS[i])).toEqual(['B-PERSON', 'I-PERSON', 'O', 'O', 'B-LOCATION']);
  });
  it('Viterbi never emits I-X after O, and spans come back with offsets', () => {
    // Token 1 prefers I-LOCATION after B-PERSON (invalid); the constrained path must repair it.
    const L = LABELS.length;
    const probs = new Float32Array(toks.length * L).fill(0.01);
    const set = (t: number, label: string, p: number): void =>
      void (probs[t * L + LABELS.indexOf(label)] = p);
    set(0, 'B-PERSON', 0.9);
    set(1, 'I-LOCATION', 0.5);
    set(1, 'I-PERSON', 0.4);
    set(2, 'O', 0.9);
    set(3, 'O', 0.9);
    set(4, 'B-LOCATION', 0.8);
    const logp = probs.map((p) => Math.log(p));
    const path = viterbiBio(logp, toks.length, LABELS);
    expect(path.map((i) => LABELS[i])).toEqual(['B-PERSON', 'I-PERSON', 'O', 'O', 'B-LOCATION']);
    const spans = bioToSpans(toks, path, probs, LABELS);
    expect(spans.map((s) => [s.type, text.slice(s.start, s.end)])).toEqual([
      ['PERSON', 'Anna Berg'],
      ['LOCATION', 'Oslo'],
    ]);
    expect(spans[0]!.score).toBeCloseTo(0.65);
  });
});

describe('features', () => {
  it('produces FEATURES_PER_TOKEN ids in range, deterministic', () => {
    const toks = tokenize('Call Anna at 905-674-3793');
    const a = featurize(toks, 1024);
    expect(a.length).toBe(toks.length * FEATURES_PER_TOKEN);
    expect(Math.max(...a)).toBeLessThan(1024);
    expect(featurize(toks, 1024)).toEqual(a);
  });
});

describe('ONNX export', () => {
  it('matches the TypeScript forward pass (same int8 weights) within 1e-4', async () => {
    const w = initTagger({ buckets: 512, dim: 8, hidden: 16, labels: LABELS.length }, mulberry32(3));
    const session = await ort.InferenceSession.create(buildTaggerGraph(w).toBytes());
    // The graph stores the table as int8 × row scale; compare against the dequantised table.
    const { q, scales } = quantizeRows(w.embeddings, w.buckets, w.dim);
    const deq = Float32Array.from(q, (v, i) => v * scales[Math.floor(i / w.dim)]!);
    const toks = tokenize('Dr. Anna Berg flew from Oslo to Lima on Friday.');
    const ids = featurize(toks, w.buckets);
    const expected = forwardTagger({ ...w, embeddings: deq }, ids, toks.length);
    const out = await session.run({ ids: new ort.Tensor('int32', ids, [toks.length, FEATURES_PER_TOKEN]) });
    const got = out['probs']!.data as Float32Array;
    expect(got.length).toBe(expected.length);
    let maxDiff = 0;
    for (let i = 0; i < got.length; i++) maxDiff = Math.max(maxDiff, Math.abs(got[i]! - expected[i]!));
    expect(maxDiff).toBeLessThan(1e-4);
    await session.release();
  });
});

describe('data helpers', () => {
  it('template keys ignore placeholder names and values', () => {
    expect(templateKey('My name is {{first_name}}')).toBe(templateKey('My name is {{PERSON}}'));
    expect(templateKey('I live in {{city}}')).not.toBe(templateKey('My name is {{name}}'));
  });
  it('parses quoted CSV fields', () => {
    expect(parseCsv('a,"b, c","d ""e"""\n1,2,3\n')).toEqual([
      ['a', 'b, c', 'd "e"'],
      ['1', '2', '3'],
    ]);
  });
  it('scores exact spans and tokens', () => {
    const text = '20789 Allika 46 in Riisa';
    const gold = [
      { type: 'STREET_ADDRESS', start: 0, end: 5 },
      { type: 'STREET_ADDRESS', start: 6, end: 15 },
    ];
    const pred = [{ type: 'STREET_ADDRESS', start: 0, end: 15 }];
    expect(spanPrf([{ text, gold, pred }], ['STREET_ADDRESS'])['STREET_ADDRESS']!.f1).toBe(0);
    expect(tokenPrf([{ text, gold, pred }], ['STREET_ADDRESS'])['STREET_ADDRESS']!.f1).toBe(1);
  });
});
