/**
 * The encoder's trainable form: e(text) = normalise(Σ_f w_f · E[f]). Forward and backward passes
 * are written out by hand (the model is one sum and one norm), with row-wise Adagrad on the rows a
 * batch touches. Vocabulary rows may be pulled back towards their GloVe start so words that training
 * rarely sees keep their pretrained neighbours.
 */
import type { FeatureBag } from '../features';

export class BagModel {
  readonly table: Float32Array;
  private readonly accum: Float32Array;
  /** Start values of anchored rows (GloVe words), rows [1, 1 + anchorRows). */
  private readonly anchor: Float32Array;

  constructor(
    readonly rows: number,
    readonly dim: number,
    readonly anchorRows: number,
  ) {
    this.table = new Float32Array(rows * dim);
    this.accum = new Float32Array(rows);
    this.anchor = new Float32Array(anchorRows * dim);
  }

  /** Freezes the current values of the anchored rows as their regularisation target. */
  setAnchor(): void {
    this.anchor.set(this.table.subarray(this.dim, this.dim * (1 + this.anchorRows)));
  }

  /** Unnormalised sum into `out`; returns its L2 norm. */
  sum(bag: FeatureBag, out: Float32Array): number {
    out.fill(0);
    const { dim, table } = this;
    for (let k = 0; k < bag.ids.length; k++) {
      const w = bag.weights[k] as number;
      const base = (bag.ids[k] as number) * dim;
      for (let j = 0; j < dim; j++) out[j] = (out[j] as number) + w * (table[base + j] as number);
    }
    let n = 0;
    for (let j = 0; j < dim; j++) n += (out[j] as number) ** 2;
    return Math.sqrt(n);
  }

  /** L2-normalised embedding. */
  embed(bag: FeatureBag): Float32Array {
    const out = new Float32Array(this.dim);
    const n = this.sum(bag, out) || 1;
    for (let j = 0; j < this.dim; j++) out[j] = (out[j] as number) / n;
    return out;
  }

  /**
   * Backward for one text: given dL/de for the normalised embedding `e` (norm `norm` before
   * normalising), updates every row in the bag with row-wise Adagrad.
   */
  backward(
    bag: FeatureBag,
    e: Float32Array,
    norm: number,
    de: Float32Array,
    opts: { lr: number; anchorWeight: number },
  ): void {
    const { dim, table, accum, anchor, anchorRows } = this;
    // d e / d s = (I - e eᵀ) / ‖s‖
    let dot = 0;
    for (let j = 0; j < dim; j++) dot += (e[j] as number) * (de[j] as number);
    const ds = new Float32Array(dim);
    const inv = 1 / Math.max(norm, 1e-6);
    for (let j = 0; j < dim; j++) ds[j] = ((de[j] as number) - (e[j] as number) * dot) * inv;
    const g = new Float32Array(dim);
    for (let k = 0; k < bag.ids.length; k++) {
      const row = bag.ids[k] as number;
      if (row === 0) continue;
      const w = bag.weights[k] as number;
      const base = row * dim;
      const anchored = row <= anchorRows && opts.anchorWeight > 0;
      const abase = (row - 1) * dim;
      let sq = 0;
      for (let j = 0; j < dim; j++) {
        let gj = w * (ds[j] as number);
        if (anchored) gj += opts.anchorWeight * ((table[base + j] as number) - (anchor[abase + j] as number));
        g[j] = gj;
        sq += gj * gj;
      }
      const acc = (accum[row] as number) + sq / dim;
      accum[row] = acc;
      const step = opts.lr / Math.sqrt(acc + 1e-10);
      for (let j = 0; j < dim; j++) table[base + j] = (table[base + j] as number) - step * (g[j] as number);
    }
  }
}
