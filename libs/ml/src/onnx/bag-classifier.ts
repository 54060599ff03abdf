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

/** IEEE half-precision bit patterns of `values` (round to nearest even; inputs are finite). */
export function toFloat16Bits(values: Float32Array): Uint16Array {
  const out = new Uint16Array(values.length);
  const f32 = new Float32Array(1);
  const u32 = new Uint32Array(f32.buffer);
  for (let i = 0; i < values.length; i++) {
    f32[0] = values[i] as number;
    const x = u32[0] as number;
    const sign = (x >>> 16) & 0x8000;
    const exp = ((x >>> 23) & 0xff) - 127 + 15;
    const mant = x & 0x7fffff;
    if (exp <= 0) {
      // Subnormal or zero in half precision.
      out[i] = exp < -10 ? sign : sign | ((mant | 0x800000) >> (14 - exp));
    } else if (exp >= 31) {
      out[i] = sign | 0x7c00;
    } else {
      let h = sign | (exp << 10) | (mant >> 13);
      const rest = mant & 0x1fff;
      if (rest > 0x1000 || (rest === 0x1000 && (h & 1) === 1)) h++;
      out[i] = h;
    }
  }
  return out;
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
  // The pooling weights: the mask itself, or the mask times each row's weight.
  let pool = mask;
  if (weights.rowWeights !== undefined) {
    // Row weights (IDF, ≥ 0) as uint8 codes times one scale: a quarter of the float32 bytes
    // (the trainer already rounds them to this grid, see idfWeights).
    const maxW = weights.rowWeights.reduce((a, b) => Math.max(a, b), 0) || 1;
    const codes = Uint8Array.from(weights.rowWeights, (w) => Math.round((w / maxW) * 255));
    const rowWeight = g.mul(
      g.cast(g.gather(g.initializer('row_weight_q', codes, [rows]), ids), 'float32'),
      g.scalar(maxW / 255),
    );
    pool = g.mul(mask, rowWeight);
  }
  let summed: string;
  if ((options.storage ?? 'float32') === 'int8') {
    const { q, scales } = quantizeRows(weights.embeddings, rows, dim);
    const table = g.initializer('embeddings_q', q, [rows, dim]);
    // Scales as float16: half the bytes, and 11 bits of mantissa are plenty for a per-row scale.
    const scale = g.initializer('embeddings_scale', toFloat16Bits(scales), [rows], 'float16');
    // Each row's scale is folded into its pooling weight (one multiply per feature, not per
    // element): Σ wₗ·(qₗ·sₗ) = Σ (wₗ·sₗ)·qₗ.
    const scaled = g.mul(pool, g.cast(g.gather(scale, ids), 'float32'));
    summed = g.weightedSum(g.cast(g.gather(table, ids), 'float32'), scaled);
  } else {
    summed = g.weightedSum(g.gather(g.initializer('embeddings', weights.embeddings, [rows, dim]), ids), pool);
  }
  const count = g.max(g.reduceSum(pool, [1], true), g.scalar(weights.rowWeights === undefined ? 1 : 1e-6));
  const pooled = g.div(summed, count);
  const logits = g.linear(
    pooled,
    g.initializer('head_weight', weights.weight, [dim, classes]),
    g.initializer('head_bias', weights.bias, [classes]),
  );
  g.output(g.softmax(logits), 'probs', 'float32', ['batch', classes]);
  g.output(logits, 'logits', 'float32', ['batch', classes]);
  return g;
}
