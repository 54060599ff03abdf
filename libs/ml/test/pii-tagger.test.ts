import * as ort from 'onnxruntime-node';
import { tokenize } from '../src/pii/tokenize';
import { bioLabels, bioToSpans, spansToBio, viterbiBio } from '../src/pii/labels';
import { FEATURES_PER_TOKEN, featurize, featurizeInto, fnv1a, shapeOf } from '../src/pii/features';
import { decode, decodePicked, taggedTokens } from '../src/pii/entity-model';
import type { PiiLexicon } from '../src/pii/lexicon';
import type { PiiToken } from '../src/pii/tokenize';
import { forwardTagger, initTagger } from '../src/pii/network';
import { buildTaggerGraph } from '../src/pii/export';
import { quantizeRows } from '../src/onnx/bag-classifier';
import { mulberry32 } from '../src/pii/faker-sentences';
import { parseCsv, templateKey } from '../src/pii/datasets';
import { spanPrf, tokenPrf } from '../src/pii/metrics';

const LABELS = bioLabels(['PERSON', 'LOCATION']);

describe('tokenize', () => {
  it('splits ASCII text (plain scan) exactly like the Unicode token pattern', () => {
    const pattern = /[\p{L}\p{M}\p{N}]+|[^\s\p{L}\p{M}\p{N}]/gu;
    const reference = (text: string) => {
      const out: { text: string; start: number; end: number; lineStart: boolean }[] = [];
      let prev = 0;
      for (const m of text.matchAll(pattern)) {
        const lineStart = out.length === 0 || text.slice(prev, m.index).includes('\n');
        out.push({ text: m[0], start: m.index, end: m.index + m[0].length, lineStart });
        prev = m.index + m[0].length;
      }
      return out;
    };
    const rnd = mulberry32(5);
    for (let k = 0; k < 2000; k++) {
      let text = '';
      const len = Math.floor(rnd() * 40);
      for (let j = 0; j < len; j++) text += String.fromCharCode(Math.floor(rnd() * 128));
      expect(tokenize(text)).toEqual(reference(text));
    }
  });

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

/**
 * The features as first written (pii-tok-v3): every feature the fnv1a hash of `${name}${value}`
 * built as a string. The fast implementation must give the same ids (the model was trained on them).
 */
function referenceFeaturize(tokens: readonly PiiToken[], buckets: number, lexicon: PiiLexicon): number[] {
  const n = tokens.length;
  const norm = (w: string): string => w.toLowerCase().replace(/\p{N}/gu, '0');
  const low = tokens.map((t) => norm(t.text));
  const shp = tokens.map((t) => shapeOf(t.text));
  const lex = tokens.map((t) => {
    const l = t.text.toLowerCase();
    return `${lexicon.first.has(l) ? 'F' : '-'}${lexicon.last.has(l) ? 'L' : '-'}${lexicon.place.has(l) ? 'P' : '-'}`;
  });
  const w = (i: number): string => (i < 0 ? '<s>' : i >= n ? '</s>' : low[i]!);
  const s = (i: number): string => (i < 0 ? '<s>' : i >= n ? '</s>' : shp[i]!);
  const lx = (i: number): string => (i < 0 || i >= n ? '<>' : lex[i]!);
  const head = n > 0 ? low[0]! : '<s>';
  const out: number[] = [];
  let line = 0;
  for (let i = 0; i < n; i++) {
    const tok = tokens[i]!;
    if (i > 0 && tok.lineStart) line++;
    const lw = low[i]!;
    const sh = shp[i]!;
    const ls = tok.lineStart ? '1' : '0';
    const names = [
      'bias',
      `w=${lw}`,
      `raw=${tok.text}`,
      `shape=${sh}`,
      `full=${shapeOf(tok.text, false).slice(0, 8)}`,
      `p3=${lw.slice(0, 3)}`,
      `s3=${lw.slice(-3)}`,
      `s4=${lw.slice(-4)}`,
      `w-1=${w(i - 1)}`,
      `w+1=${w(i + 1)}`,
      `w-2=${w(i - 2)}`,
      `w+2=${w(i + 2)}`,
      `w-3=${w(i - 3)}`,
      `sh-1=${s(i - 1)}|${sh}`,
      `sh+1=${sh}|${s(i + 1)}`,
      `bi-1=${w(i - 1)}|${lw}`,
      `bi+1=${lw}|${w(i + 1)}`,
      `line=${ls}|${sh}`,
      `ctx=${w(i - 2)}|${w(i - 1)}`,
      `head=${head}|${Math.min(line, 4)}`,
      `lineno=${Math.min(line, 6)}|${ls}|${sh}`,
      `lex=${lex[i]!}|${sh}`,
      `lex-1=${lx(i - 1)}|${lex[i]!}`,
      `lex+1=${lex[i]!}|${lx(i + 1)}`,
    ];
    for (const name of names) out.push(fnv1a(name) % buckets);
  }
  return out;
}

/** The constrained Viterbi as first written: every label pair checked at every token. */
function referenceViterbi(logProbs: Float32Array, numTokens: number, labels: readonly string[]): number[] {
  const L = labels.length;
  if (numTokens === 0) return [];
  const ok = (p: number, c: number): boolean =>
    !labels[c]!.startsWith('I-') || labels[p]!.slice(2) === labels[c]!.slice(2);
  let score = Array.from({ length: L }, (_, c) => (labels[c]!.startsWith('I-') ? -Infinity : logProbs[c]!));
  const back: number[][] = [];
  for (let t = 1; t < numTokens; t++) {
    const next: number[] = [];
    const arg: number[] = [];
    for (let c = 0; c < L; c++) {
      let best = -Infinity;
      let a = 0;
      for (let p = 0; p < L; p++)
        if (ok(p, c) && score[p]! > best) {
          best = score[p]!;
          a = p;
        }
      next.push(best + logProbs[t * L + c]!);
      arg.push(a);
    }
    back.push(arg);
    score = next;
  }
  let last = 0;
  for (let c = 1; c < L; c++) if (score[c]! > score[last]!) last = c;
  const path = [last];
  for (let t = numTokens - 1; t > 0; t--) path.unshift(back[t - 1]![path[0]!]!);
  return path;
}

describe('viterbiBio', () => {
  it('finds the same paths as the all-pairs reference (random scores, ties, impossible labels)', () => {
    const labels = bioLabels(['PERSON', 'LOCATION', 'ORGANIZATION', 'STREET_ADDRESS', 'DATE_TIME']);
    const rnd = mulberry32(11);
    for (let trial = 0; trial < 300; trial++) {
      const n = 1 + Math.floor(rnd() * 40);
      const logp = new Float32Array(n * labels.length);
      for (let i = 0; i < logp.length; i++) {
        const r = rnd();
        // coarse values make ties common; some labels impossible
        logp[i] = r < 0.05 ? -Infinity : -Math.round(r * 6);
      }
      expect(viterbiBio(logp, n, labels)).toEqual(referenceViterbi(logp, n, labels));
    }
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

  it('gives the same ids as the string-built reference features (any bucket count)', () => {
    const lexicon: PiiLexicon = {
      first: new Set(['anna', 'jürgen', 'mary']),
      last: new Set(['berg', 'müller', 'mary']),
      place: new Set(['oslo', 'münchen', 'berg']),
    };
    const texts = [
      'Dr. Anna Berg flew from Oslo to Lima on Friday 3 May 2024.',
      'Name: JÜRGEN MÜLLER\n\nHauptstraße 12\n80331 München\nTel +49 (0)89 1234-567',
      "mary's IBAN is DE89 3704 0044 0532 0130 00, card 4111-1111-1111-1111",
      'İstanbul ǅemal ﬁnance ١٢٣ Ⅻ ² 𝟙𝟚 𝔘𝔫𝔦 😀 café naïve x86_64 v2.3.1',
      'a\nb\nc\nd\ne\nf\ng\nh 1 22 333 4444 55555 ABCDEFGHIJ abcdefghij AbCdEfGhIjK',
      '',
      'x',
    ];
    for (const buckets of [1024, 262144, 1000, 262143])
      for (const text of texts) {
        const toks = tokenize(text);
        expect(Array.from(featurize(toks, buckets, lexicon))).toEqual(
          referenceFeaturize(toks, buckets, lexicon),
        );
      }
  });
});

describe('featurizeInto with rows', () => {
  it('writes the selected rows of the full matrix', () => {
    const lexicon: PiiLexicon = {
      first: new Set(['anna']),
      last: new Set(['berg']),
      place: new Set(['oslo']),
    };
    const toks = tokenize('Dear Anna,\n\nwe met in Oslo.\nRoom 12, 3rd floor\nbye now and then see you');
    const F = FEATURES_PER_TOKEN;
    const all = featurize(toks, 4096, lexicon);
    for (const rows of [[0], [1, 2, 3], [5, 9, 10, 17], [toks.length - 1], toks.map((_, i) => i)]) {
      const out = new Int32Array(2 + rows.length * F);
      featurizeInto(toks, 4096, lexicon, out, 2, rows);
      rows.forEach((i, r) =>
        expect(Array.from(out.subarray(2 + r * F, 2 + (r + 1) * F))).toEqual(
          Array.from(all.subarray(i * F, (i + 1) * F)),
        ),
      );
    }
  });
});

describe('decodePicked', () => {
  it('decodes runs of picked tokens like the whole text with the others certainly O', () => {
    const labels = bioLabels(['PERSON', 'LOCATION']);
    const L = labels.length;
    const toks = tokenize('a b c d e f g h i j k l m n o p');
    const rnd = mulberry32(17);
    for (let trial = 0; trial < 200; trial++) {
      const pick = toks.map((_, i) => i).filter(() => rnd() < 0.5);
      const rows = new Float32Array(pick.length * L);
      for (let r = 0; r < pick.length; r++) {
        let sum = 0;
        for (let c = 0; c < L; c++) sum += rows[r * L + c] = rnd() ** 3;
        for (let c = 0; c < L; c++) rows[r * L + c] = rows[r * L + c]! / sum;
      }
      const full = new Float32Array(toks.length * L);
      for (let i = 0; i < toks.length; i++) full[i * L] = 1;
      pick.forEach((i, r) => full.set(rows.subarray(r * L, (r + 1) * L), i * L));
      expect(decodePicked(toks, pick, rows, labels)).toEqual(decode(toks, full, labels));
    }
  });
});

describe('taggedTokens', () => {
  const lexicon: PiiLexicon = { first: new Set(['anna']), last: new Set(), place: new Set() };
  const picked = (text: string): string[] | undefined => {
    const toks = tokenize(text);
    const rows = taggedTokens(text, toks, lexicon);
    return rows && Array.from(rows, (i) => toks[i]!.text);
  };
  it('keeps every token of a text without capitals', () => {
    expect(picked('i met anna smith in oslo yesterday')).toBeUndefined();
  });
  it('keeps capitalised, non-ASCII and first-name words with one neighbour, numbers with five', () => {
    expect(picked('We asked whether the method converges for Newton and then stopped there')).toEqual([
      'We',
      'asked',
      'for',
      'Newton',
      'and',
    ]);
    expect(picked('So the plan was that anna would call later today')).toEqual([
      'So',
      'the',
      'that',
      'anna',
      'would',
    ]);
    expect(picked('So it was sent to apt b at 12 main street east side of town today')).toEqual([
      'So',
      'it',
      'sent',
      'to',
      'apt',
      'b',
      'at',
      '12',
      'main',
      'street',
      'east',
      'side',
      'of',
    ]);
    expect(picked('So we went to café with them')).toEqual(['So', 'we', 'to', 'café', 'with']);
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
