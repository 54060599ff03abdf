/** Small, dependency-free metrics for similarity scores. */

export function cosine(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s;
}

/** ROC AUC by ranks (ties count half). */
export function rocAuc(scores: readonly number[], labels: readonly (0 | 1)[]): number {
  const idx = scores.map((s, i) => [s, labels[i] as 0 | 1] as const).sort((x, y) => x[0] - y[0]);
  let pos = 0;
  let neg = 0;
  let rankSum = 0;
  let i = 0;
  while (i < idx.length) {
    let j = i;
    while (
      j < idx.length &&
      (idx[j] as readonly [number, 0 | 1])[0] === (idx[i] as readonly [number, 0 | 1])[0]
    )
      j++;
    const avgRank = (i + j + 1) / 2;
    for (let k = i; k < j; k++) {
      if ((idx[k] as readonly [number, 0 | 1])[1] === 1) {
        pos++;
        rankSum += avgRank;
      } else neg++;
    }
    i = j;
  }
  if (pos === 0 || neg === 0) return NaN;
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}

/** Accuracy of the best single threshold, and that threshold. */
export function bestThresholdAccuracy(
  scores: readonly number[],
  labels: readonly (0 | 1)[],
): { accuracy: number; threshold: number } {
  const idx = scores.map((s, i) => [s, labels[i] as 0 | 1] as const).sort((x, y) => y[0] - x[0]);
  const totalNeg = labels.filter((l) => l === 0).length;
  let tp = 0;
  let fp = 0;
  let best = { accuracy: totalNeg / Math.max(1, labels.length), threshold: Infinity };
  for (let i = 0; i < idx.length; i++) {
    const [s, l] = idx[i] as readonly [number, 0 | 1];
    if (l === 1) tp++;
    else fp++;
    const next = idx[i + 1];
    if (next && next[0] === s) continue;
    const acc = (tp + (totalNeg - fp)) / labels.length;
    if (acc > best.accuracy) best = { accuracy: acc, threshold: s };
  }
  return best;
}

export interface ThresholdStats {
  readonly threshold: number;
  readonly precision: number;
  readonly recall: number;
  /** Share of negatives that would be served (hits on pairs that are not the same question). */
  readonly falseHitRate: number;
  readonly tp: number;
  readonly fp: number;
  readonly fn: number;
  readonly tn: number;
}

/** Precision/recall when `hit[i]` says the pair would be served. */
export function hitStats(
  hit: readonly boolean[],
  labels: readonly (0 | 1)[],
  threshold: number,
): ThresholdStats {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  hit.forEach((h, i) => {
    if (labels[i] === 1) {
      if (h) tp++;
      else fn++;
    } else if (h) fp++;
    else tn++;
  });
  return {
    threshold,
    precision: tp + fp === 0 ? 1 : tp / (tp + fp),
    recall: tp + fn === 0 ? 0 : tp / (tp + fn),
    falseHitRate: fp + tn === 0 ? 0 : fp / (fp + tn),
    tp,
    fp,
    fn,
    tn,
  };
}

export const round = (x: number, d = 4): number => Math.round(x * 10 ** d) / 10 ** d;
