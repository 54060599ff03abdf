import { FEATURES_PER_TOKEN } from './features';

/** Shape of the tagger: hashed feature bag → ReLU hidden layer → BIO logits. */
export interface TaggerShape {
  buckets: number;
  dim: number;
  hidden: number;
  labels: number;
}

/** Trainable weights, all row-major. */
export interface TaggerWeights extends TaggerShape {
  /** [buckets × dim] */
  embeddings: Float32Array;
  /** [dim × hidden] */
  w1: Float32Array;
  b1: Float32Array;
  /** [hidden × labels] */
  w2: Float32Array;
  b2: Float32Array;
}

export function initTagger(shape: TaggerShape, rnd: () => number): TaggerWeights {
  const uniform = (n: number, scale: number): Float32Array => {
    const a = new Float32Array(n);
    for (let i = 0; i < n; i++) a[i] = (rnd() * 2 - 1) * scale;
    return a;
  };
  return {
    ...shape,
    embeddings: uniform(shape.buckets * shape.dim, 0.1 / Math.sqrt(FEATURES_PER_TOKEN)),
    w1: uniform(shape.dim * shape.hidden, Math.sqrt(6 / (shape.dim + shape.hidden))),
    b1: new Float32Array(shape.hidden),
    w2: uniform(shape.hidden * shape.labels, Math.sqrt(6 / (shape.hidden + shape.labels))),
    b2: new Float32Array(shape.labels),
  };
}

/**
 * Plain-TypeScript forward pass for a batch of tokens: returns probabilities [tokens × labels].
 * Used in training and in tests that compare it with the exported ONNX graph.
 */
export function forwardTagger(w: TaggerWeights, ids: Int32Array, tokens: number): Float32Array {
  const { dim: D, hidden: H, labels: L } = w;
  const F = FEATURES_PER_TOKEN;
  const probs = new Float32Array(tokens * L);
  const e = new Float32Array(D);
  const h = new Float32Array(H);
  for (let t = 0; t < tokens; t++) {
    e.fill(0);
    for (let f = 0; f < F; f++) {
      const row = ids[t * F + f]! * D;
      for (let d = 0; d < D; d++) e[d] = e[d]! + w.embeddings[row + d]!;
    }
    hiddenLayer(w, e, h);
    outputLayer(w, h, probs, t * L);
  }
  return probs;
}

export function hiddenLayer(w: TaggerWeights, e: Float32Array, h: Float32Array): void {
  const { dim: D, hidden: H } = w;
  for (let j = 0; j < H; j++) h[j] = w.b1[j]!;
  for (let d = 0; d < D; d++) {
    const ed = e[d]!;
    if (ed === 0) continue;
    const row = d * H;
    for (let j = 0; j < H; j++) h[j] = h[j]! + ed * w.w1[row + j]!;
  }
  for (let j = 0; j < H; j++) if (h[j]! < 0) h[j] = 0;
}

/** Softmax output written into `out` at `offset`. */
export function outputLayer(w: TaggerWeights, h: Float32Array, out: Float32Array, offset: number): void {
  const { hidden: H, labels: L } = w;
  let max = -Infinity;
  for (let k = 0; k < L; k++) {
    let z = w.b2[k]!;
    for (let j = 0; j < H; j++) z += h[j]! * w.w2[j * L + k]!;
    out[offset + k] = z;
    if (z > max) max = z;
  }
  let sum = 0;
  for (let k = 0; k < L; k++) {
    const v = Math.exp(out[offset + k]! - max);
    out[offset + k] = v;
    sum += v;
  }
  for (let k = 0; k < L; k++) out[offset + k] = out[offset + k]! / sum;
}
