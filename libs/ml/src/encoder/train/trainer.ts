/**
 * Contrastive training of the bag encoder: multiple-negatives ranking loss (each anchor must pick
 * its positive among every positive and hard negative in the batch), symmetric, with a temperature.
 */
import { EncoderFeaturizer, tokenize } from '../features';
import type { EncoderFeatureSpec, FeatureBag } from '../features';
import { BagModel } from './bag-model';
import type { Pair } from './data';
import type { GloVe } from './glove';
import { rng, shuffle } from './io';

export interface PairSource {
  readonly name: string;
  readonly pairs: readonly Pair[];
  /** Relative probability that a batch comes from this source. */
  readonly weight: number;
  /**
   * Batches are contiguous runs of `pairs` (in file order) instead of random draws: neighbouring
   * items share a topic (Disfl-QA questions of one article), so the in-batch negatives are
   * same-topic questions, the negatives a cache meets.
   */
  readonly contiguous?: boolean;
}

export interface TrainOptions {
  readonly seed: number;
  readonly dim: number;
  readonly steps: number;
  readonly batchSize: number;
  readonly lr: number;
  /** Logit scale (1 / temperature) on cosine similarities. */
  readonly scale: number;
  readonly anchorWeight: number;
  readonly extraVocab: number;
  readonly wordBuckets: number;
  readonly bigramBuckets: number;
  readonly charBuckets: number;
  /** Start scale of rows without a GloVe vector (n-grams, extra words). */
  readonly initSigma: number;
  /** Character n-gram weight for GloVe words (0 = none). */
  readonly wholeWordCharWeight: number;
  readonly onProgress?: (step: number, loss: number) => void;
}

export const DEFAULT_TRAIN_OPTIONS: Omit<TrainOptions, 'onProgress'> = {
  seed: 20261130,
  dim: 128,
  steps: 2000,
  batchSize: 96,
  lr: 0.08,
  scale: 20,
  anchorWeight: 0.1,
  extraVocab: 4000,
  wordBuckets: 4096,
  bigramBuckets: 24576,
  charBuckets: 32768,
  initSigma: 0.01,
  wholeWordCharWeight: 1,
};

// Words GloVe keeps that our tokeniser never produces (punctuation, "n't") are dropped.
const WORD_RE = /^(?:[\p{L}\p{M}]+|\p{N}+(?:[.,]\p{N}+)*)$/u;

export interface TrainedEncoder {
  readonly spec: EncoderFeatureSpec;
  readonly model: BagModel;
  readonly featurizer: EncoderFeaturizer;
}

/** Builds the vocabulary (GloVe words first, then frequent training words) and the initial table. */
export function initEncoder(
  sources: readonly PairSource[],
  glove: GloVe,
  opts: Omit<TrainOptions, 'onProgress'>,
): TrainedEncoder {
  const gloveWords: string[] = [];
  const gloveRow: number[] = [];
  const seen = new Set<string>();
  glove.words.forEach((w, i) => {
    if (WORD_RE.test(w) && !seen.has(w)) {
      seen.add(w);
      gloveWords.push(w);
      gloveRow.push(i);
    }
  });
  // Document frequencies over every training text: the start weight of a word is its IDF, so
  // "what" and "the" start small and "passport" starts large.
  const df = new Map<string, number>();
  let docs = 0;
  for (const s of sources)
    for (const p of s.pairs)
      for (const t of [p.a, p.b]) {
        docs++;
        for (const w of new Set(tokenize(t))) df.set(w, (df.get(w) ?? 0) + 1);
      }
  const extra = [...df.entries()]
    .filter(([w, c]) => c >= 3 && !seen.has(w) && WORD_RE.test(w))
    .sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1))
    .slice(0, opts.extraVocab)
    .map(([w]) => w);
  const spec: EncoderFeatureSpec = {
    vocab: [...gloveWords, ...extra],
    wordBuckets: opts.wordBuckets,
    bigramBuckets: opts.bigramBuckets,
    charBuckets: opts.charBuckets,
    charMinN: 3,
    charMaxN: 5,
    charWeight: 1,
    bigramWeight: 1,
    wholeWords: gloveWords.length,
    wholeWordCharWeight: opts.wholeWordCharWeight,
  };
  const featurizer = new EncoderFeaturizer(spec);
  const { dim } = opts;
  const model = new BagModel(featurizer.rows, dim, gloveWords.length);
  const rand = rng(opts.seed);
  const gauss = (): number => {
    const u = Math.max(rand(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
  };
  // Random projection 50 → dim with N(0, 1/dim) entries keeps GloVe cosines (approximately).
  const gd = glove.dim;
  const proj = new Float32Array(gd * dim);
  for (let i = 0; i < proj.length; i++) proj[i] = gauss() / Math.sqrt(dim);
  const idf = (w: string): number => Math.log((docs + 1) / ((df.get(w) ?? 0) + 1));
  const maxIdf = Math.log(docs + 1);
  const table = model.table;
  gloveWords.forEach((w, k) => {
    const src = (gloveRow[k] as number) * gd;
    let n = 0;
    for (let i = 0; i < gd; i++) n += (glove.vectors[src + i] as number) ** 2;
    const scale = (0.2 + (2 * idf(w)) / maxIdf) / Math.sqrt(n || 1);
    const base = (1 + k) * dim;
    for (let i = 0; i < gd; i++) {
      const v = (glove.vectors[src + i] as number) * scale;
      for (let j = 0; j < dim; j++)
        table[base + j] = (table[base + j] as number) + v * (proj[i * dim + j] as number);
    }
  });
  // Other rows start small and random: they earn their weight in training.
  const sigma = opts.initSigma;
  for (let r = 1 + gloveWords.length; r < featurizer.rows; r++) {
    const base = r * dim;
    for (let j = 0; j < dim; j++) table[base + j] = sigma * gauss();
  }
  model.setAnchor();
  return { spec, model, featurizer };
}

interface Batch {
  a: FeatureBag[];
  b: FeatureBag[];
  neg: FeatureBag[];
}

/** Trains in place and returns the encoder. */
export function trainEncoder(
  sources: readonly PairSource[],
  glove: GloVe,
  opts: TrainOptions,
): TrainedEncoder {
  const enc = initEncoder(sources, glove, opts);
  const { model, featurizer } = enc;
  const { dim, batchSize, scale } = opts;
  const rand = rng(opts.seed + 7);
  const bags = new Map<string, FeatureBag>();
  const bag = (t: string): FeatureBag => {
    let b = bags.get(t);
    if (!b) {
      b = featurizer.featurize(t);
      bags.set(t, b);
    }
    return b;
  };
  const queues = sources.map((s) => ({
    items: s.contiguous ? [...s.pairs] : shuffle([...s.pairs], rand),
    pos: 0,
  }));
  const totalWeight = sources.reduce((a, s) => a + s.weight, 0);
  const nextBatch = (): Batch => {
    let r = rand() * totalWeight;
    let si = 0;
    while (si < sources.length - 1 && r >= (sources[si] as PairSource).weight)
      r -= (sources[si++] as PairSource).weight;
    const q = queues[si] as { items: Pair[]; pos: number };
    if ((sources[si] as PairSource).contiguous) q.pos = Math.floor(rand() * q.items.length);
    const groups = new Set<string>();
    const texts = new Set<string>();
    const batch: Batch = { a: [], b: [], neg: [] };
    for (let tries = 0; batch.a.length < batchSize && tries < batchSize * 3; tries++) {
      if (q.pos >= q.items.length) {
        if (!(sources[si] as PairSource).contiguous) shuffle(q.items, rand);
        q.pos = 0;
      }
      const p = q.items[q.pos++] as Pair;
      // In-batch negatives must really be negatives: one pair per group, no repeated texts.
      if ((p.group && groups.has(p.group)) || texts.has(p.a) || texts.has(p.b)) continue;
      if (p.group) groups.add(p.group);
      texts.add(p.a);
      texts.add(p.b);
      batch.a.push(bag(p.a));
      batch.b.push(bag(p.b));
      if (p.neg && p.neg !== p.a && p.neg !== p.b) batch.neg.push(bag(p.neg));
    }
    return batch;
  };

  const fwd = (bags: FeatureBag[]): { e: Float32Array[]; n: number[] } => {
    const e: Float32Array[] = [];
    const n: number[] = [];
    for (const b of bags) {
      const out = new Float32Array(dim);
      const norm = model.sum(b, out);
      const inv = 1 / Math.max(norm, 1e-6);
      for (let j = 0; j < dim; j++) out[j] = (out[j] as number) * inv;
      e.push(out);
      n.push(norm);
    }
    return { e, n };
  };
  const dot = (x: Float32Array, y: Float32Array): number => {
    let s = 0;
    for (let j = 0; j < dim; j++) s += (x[j] as number) * (y[j] as number);
    return s;
  };
  // Softmax cross-entropy of each query against candidates (target = same index); accumulates
  // gradients into dq / dc and returns the summed loss.
  const ce = (
    q: Float32Array[],
    c: Float32Array[],
    dq: Float32Array[],
    dc: Float32Array[],
    weight: number,
  ): number => {
    let loss = 0;
    const logits = new Float64Array(c.length);
    for (let i = 0; i < q.length; i++) {
      let mx = -Infinity;
      for (let j = 0; j < c.length; j++) {
        const l = scale * dot(q[i] as Float32Array, c[j] as Float32Array);
        logits[j] = l;
        if (l > mx) mx = l;
      }
      let z = 0;
      for (let j = 0; j < c.length; j++) z += Math.exp((logits[j] as number) - mx);
      loss += -((logits[i] as number) - mx - Math.log(z));
      for (let j = 0; j < c.length; j++) {
        const g =
          ((Math.exp((logits[j] as number) - mx) / z - (i === j ? 1 : 0)) * scale * weight) / q.length;
        if (g === 0) continue;
        const qi = q[i] as Float32Array;
        const cj = c[j] as Float32Array;
        const dqi = dq[i] as Float32Array;
        const dcj = dc[j] as Float32Array;
        for (let k = 0; k < dim; k++) {
          dqi[k] = (dqi[k] as number) + g * (cj[k] as number);
          dcj[k] = (dcj[k] as number) + g * (qi[k] as number);
        }
      }
    }
    return loss / q.length;
  };

  let emaLoss = 0;
  for (let step = 1; step <= opts.steps; step++) {
    const batch = nextBatch();
    const A = fwd(batch.a);
    const B = fwd(batch.b);
    const N = fwd(batch.neg);
    const zeros = (k: number): Float32Array[] => Array.from({ length: k }, () => new Float32Array(dim));
    const dA = zeros(A.e.length);
    const dB = zeros(B.e.length);
    const dN = zeros(N.e.length);
    const cands = [...B.e, ...N.e];
    const dCands = [...dB, ...dN];
    let loss = ce(A.e, cands, dA, dCands, 1);
    loss += ce(B.e, A.e, dB, dA, 1);
    emaLoss = step === 1 ? loss : 0.98 * emaLoss + 0.02 * loss;
    // Cosine-decayed learning rate.
    const lr = opts.lr * (0.1 + 0.9 * 0.5 * (1 + Math.cos((Math.PI * step) / opts.steps)));
    const o = { lr, anchorWeight: opts.anchorWeight };
    batch.a.forEach((b, i) =>
      model.backward(b, A.e[i] as Float32Array, A.n[i] as number, dA[i] as Float32Array, o),
    );
    batch.b.forEach((b, i) =>
      model.backward(b, B.e[i] as Float32Array, B.n[i] as number, dB[i] as Float32Array, o),
    );
    batch.neg.forEach((b, i) =>
      model.backward(b, N.e[i] as Float32Array, N.n[i] as number, dN[i] as Float32Array, o),
    );
    if (opts.onProgress && (step % 100 === 0 || step === opts.steps)) opts.onProgress(step, emaLoss);
  }
  return enc;
}
