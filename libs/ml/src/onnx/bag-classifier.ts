import { GraphBuilder } from './builder';

/** Weights of a fastText-style classifier: embedding bag → mean → linear → softmax. */
export interface BagClassifierWeights {
  /** Embedding table, row-major [rows, dim]. */
  readonly embeddings: Float32Array;
  readonly rows: number;
  readonly dim: number;
  /** Output layer, row-major [dim, classes]. */
  readonly weight: Float32Array;
  /** Output bias [classes]. */
  readonly bias: Float32Array;
  readonly classes: number;
  /**
   * Optional per-row pooling weight [rows] (e.g. IDF): the bag is then the weighted mean
   * Σ wᵢ·eᵢ / Σ wᵢ instead of the plain mean.
   */
  readonly rowWeights?: Float32Array;
}

export interface BagClassifierOptions {
  readonly name: string;
  /**
   * `int8` stores the table as int8 with one float scale per row (4x smaller, the accuracy loss is
   * well under a point for these models); `float32` stores it as is.
   */
  readonly storage?: 'float32' | 'int8';
  readonly docString?: string;
}

/** Symmetric per-row int8 quantisation: row ≈ q * scale. */
export function quantizeRows(
  table: Float32Array,
  rows: number,
  dim: number,
): { q: Int8Array; scales: Float32Array } {
  const q = new Int8Array(rows * dim);
  const scales = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    let maxAbs = 0;
    for (let j = 0; j < dim; j++) maxAbs = Math.max(maxAbs, Math.abs(table[r * dim + j] as number));
    const scale = maxAbs / 127 || 1;
    scales[r] = scale;
    for (let j = 0; j < dim; j++) q[r * dim + j] = Math.round((table[r * dim + j] as number) / scale);
  }
  return { q, scales };
}

/**
 * The graph every text classifier here uses. Inputs: `ids` int32 [batch, len] (row indices into
 * the table, padding rows use any valid id) and `mask` float32 [batch, len] (1 for real features,
 * 0 for padding). Outputs: `probs` [batch, classes] and `logits` [batch, classes].
 */
export function buildBagClassifier(
  weights: BagClassifierWeights,
  options: BagClassifierOptions,
): GraphBuilder {
  const { rows, dim, classes } = weights;
  const g = new GraphBuilder({
    name: options.name,
    opset: 18,
    docString: options.docString ?? 'hashed n-gram embedding bag classifier',
  });
  const ids = g.input('ids', 'int32', ['batch', 'len']);
  const mask = g.input('mask', 'float32', ['batch', 'len']);
  let emb: string;
  if ((options.storage ?? 'float32') === 'int8') {
    const { q, scales } = quantizeRows(weights.embeddings, rows, dim);
    const table = g.initializer('embeddings_q', q, [rows, dim]);
    const scale = g.initializer('embeddings_scale', scales, [rows, 1]);
    emb = g.mul(g.cast(g.gather(table, ids), 'float32'), g.gather(scale, ids));
  } else {
    emb = g.gather(g.initializer('embeddings', weights.embeddings, [rows, dim]), ids);
  }
  // The pooling weights: the mask itself, or the mask times each row's weight.
  const pool =
    weights.rowWeights === undefined
      ? mask
      : g.mul(mask, g.gather(g.initializer('row_weight', weights.rowWeights, [rows]), ids));
  const pooled = g.maskedPool(emb, pool, true, weights.rowWeights === undefined ? 1 : 1e-6);
  const logits = g.linear(
    pooled,
    g.initializer('head_weight', weights.weight, [dim, classes]),
    g.initializer('head_bias', weights.bias, [classes]),
  );
  g.output(g.softmax(logits), 'probs', 'float32', ['batch', classes]);
  g.output(logits, 'logits', 'float32', ['batch', classes]);
  return g;
}
