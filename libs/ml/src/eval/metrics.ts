/** Per-class precision, recall, F1 and support. */
export interface ClassMetrics {
  readonly label: string;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  readonly support: number;
}

/** Accuracy, macro-F1, per-class metrics and the confusion matrix (rows = truth, cols = predicted). */
export interface ClassificationReport {
  readonly n: number;
  readonly accuracy: number;
  readonly macroF1: number;
  readonly perClass: readonly ClassMetrics[];
  readonly confusion: readonly (readonly number[])[];
  readonly labels: readonly string[];
}

/** Metrics from label indices. */
export function classificationReport(
  labels: readonly string[],
  truth: readonly number[],
  predicted: readonly number[],
): ClassificationReport {
  if (truth.length !== predicted.length)
    throw new RangeError(`truth has ${truth.length} items, predictions ${predicted.length}`);
  const k = labels.length;
  const confusion = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  let correct = 0;
  truth.forEach((t, i) => {
    const p = predicted[i] as number;
    (confusion[t] as number[])[p] = ((confusion[t] as number[])[p] as number) + 1;
    if (t === p) correct++;
  });
  const perClass = labels.map((label, c) => {
    const tp = (confusion[c] as number[])[c] as number;
    const support = (confusion[c] as number[]).reduce((a, b) => a + b, 0);
    const predictedC = confusion.reduce((a, row) => a + (row[c] as number), 0);
    const precision = predictedC === 0 ? 0 : tp / predictedC;
    const recall = support === 0 ? 0 : tp / support;
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    return { label, precision, recall, f1, support };
  });
  const present = perClass.filter((c) => c.support > 0);
  const macroF1 = present.length === 0 ? 0 : present.reduce((a, c) => a + c.f1, 0) / present.length;
  return {
    n: truth.length,
    accuracy: truth.length === 0 ? 0 : correct / truth.length,
    macroF1,
    perClass,
    confusion,
    labels,
  };
}

/** Index of the largest value. */
export function argmax(values: ArrayLike<number>, offset = 0, length = values.length - offset): number {
  let best = 0;
  for (let i = 1; i < length; i++)
    if ((values[offset + i] as number) > (values[offset + best] as number)) best = i;
  return best;
}

/** Area under the ROC curve for binary labels (1 = positive) and scores (ties counted half). */
export function rocAuc(positive: readonly boolean[], scores: readonly number[]): number {
  const idx = scores.map((_, i) => i).sort((a, b) => (scores[a] as number) - (scores[b] as number));
  const nPos = positive.filter(Boolean).length;
  const nNeg = positive.length - nPos;
  if (nPos === 0 || nNeg === 0) return Number.NaN;
  // Mann–Whitney U with average ranks for ties.
  let rankSumPos = 0;
  for (let i = 0; i < idx.length;) {
    let j = i;
    while (j + 1 < idx.length && scores[idx[j + 1] as number] === scores[idx[i] as number]) j++;
    const avgRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) if (positive[idx[k] as number]) rankSumPos += avgRank;
    i = j + 1;
  }
  return (rankSumPos - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}

/**
 * Recall at the strictest threshold whose false-positive rate stays ≤ `maxFpr`: the threshold is
 * set just above the ⌊maxFpr·negatives⌋+1-th highest negative score.
 */
export function recallAtFpr(
  positive: readonly boolean[],
  scores: readonly number[],
  maxFpr: number,
): { recall: number; threshold: number; fpr: number } {
  const neg = scores.filter((_, i) => !positive[i]).sort((a, b) => b - a);
  const pos = scores.filter((_, i) => positive[i]);
  if (pos.length === 0 || neg.length === 0)
    return { recall: Number.NaN, threshold: Number.NaN, fpr: Number.NaN };
  const allowed = Math.floor(maxFpr * neg.length);
  // Scores strictly above the (allowed+1)-th highest negative are flagged.
  const threshold = neg[allowed] as number;
  const fp = neg.filter((s) => s > threshold).length;
  const tp = pos.filter((s) => s > threshold).length;
  return { recall: tp / pos.length, threshold, fpr: fp / neg.length };
}
