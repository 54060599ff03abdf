import {
  detectModelKind,
  HfSequenceClassifier,
  TextClassifier,
  type ExecutionProvider,
  type Manifest,
} from '@sr/ml';

/** The jailbreak classifier as the guard uses it: a probability of attack per text. */
export interface JailbreakModel {
  readonly name: string;
  /** The threshold the model's training run recommends (held-out FPR budget), when it names one. */
  readonly recommendedThreshold: number | undefined;
  /** P(jailbreak or injection) per text, in input order. */
  score(texts: readonly string[]): Promise<Float32Array>;
  close(): Promise<void>;
}

const BENIGN = new Set(['benign', 'safe', 'clean']);

/** Looks for the recommended threshold where training runs put it. */
export function recommendedThreshold(manifest: Manifest): number | undefined {
  const m = manifest as Record<string, unknown>;
  const metrics = manifest.metrics;
  const thresholds = m['thresholds'] as Record<string, unknown> | undefined;
  for (const value of [
    m['recommendedThreshold'],
    metrics['recommendedThreshold'],
    thresholds?.['recommended'],
    (metrics['threshold'] as Record<string, unknown> | undefined)?.['recommended'],
  ]) {
    if (typeof value === 'number' && value >= 0 && value <= 1) return value;
  }
  return undefined;
}

/**
 * Loads a binary (or multi-class) attack classifier. The attack probability is one minus the
 * benign class's probability, so a model with separate `jailbreak` and `injection` classes counts both.
 */
export async function loadJailbreakModel(
  dir: string,
  options: { executionProviders?: readonly ExecutionProvider[] } = {},
): Promise<JailbreakModel> {
  if (detectModelKind(dir) === 'hf') return loadHfJailbreakModel(dir, options);
  const clf = await TextClassifier.load(dir, { executionProviders: options.executionProviders });
  const labels = clf.labels;
  const benign = labels.findIndex((l) => BENIGN.has(l.toLowerCase()));
  if (benign < 0) {
    await clf.close();
    throw new Error(`${dir}: jailbreak model has no benign label (labels: ${labels.join(', ')})`);
  }
  const classes = labels.length;
  return {
    name: clf.manifest.name,
    recommendedThreshold: recommendedThreshold(clf.manifest),
    async score(texts) {
      const probs = await clf.probabilities(texts);
      const out = new Float32Array(texts.length);
      for (let r = 0; r < texts.length; r++) out[r] = 1 - (probs[r * classes + benign] ?? 1);
      return out;
    },
    close: () => clf.close(),
  };
}

/**
 * A Hugging Face sequence-classification export as the jailbreak model (e.g. a user's
 * ModernBERT detector): attack probability = P(attack classes), max over windows of long texts.
 * It names no recommended threshold; the config's (or the guard's fallback) applies.
 */
async function loadHfJailbreakModel(
  dir: string,
  options: { executionProviders?: readonly ExecutionProvider[] },
): Promise<JailbreakModel> {
  const clf = await HfSequenceClassifier.load(dir, {
    executionProviders: options.executionProviders,
    aggregate: 'max',
  });
  const benign = clf.labels.find((l) => BENIGN.has(l.toLowerCase()));
  if (!benign) {
    await clf.close();
    throw new Error(`${dir}: jailbreak model has no benign label (labels: ${clf.labels.join(', ')})`);
  }
  return {
    name: dir,
    recommendedThreshold: undefined,
    async score(texts) {
      // Per-class max over windows: the attack score is the (max) probability of the attack classes.
      const predictions = await clf.classify(texts);
      return Float32Array.from(
        predictions.map((p) =>
          Math.min(
            1,
            Object.entries(p.distribution).reduce(
              (sum, [label, prob]) => (label === benign ? sum : sum + prob),
              0,
            ),
          ),
        ),
      );
    },
    close: () => clf.close(),
  };
}
