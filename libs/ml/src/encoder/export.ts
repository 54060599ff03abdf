import { GraphBuilder } from '../onnx';
import { quantizeRows } from '../onnx/bag-classifier';

/**
 * The encoder graph: `ids` int32 [batch, len] and `weights` float32 [batch, len] (feature counts;
 * 0 on padding) → `embeddings` float32 [batch, dim], L2-normalised. The table is stored as int8
 * with one float scale per row (4x smaller; cosine scores move by ~1e-3).
 */
export function buildEncoderGraph(
  table: Float32Array,
  rows: number,
  dim: number,
  docString: string,
): GraphBuilder {
  const g = new GraphBuilder({ name: 'sentence_encoder', opset: 18, docString });
  const ids = g.input('ids', 'int32', ['batch', 'len']);
  const weights = g.input('weights', 'float32', ['batch', 'len']);
  const { q, scales } = quantizeRows(table, rows, dim);
  const tq = g.initializer('embeddings_q', q, [rows, dim]);
  const ts = g.initializer('embeddings_scale', scales, [rows]);
  // Each row's scale goes into its pooling weight (one multiply per feature, not per element):
  // Σ wₗ·(qₗ·sₗ) = Σ (wₗ·sₗ)·qₗ, summed as one batched MatMul [b,1,l] × [b,l,d].
  const pool = g.mul(weights, g.gather(ts, ids));
  const summed = g.weightedSum(g.cast(g.gather(tq, ids), 'float32'), pool);
  g.output(g.l2Normalize(summed, -1, 1e-12), 'embeddings', 'float32', ['batch', dim]);
  return g;
}
