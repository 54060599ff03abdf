import type { TextClassifier } from '../runtime';
import type { LabeledText } from '../train/task';
import { argmax, classificationReport } from './metrics';
import type { ClassificationReport } from './metrics';

/** Runs the ONNX classifier over labelled texts (batched) and scores it. */
export async function evaluateClassifier(
  clf: TextClassifier,
  items: readonly LabeledText[],
  batch = 256,
): Promise<ClassificationReport> {
  const labels = clf.labels;
  const index = new Map(labels.map((l, i) => [l, i]));
  const truth: number[] = [];
  const pred: number[] = [];
  for (let start = 0; start < items.length; start += batch) {
    const chunk = items.slice(start, start + batch);
    const probs = await clf.probabilities(chunk.map((i) => i.text));
    chunk.forEach((it, r) => {
      const t = index.get(it.label);
      if (t === undefined)
        throw new Error(`eval item has label "${it.label}" unknown to model ${clf.manifest.name}`);
      truth.push(t);
      pred.push(argmax(probs, r * labels.length, labels.length));
    });
  }
  return classificationReport(labels, truth, pred);
}

/** A deterministic sample: every k-th item, so gate runs are fixed and cheap. */
export function fixedSample<T>(items: readonly T[], n: number | undefined): T[] {
  if (n === undefined || items.length <= n) return [...items];
  const step = items.length / n;
  return Array.from({ length: n }, (_, i) => items[Math.floor(i * step)] as T);
}
