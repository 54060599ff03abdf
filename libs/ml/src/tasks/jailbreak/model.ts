// The jailbreak detector: hashed n-gram embeddings pooled two ways, mean and max, then a small
// ReLU layer and a logistic output. Why not the plain fastText mean: with a mean, every benign
// word appended to an attack dilutes it (the reference detector is evaded by ~2.6 appended
// words); the max-pooled half keeps the strongest attack n-gram's activation whatever surrounds
// it. The hidden layer lets the model combine cues (a role-play wrapper AND a harmful request is
// an attack; either alone is not), which a linear head cannot.
import { GraphBuilder } from '../../onnx';
import { quantizeRows } from '../../onnx/bag-classifier';
import { Prng } from '../../train/prng';
import { ProgressBar } from '../../train/progress';

export interface MeanMaxWeights {
  rows: number;
  /** Row width: `learnedDim` trained dims, then frozen pretrained dims (word vectors). */
  dim: number;
  learnedDim: number;
  /** [rows, dim] */
  embeddings: Float32Array;
  hidden: number;
  /** [hidden, 2*dim] (row per hidden unit; input = mean half then max half). */
  w1: Float32Array;
  b1: Float32Array;
  /** [hidden] */
  w2: Float32Array;
  b2: number;
}

export interface MeanMaxExample {
  ids: Int32Array;
  /** 1 = jailbreak. */
  y: 0 | 1;
  weight: number;
}

export interface MeanMaxOptions {
  rows: number;
  /** Trained dims per row. */
  dim: number;
  /** Frozen dims appended to each row (filled by `frozenInit`, never updated). */
  frozenDim?: number;
  /** Writes the frozen part: called with the table, the row width and the learned width. */
  frozenInit?: (embeddings: Float32Array, rowWidth: number, offset: number) => void;
  /** Targets become ε/2 and 1-ε/2: keeps scores off 0/1, so the tail stays ranked (default 0). */
  labelSmoothing?: number;
  /** Probability of dropping each feature of a training example (regularises, default 0). */
  featureDropout?: number;
  /**
   * Called after every epoch (and once more with the tail average, `averaged` true, when
   * `averageFrom` is set); return a score to keep the best weights (higher = better).
   */
  onEpoch?: (w: MeanMaxWeights, epoch: number, averaged?: boolean) => number | undefined;
  /**
   * Return the average of the end-of-epoch weights from this epoch (1-based) to the last
   * (stochastic weight averaging: a flatter, less seed-dependent solution than any one epoch)
   * instead of the best-scoring epoch.
   */
  averageFrom?: number;
  epochs: number;
  lr: number;
  /** Hidden ReLU units. */
  hidden: number;
  /** L2 on the dense layers, per step (keeps the logit scale sane). */
  l2: number;
  seed: number;
  progressLabel?: string;
}

/** Pooled hidden vector [mean | max] of one example; `argmax` receives the winning feature per dim. */
function pool(w: MeanMaxWeights, ids: Int32Array, hidden: Float32Array, argmax?: Int32Array): void {
  const { dim, embeddings: e } = w;
  const n = ids.length;
  hidden.fill(0);
  if (n === 0) return;
  for (let j = 0; j < dim; j++) hidden[dim + j] = -Infinity;
  for (let k = 0; k < n; k++) {
    const base = (ids[k] as number) * dim;
    for (let j = 0; j < dim; j++) {
      const v = e[base + j] as number;
      hidden[j] = (hidden[j] as number) + v;
      if (v > (hidden[dim + j] as number)) {
        hidden[dim + j] = v;
        if (argmax) argmax[j] = k;
      }
    }
  }
  for (let j = 0; j < dim; j++) hidden[j] = (hidden[j] as number) / n;
}

/** Output logit; `act` (optional) receives the hidden pre-activations. */
function logit(w: MeanMaxWeights, pooled: Float32Array, act?: Float32Array): number {
  const d2 = 2 * w.dim;
  let z = w.b2;
  for (let h = 0; h < w.hidden; h++) {
    let a = w.b1[h] as number;
    const base = h * d2;
    for (let j = 0; j < d2; j++) a += (pooled[j] as number) * (w.w1[base + j] as number);
    if (act) act[h] = a;
    if (a > 0) z += a * (w.w2[h] as number);
  }
  return z;
}

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

/** P(jailbreak) for one featurised text; the same arithmetic as the ONNX graph. */
export function scoreIds(w: MeanMaxWeights, ids: Int32Array): number {
  const pooled = new Float32Array(2 * w.dim);
  pool(w, ids, pooled);
  return sigmoid(logit(w, pooled));
}

/** Plain SGD, one example at a time, linearly decayed learning rate (fastText's schedule). */
export function trainMeanMax(examples: readonly MeanMaxExample[], o: MeanMaxOptions): MeanMaxWeights {
  const rng = new Prng(o.seed);
  const { rows, hidden: H } = o;
  const learned = o.dim;
  const dim = learned + (o.frozenDim ?? 0);
  const d2 = 2 * dim;
  const uni = (scale: number): number => (rng.next() * 2 - 1) * scale;
  const embeddings = new Float32Array(rows * dim);
  for (let r = 0; r < rows; r++)
    for (let j = 0; j < learned; j++) embeddings[r * dim + j] = uni(0.5 / learned);
  o.frozenInit?.(embeddings, dim, learned);
  const w: MeanMaxWeights = {
    rows,
    dim,
    learnedDim: learned,
    embeddings,
    hidden: H,
    w1: Float32Array.from({ length: H * d2 }, () => uni(Math.sqrt(6 / (d2 + H)))),
    b1: new Float32Array(H).fill(0.01),
    w2: Float32Array.from({ length: H }, () => uni(Math.sqrt(6 / (H + 1)))),
    b2: 0,
  };
  const touched = new Uint8Array(rows);
  const pooled = new Float32Array(d2);
  const act = new Float32Array(H);
  const gPooled = new Float32Array(d2);
  const argmax = new Int32Array(dim);
  const scratch = new Int32Array(Math.max(1, ...examples.map((e) => e.ids.length)));
  const dropout = o.featureDropout ?? 0;
  const smooth = o.labelSmoothing ?? 0;
  const order = examples.map((_, i) => i);
  const total = o.epochs * examples.length;
  const bar = new ProgressBar(o.progressLabel ?? 'train jailbreak', total);
  let best: { score: number; w: MeanMaxWeights } | undefined;
  let avg: MeanMaxWeights | undefined;
  let averaged = 0;
  let step = 0;
  let lossSum = 0;
  let seen = 0;
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    rng.shuffle(order);
    lossSum = 0;
    seen = 0;
    for (const i of order) {
      const ex = examples[i] as MeanMaxExample;
      const lr = o.lr * (1 - step / total);
      step++;
      seen++;
      let ids = ex.ids;
      if (dropout > 0 && ids.length > 4) {
        let m = 0;
        for (let k = 0; k < ids.length; k++) if (rng.next() >= dropout) scratch[m++] = ids[k] as number;
        ids = scratch.subarray(0, m);
      }
      const n = ids.length;
      if (n === 0) continue;
      pool(w, ids, pooled, argmax);
      const p = sigmoid(logit(w, pooled, act));
      lossSum += -ex.weight * Math.log(ex.y === 1 ? Math.max(p, 1e-7) : Math.max(1 - p, 1e-7));
      const target = ex.y === 1 ? 1 - smooth / 2 : smooth / 2;
      const g = (p - target) * ex.weight * lr;
      // Back-propagate through the ReLU layer (gradients use the weights before this update).
      gPooled.fill(0);
      for (let h = 0; h < H; h++) {
        const a = act[h] as number;
        if (a <= 0) continue;
        const w2h = w.w2[h] as number;
        const ga = g * w2h;
        const base = h * d2;
        for (let j = 0; j < d2; j++) {
          const w1 = w.w1[base + j] as number;
          gPooled[j] = (gPooled[j] as number) + ga * w1;
          w.w1[base + j] = w1 * (1 - o.l2 * lr) - ga * (pooled[j] as number);
        }
        w.b1[h] = (w.b1[h] as number) - ga;
        w.w2[h] = w2h * (1 - o.l2 * lr) - g * a;
      }
      w.b2 -= g;
      // Only the learned dims of the table move; the frozen word vectors stay as loaded.
      const inv = 1 / n;
      for (let k = 0; k < n; k++) {
        const row = ids[k] as number;
        touched[row] = 1;
        const base = row * dim;
        for (let j = 0; j < learned; j++)
          embeddings[base + j] = (embeddings[base + j] as number) - (gPooled[j] as number) * inv;
      }
      for (let j = 0; j < learned; j++) {
        const row = ids[argmax[j] as number] as number;
        embeddings[row * dim + j] = (embeddings[row * dim + j] as number) - (gPooled[dim + j] as number);
      }
      if ((step & 4095) === 0) bar.update(step, `epoch ${epoch + 1} loss ${(lossSum / seen).toFixed(4)}`);
    }
    const score = o.onEpoch?.(finalised(w, touched), epoch + 1);
    if (score !== undefined && (best === undefined || score > best.score))
      best = { score, w: cloneWeights(w) };
    if (o.averageFrom !== undefined && epoch + 1 >= o.averageFrom) {
      avg ??= zeroWeights(w);
      addWeights(avg, w);
      averaged++;
    }
  }
  if (avg && averaged > 1) {
    scaleWeights(avg, 1 / averaged);
    // The average is kept whatever the single epochs scored: differences of a few validation
    // texts between near-equal candidates are noise, and the average is the less noisy model.
    const score = o.onEpoch?.(finalised(avg, touched), o.epochs, true);
    best = { score: score ?? Number.NaN, w: avg };
  }
  bar.done(
    `loss ${(lossSum / Math.max(1, seen)).toFixed(4)}${best ? `, kept ${averaged > 1 ? 'the tail average' : 'the best epoch'} (score ${best.score.toFixed(4)})` : ''}`,
  );
  return finalised(best?.w ?? w, touched);
}

function zeroWeights(w: MeanMaxWeights): MeanMaxWeights {
  const c = cloneWeights(w);
  c.embeddings.fill(0);
  c.w1.fill(0);
  c.b1.fill(0);
  c.w2.fill(0);
  c.b2 = 0;
  return c;
}

/** acc += w, element-wise (every parameter, frozen dims included: they average to themselves). */
function addWeights(acc: MeanMaxWeights, w: MeanMaxWeights): void {
  const add = (a: Float32Array, b: Float32Array): void => {
    for (let i = 0; i < a.length; i++) a[i] = (a[i] as number) + (b[i] as number);
  };
  add(acc.embeddings, w.embeddings);
  add(acc.w1, w.w1);
  add(acc.b1, w.b1);
  add(acc.w2, w.w2);
  acc.b2 += w.b2;
}

function scaleWeights(w: MeanMaxWeights, k: number): void {
  for (const a of [w.embeddings, w.w1, w.b1, w.w2])
    for (let i = 0; i < a.length; i++) a[i] = (a[i] as number) * k;
  w.b2 *= k;
}

function cloneWeights(w: MeanMaxWeights): MeanMaxWeights {
  return { ...w, embeddings: w.embeddings.slice(), w1: w.w1.slice(), b1: w.b1.slice(), w2: w.w2.slice() };
}

/** A copy whose untouched rows have zero learned dims, so unseen n-grams add nothing. */
function finalised(w: MeanMaxWeights, touched: Uint8Array): MeanMaxWeights {
  const c = cloneWeights(w);
  for (let r = 0; r < w.rows; r++) if (!touched[r]) c.embeddings.fill(0, r * w.dim, r * w.dim + w.learnedDim);
  return c;
}

/**
 * ONNX graph with the runtime's contract: inputs `ids` int32 [batch, len], `mask` float32
 * [batch, len]; outputs `probs` [batch, 2] (benign, jailbreak) and `logits` [batch, 2].
 * The table is stored int8 with a float scale per row.
 */
export function buildMeanMaxGraph(w: MeanMaxWeights, name: string): GraphBuilder {
  const { rows, dim } = w;
  const g = new GraphBuilder({
    name,
    opset: 18,
    docString: 'hashed n-gram bag, mean+max pooling, ReLU layer, logistic output',
  });
  const ids = g.input('ids', 'int32', ['batch', 'len']);
  const mask = g.input('mask', 'float32', ['batch', 'len']);
  const { q, scales } = quantizeRows(w.embeddings, rows, dim);
  const table = g.initializer('embeddings_q', q, [rows, dim]);
  const scale = g.initializer('embeddings_scale', scales, [rows, 1]);
  const emb = g.mul(g.cast(g.gather(table, ids), 'float32'), g.gather(scale, ids));
  const m3 = g.unsqueeze(mask, [-1]);
  const mean = g.maskedPool(emb, mask, true);
  // Padding gets -1e4 so it never wins the max; an all-padding row is then zeroed by `any`.
  const shifted = g.add(emb, g.mul(g.sub(m3, g.scalar(1)), g.scalar(1e4)));
  const any = g.op('Min', [g.reduceSum(mask, [1], true), g.scalar(1)]);
  const maxed = g.mul(g.reduce('ReduceMax', shifted, [1]), any);
  const pooled = g.op('Concat', [mean, maxed], { axis: 1 });
  const d2 = 2 * dim;
  const w1t = new Float32Array(d2 * w.hidden); // [2*dim, hidden] for MatMul
  for (let h = 0; h < w.hidden; h++)
    for (let j = 0; j < d2; j++) w1t[j * w.hidden + h] = w.w1[h * d2 + j] as number;
  const act = g.relu(
    g.linear(
      pooled,
      g.initializer('dense_weight', w1t, [d2, w.hidden]),
      g.initializer('dense_bias', w.b1, [w.hidden]),
    ),
  );
  // Two-class head: class 0 logit is 0, class 1 logit is the logistic z (softmax = sigmoid).
  const head = new Float32Array(w.hidden * 2);
  for (let h = 0; h < w.hidden; h++) head[h * 2 + 1] = w.w2[h] as number;
  const logits = g.linear(
    act,
    g.initializer('head_weight', head, [w.hidden, 2]),
    g.initializer('head_bias', Float32Array.of(0, w.b2), [2]),
  );
  g.output(g.softmax(logits), 'probs', 'float32', ['batch', 2]);
  g.output(logits, 'logits', 'float32', ['batch', 2]);
  return g;
}

/** Applies the same int8 rounding as the exported graph, so JS scores match ONNX scores. */
export function quantizedCopy(w: MeanMaxWeights): MeanMaxWeights {
  const { q, scales } = quantizeRows(w.embeddings, w.rows, w.dim);
  const e = new Float32Array(w.embeddings.length);
  for (let r = 0; r < w.rows; r++) {
    const s = scales[r] as number;
    for (let j = 0; j < w.dim; j++) e[r * w.dim + j] = (q[r * w.dim + j] as number) * s;
  }
  return { ...w, embeddings: e };
}
