import type { BagClassifierWeights } from '../onnx';
import { Prng } from './prng';
import { ProgressBar } from './progress';

/** A featurised training example. */
export interface TrainExample {
  readonly ids: Int32Array;
  readonly label: number;
  /** Loss weight (class balancing, down-weighting generated text); default 1. */
  readonly weight?: number;
}

export interface FastTextOptions {
  readonly rows: number;
  readonly dim: number;
  readonly classes: number;
  readonly epochs: number;
  /** Start learning rate, decayed linearly to 0 (fastText's schedule). */
  readonly lr: number;
  readonly seed: number;
  /** Softens one-hot targets (0 = off); helps calibration of the scores. */
  readonly labelSmoothing?: number;
  /** Per-row pooling weights (weighted mean instead of mean), e.g. IDF; see BagClassifierWeights. */
  readonly rowWeights?: Float32Array;
  /** Label shown on the progress bar. */
  readonly progressLabel?: string;
  /**
   * Share of an example's features left out at each visit (0 = off, the default): a regulariser
   * that makes the model use many cues rather than a few. Drawn from its own seeded stream, so the
   * shuffle order is the same with or without it.
   */
  readonly featureDropout?: number;
}

/**
 * Writes the (weighted) mean of the rows `ids` of `table` into `out`; returns the normaliser
 * (count, or total weight floored like the ONNX graph: 1 without weights, 1e-6 with).
 */
function meanRows(
  table: Float32Array,
  dim: number,
  ids: Int32Array,
  out: Float32Array,
  rowWeights?: Float32Array,
): number {
  out.fill(0);
  const n = ids.length;
  let total = 0;
  for (let k = 0; k < n; k++) {
    const id = ids[k] as number;
    const w = rowWeights === undefined ? 1 : (rowWeights[id] as number);
    if (w === 0) continue;
    total += w;
    const base = id * dim;
    for (let j = 0; j < dim; j++) out[j] = (out[j] as number) + w * (table[base + j] as number);
  }
  const norm = Math.max(total, rowWeights === undefined ? 1 : 1e-6);
  const inv = 1 / norm;
  for (let j = 0; j < dim; j++) out[j] = (out[j] as number) * inv;
  return norm;
}

/** Softmax of `hidden @ weight + bias` into `out`. */
function forward(
  hidden: Float32Array,
  weight: Float32Array,
  bias: Float32Array,
  dim: number,
  classes: number,
  out: Float32Array,
): void {
  let max = -Infinity;
  for (let c = 0; c < classes; c++) {
    let s = bias[c] as number;
    for (let j = 0; j < dim; j++) s += (hidden[j] as number) * (weight[j * classes + c] as number);
    out[c] = s;
    if (s > max) max = s;
  }
  let z = 0;
  for (let c = 0; c < classes; c++) {
    const e = Math.exp((out[c] as number) - max);
    out[c] = e;
    z += e;
  }
  for (let c = 0; c < classes; c++) out[c] = (out[c] as number) / z;
}

/**
 * fastText's supervised model trained with plain SGD, one example at a time: embedding bag →
 * mean → linear → softmax cross-entropy. Deterministic for a given seed and example order.
 * Rows no example touched are zeroed at the end, so unseen n-grams add nothing at inference.
 */
export function trainFastText(examples: readonly TrainExample[], o: FastTextOptions): BagClassifierWeights {
  const { rows, dim, classes } = o;
  const rng = new Prng(o.seed);
  const embeddings = new Float32Array(rows * dim);
  for (let i = 0; i < embeddings.length; i++) embeddings[i] = (rng.next() * 2 - 1) / dim;
  const weight = new Float32Array(dim * classes);
  const bias = new Float32Array(classes);
  const touched = new Uint8Array(rows);
  const hidden = new Float32Array(dim);
  const probs = new Float32Array(classes);
  const gradHidden = new Float32Array(dim);
  const smoothing = o.labelSmoothing ?? 0;
  const order = examples.map((_, i) => i);
  const dropout = o.featureDropout ?? 0;
  const dropRng = new Prng((o.seed ^ 0x5bd1e995) >>> 0);
  const kept = new Int32Array(examples.reduce((m, e) => Math.max(m, e.ids.length), 0));
  const total = o.epochs * examples.length;
  const bar = new ProgressBar(o.progressLabel ?? 'train', total);
  let step = 0;
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    rng.shuffle(order);
    let loss = 0;
    let seen = 0;
    for (const idx of order) {
      seen++;
      const ex = examples[idx] as TrainExample;
      const lr = o.lr * (1 - step / total);
      step++;
      let ids = ex.ids;
      if (dropout > 0) {
        let m = 0;
        for (const id of ex.ids) if (dropRng.next() >= dropout) kept[m++] = id;
        ids = kept.subarray(0, m);
      }
      const n = ids.length;
      if (n === 0) continue;
      const norm = meanRows(embeddings, dim, ids, hidden, o.rowWeights);
      forward(hidden, weight, bias, dim, classes, probs);
      const w = ex.weight ?? 1;
      loss -= w * Math.log(Math.max(1e-12, probs[ex.label] as number));
      gradHidden.fill(0);
      for (let c = 0; c < classes; c++) {
        const target = (c === ex.label ? 1 - smoothing : 0) + smoothing / classes;
        const g = ((probs[c] as number) - target) * w;
        if (g === 0) continue;
        for (let j = 0; j < dim; j++) {
          const wi = j * classes + c;
          gradHidden[j] = (gradHidden[j] as number) + g * (weight[wi] as number);
          weight[wi] = (weight[wi] as number) - lr * g * (hidden[j] as number);
        }
        bias[c] = (bias[c] as number) - lr * g;
      }
      const scale = lr / norm;
      for (let k = 0; k < n; k++) {
        const id = ids[k] as number;
        touched[id] = 1;
        const rw = o.rowWeights === undefined ? 1 : (o.rowWeights[id] as number);
        if (rw === 0) continue;
        const base = id * dim;
        for (let j = 0; j < dim; j++)
          embeddings[base + j] = (embeddings[base + j] as number) - scale * rw * (gradHidden[j] as number);
      }
      if ((step & 1023) === 0)
        bar.update(step, `epoch ${epoch + 1}/${o.epochs} loss ${(loss / seen).toFixed(3)}`);
    }
    bar.update(
      step,
      `epoch ${epoch + 1}/${o.epochs} loss ${(loss / Math.max(1, examples.length)).toFixed(3)}`,
    );
  }
  bar.done();
  for (let r = 0; r < rows; r++) if (touched[r] === 0) embeddings.fill(0, r * dim, (r + 1) * dim);
  return {
    embeddings,
    rows,
    dim,
    weight,
    bias,
    classes,
    ...(o.rowWeights ? { rowWeights: o.rowWeights } : {}),
  };
}

/** Smoothed inverse document frequency per row, 0 for rows no document uses. */
export function idfWeights(docs: readonly Int32Array[], rows: number): Float32Array {
  const df = new Uint32Array(rows);
  const seen = new Int32Array(rows).fill(-1);
  docs.forEach((ids, d) => {
    for (const id of ids) {
      if (seen[id] === d) continue;
      seen[id] = d;
      df[id] = (df[id] as number) + 1;
    }
  });
  const out = new Float32Array(rows);
  const n = docs.length;
  for (let r = 0; r < rows; r++)
    if ((df[r] as number) > 0) out[r] = Math.log((n + 1) / ((df[r] as number) + 1)) + 1;
  // Round to the 8-bit grid the ONNX export stores (max/255 steps), so training sees what inference uses.
  const max = out.reduce((a, b) => Math.max(a, b), 0) || 1;
  for (let r = 0; r < rows; r++)
    out[r] = Math.fround((Math.round(((out[r] as number) / max) * 255) * max) / 255);
  return out;
}

/** Class probabilities in JS (same maths as the ONNX graph), for evaluation during training. */
export function predictProba(w: BagClassifierWeights, ids: Int32Array): Float32Array {
  const hidden = new Float32Array(w.dim);
  const probs = new Float32Array(w.classes);
  meanRows(w.embeddings, w.dim, ids, hidden, w.rowWeights);
  forward(hidden, w.weight, w.bias, w.dim, w.classes, probs);
  return probs;
}
