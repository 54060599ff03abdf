import { FEATURES_PER_TOKEN, featurize } from './features';
import type { PiiLexicon } from './lexicon';
import type { PiiExample } from './datasets';
import { spansToBio } from './labels';
import { hiddenLayer, initTagger, outputLayer } from './network';
import type { TaggerShape, TaggerWeights } from './network';
import { tokenize } from './tokenize';
import { mulberry32 } from './faker-sentences';

export interface TrainOptions {
  shape: Omit<TaggerShape, 'labels'>;
  labels: readonly string[];
  epochs: number;
  /** Adam learning rate for the dense layers. */
  lr: number;
  /** Adagrad learning rate for embedding rows. */
  embLr: number;
  /** Probability of dropping each hashed feature of a token during training (forces use of context). */
  featureDropout: number;
  seed: number;
  /** Called after each epoch with the mean training loss. */
  onEpoch?: (epoch: number, loss: number) => void;
}

interface Encoded {
  ids: Int32Array;
  labels: number[];
  weight: number;
}

/** Tokenises, labels and featurises examples once; training then only does arithmetic. */
export function encodeExamples(
  examples: readonly (PiiExample & { weight?: number })[],
  labels: readonly string[],
  buckets: number,
  lexicon?: PiiLexicon,
): Encoded[] {
  return examples
    .map((ex) => {
      const tokens = tokenize(ex.text);
      return {
        ids: featurize(tokens, buckets, lexicon),
        labels: spansToBio(tokens, ex.spans, labels),
        weight: ex.weight ?? 1,
      };
    })
    .filter((e) => e.labels.length > 0);
}

class Adam {
  private m: Float32Array;
  private v: Float32Array;
  private t = 0;
  constructor(
    private readonly params: Float32Array,
    private readonly lr: number,
  ) {
    this.m = new Float32Array(params.length);
    this.v = new Float32Array(params.length);
  }
  step(grad: Float32Array, scale: number): void {
    this.t++;
    const b1 = 0.9;
    const b2 = 0.999;
    const c1 = 1 - b1 ** this.t;
    const c2 = 1 - b2 ** this.t;
    for (let i = 0; i < grad.length; i++) {
      const g = grad[i]! * scale;
      this.m[i] = b1 * this.m[i]! + (1 - b1) * g;
      this.v[i] = b2 * this.v[i]! + (1 - b2) * g * g;
      this.params[i] = this.params[i]! - (this.lr * (this.m[i]! / c1)) / (Math.sqrt(this.v[i]! / c2) + 1e-8);
    }
    grad.fill(0);
  }
}

/**
 * Trains the tagger with per-token cross-entropy: Adam on the dense layers (one step per sentence
 * batch), Adagrad on the embedding rows a token touches (sparse, applied immediately).
 */
export function trainTagger(data: readonly Encoded[], options: TrainOptions): TaggerWeights {
  const rnd = mulberry32(options.seed);
  const w = initTagger({ ...options.shape, labels: options.labels.length }, rnd);
  const { dim: D, hidden: H, labels: L } = w;
  const F = FEATURES_PER_TOKEN;
  const embAcc = new Float32Array(w.embeddings.length).fill(1e-3);
  const gw1 = new Float32Array(w.w1.length);
  const gb1 = new Float32Array(w.b1.length);
  const gw2 = new Float32Array(w.w2.length);
  const gb2 = new Float32Array(w.b2.length);
  const opts = [
    new Adam(w.w1, options.lr),
    new Adam(w.b1, options.lr),
    new Adam(w.w2, options.lr),
    new Adam(w.b2, options.lr),
  ];
  const grads = [gw1, gb1, gw2, gb2];
  const e = new Float32Array(D);
  const h = new Float32Array(H);
  const p = new Float32Array(L);
  const dh = new Float32Array(H);
  const de = new Float32Array(D);
  const keep = new Uint8Array(F);
  const order = data.map((_, i) => i);
  const batchTokens = 64;
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    const embLr = options.embLr * (1 - (0.7 * epoch) / Math.max(1, options.epochs));
    let lossSum = 0;
    let count = 0;
    let inBatch = 0;
    for (const idx of order) {
      const ex = data[idx]!;
      const n = ex.labels.length;
      for (let t = 0; t < n; t++) {
        e.fill(0);
        let kept = 0;
        for (let f = 0; f < F; f++) {
          keep[f] = f === 0 || rnd() >= options.featureDropout ? 1 : 0;
          if (!keep[f]) continue;
          kept++;
          const row = ex.ids[t * F + f]! * D;
          for (let d = 0; d < D; d++) e[d] = e[d]! + w.embeddings[row + d]!;
        }
        // Inverted dropout: rescale so the expected sum matches inference, where nothing is dropped.
        const scale = F / kept;
        if (scale !== 1) for (let d = 0; d < D; d++) e[d] = e[d]! * scale;
        hiddenLayer(w, e, h);
        outputLayer(w, h, p, 0);
        const y = ex.labels[t]!;
        lossSum -= Math.log(Math.max(p[y]!, 1e-9)) * ex.weight;
        count++;
        p[y] = p[y]! - 1; // dLoss/dz
        for (let k = 0; k < L; k++) p[k] = p[k]! * ex.weight;
        dh.fill(0);
        for (let j = 0; j < H; j++) {
          const hj = h[j]!;
          let acc = 0;
          for (let k = 0; k < L; k++) {
            const g = p[k]!;
            gw2[j * L + k] = gw2[j * L + k]! + hj * g;
            acc += w.w2[j * L + k]! * g;
          }
          dh[j] = hj > 0 ? acc : 0;
        }
        for (let k = 0; k < L; k++) gb2[k] = gb2[k]! + p[k]!;
        de.fill(0);
        for (let d = 0; d < D; d++) {
          const ed = e[d]!;
          const row = d * H;
          let acc = 0;
          for (let j = 0; j < H; j++) {
            const g = dh[j]!;
            if (g === 0) continue;
            gw1[row + j] = gw1[row + j]! + ed * g;
            acc += w.w1[row + j]! * g;
          }
          de[d] = acc * scale;
        }
        for (let j = 0; j < H; j++) gb1[j] = gb1[j]! + dh[j]!;
        for (let f = 0; f < F; f++) {
          if (!keep[f]) continue;
          const row = ex.ids[t * F + f]! * D;
          for (let d = 0; d < D; d++) {
            const g = de[d]!;
            embAcc[row + d] = embAcc[row + d]! + g * g;
            w.embeddings[row + d] = w.embeddings[row + d]! - (embLr * g) / Math.sqrt(embAcc[row + d]!);
          }
        }
        if (++inBatch >= batchTokens) {
          opts.forEach((o, k) => o.step(grads[k]!, 1 / inBatch));
          inBatch = 0;
        }
      }
    }
    if (inBatch > 0) {
      opts.forEach((o, k) => o.step(grads[k]!, 1 / inBatch));
      inBatch = 0;
    }
    options.onEpoch?.(epoch, lossSum / Math.max(1, count));
  }
  return w;
}
