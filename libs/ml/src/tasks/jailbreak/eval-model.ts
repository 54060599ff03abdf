// Re-evaluates a shipped jailbreak model directory through the runtime (onnxruntime), on the
// held-out split rebuilt from the datasets, our own set and the adversarial checks. Used by
// `npm run eval` and by the jest quality gate.
import { buildCorpus } from '../../data/jailbreak/corpus';
import type { SplitMode } from '../../data/jailbreak/corpus';
import { TextClassifier } from '../../runtime';
import { fnv1a } from '../../text';
import { modelDir } from '../../train/paths';
import { dedupKey } from '../../train/split';
import { evaluateJailbreak, formatReport, loadOwnEval } from './evaluate';
import type { JailbreakReport, JbScorer } from './evaluate';
import { paddingPool } from './task';

export interface JailbreakModelEval {
  report: JailbreakReport;
  mode: SplitMode;
  lines: string[];
  sizeBytes: number;
}

/** Recommended threshold stored in a jailbreak manifest (throws if absent). */
export function manifestThreshold(clf: TextClassifier): number {
  const t = (clf.manifest as { recommendedThreshold?: unknown }).recommendedThreshold;
  if (typeof t !== 'number' || !(t > 0 && t < 1))
    throw new Error(`${clf.dir}: manifest has no recommendedThreshold in (0, 1)`);
  return t;
}

/** The split the model was trained with (its held-out side is what we re-score). */
export function manifestSplitMode(clf: TextClassifier): SplitMode {
  const mode = (clf.manifest.data.split as { mode?: unknown }).mode;
  if (mode === 'text' || mode === 'group') return mode;
  throw new Error(`${clf.dir}: manifest data.split.mode must be "text" or "group"`);
}

export function classifierScorer(clf: TextClassifier): JbScorer {
  const j = clf.labels.indexOf('jailbreak');
  if (j < 0) throw new Error(`${clf.dir}: labels ${clf.labels.join(', ')} have no "jailbreak"`);
  return async (texts) => {
    const probs = await clf.probabilities(texts);
    return texts.map((_, i) => probs[i * clf.labels.length + j] as number);
  };
}

/**
 * `sampleFraction` < 1 keeps a fixed, hash-chosen part of the held-out split (same texts on every
 * run), for a quicker check.
 */
export async function evaluateJailbreakModel(
  dir = modelDir('jailbreak'),
  sampleFraction = 1,
): Promise<JailbreakModelEval> {
  const clf = await TextClassifier.load(dir);
  try {
    const threshold = manifestThreshold(clf);
    const own = loadOwnEval();
    const ownKeys = new Set(own.map((e) => dedupKey(e.text)));
    const { examples } = buildCorpus('jailbreak', manifestSplitMode(clf));
    const kept = examples.filter((e) => !ownKeys.has(dedupKey(e.text)));
    const test = kept.filter(
      (e) =>
        e.split === 'test' &&
        (sampleFraction >= 1 || fnv1a(`sample\u0000${e.text}`) / 4294967296 < sampleFraction),
    );
    const report = await evaluateJailbreak(
      classifierScorer(clf),
      test,
      own,
      paddingPool(kept, 'test'),
      threshold,
    );
    return {
      report,
      mode: manifestSplitMode(clf),
      lines: formatReport(report),
      sizeBytes: clf.manifest.model.bytes,
    };
  } finally {
    await clf.close();
  }
}
