import { buildBagClassifier } from '../onnx';
import type { BagClassifierWeights } from '../onnx';
import { writeModelDir } from '../runtime';
import type { DataSource } from '../runtime';
import { HashedNgramFeaturizer } from '../text';
import type { HashedNgramParams } from '../text';
import { argmax, classificationReport } from '../eval/metrics';
import type { ClassificationReport } from '../eval/metrics';
import { idfWeights, predictProba, trainFastText } from './fasttext';
import type { TrainExample } from './fasttext';
import { modelDir } from './paths';
import { dedupe, splitOf } from './split';
import type { SplitSpec } from './split';
import type { LabeledText, TrainRunOptions, TrainTask } from './task';

export interface BagHyperParams {
  readonly dim: number;
  readonly epochs: number;
  readonly lr: number;
  readonly labelSmoothing?: number;
  /** Embedding storage in the ONNX file (int8 keeps big tables inside the size budget). */
  readonly storage: 'float32' | 'int8';
  /** Pool with IDF weights computed on the training split (else a plain mean). */
  readonly idf?: boolean;
  /** Weight classes inversely to their frequency (capped), so small classes are not drowned. */
  readonly balanceClasses?: boolean;
  /** Share of features dropped per example visit during training (default 0, off). */
  readonly featureDropout?: number;
}

/** A named slice of the held-out split to report (e.g. only the MMLU-Pro questions). */
export interface HeldOutSlice {
  readonly name: string;
  readonly filter: (item: LabeledText) => boolean;
}

export interface LoadedData {
  readonly items: readonly LabeledText[];
  readonly sources: readonly DataSource[];
}

/** Everything a hashed n-gram classifier task needs; `bagTask` turns it into a TrainTask. */
export interface BagTaskSpec {
  readonly name: string;
  readonly description: string;
  readonly labels: readonly string[];
  readonly featurizer: HashedNgramParams;
  readonly hyper: BagHyperParams;
  readonly split: SplitSpec;
  readonly seed: number;
  readonly load: () => Promise<LoadedData> | LoadedData;
  /** Slices reported separately; the first is the headline metric. */
  readonly slices?: readonly HeldOutSlice[];
  /** Extra evaluation sets that are never trained on (own hand-written texts). */
  readonly ownEval?: () => readonly LabeledText[];
  /**
   * Optional step between training and evaluation/export that returns the weights to use (e.g.
   * filling rows of words the training texts never used); default: the trained weights as they are.
   */
  readonly postTrain?: (weights: BagClassifierWeights, context: PostTrainContext) => BagClassifierWeights;
}

/** What `postTrain` sees besides the weights. */
export interface PostTrainContext {
  readonly featurizer: HashedNgramFeaturizer;
  /** The training side of the split (deduplicated), in order. */
  readonly train: readonly LabeledText[];
}

export interface BagTrainResult {
  readonly weights: BagClassifierWeights;
  readonly heldOut: ClassificationReport;
  readonly slices: Readonly<Record<string, ClassificationReport>>;
  readonly ownEval?: ClassificationReport;
  readonly trainSize: number;
  readonly testSize: number;
}

function evaluate(
  labels: readonly string[],
  f: HashedNgramFeaturizer,
  w: BagClassifierWeights,
  items: readonly LabeledText[],
): ClassificationReport {
  const index = new Map(labels.map((l, i) => [l, i]));
  const truth = items.map((it) => index.get(it.label) as number);
  const pred = items.map((it) => argmax(predictProba(w, f.features(it.text))));
  return classificationReport(labels, truth, pred);
}

/**
 * The fixed split: deduplicated items, each side decided by the hash of its split key;
 * train-only (generated) items on the test side are dropped, never evaluated.
 */
export function splitItems(
  spec: Pick<BagTaskSpec, 'name' | 'labels' | 'split'>,
  items: readonly LabeledText[],
): { train: LabeledText[]; test: LabeledText[] } {
  const known = new Set(spec.labels);
  for (const it of items)
    if (!known.has(it.label))
      throw new Error(`${spec.name}: item from ${it.source} has unknown label "${it.label}"`);
  const train: LabeledText[] = [];
  const test: LabeledText[] = [];
  for (const it of dedupe(items)) {
    const side = splitOf(it.splitKey ?? it.text, spec.split);
    if (side === 'test') {
      if (!it.trainOnly) test.push(it);
    } else train.push(it);
  }
  return { train, test };
}

/** Splits, trains and evaluates in memory (no files written). */
export async function trainBag(spec: BagTaskSpec, options: TrainRunOptions = {}): Promise<BagTrainResult> {
  const { items } = await spec.load();
  const index = new Map(spec.labels.map((l, i) => [l, i]));
  const { train, test } = splitItems(spec, items);
  const f = new HashedNgramFeaturizer(spec.featurizer);
  const counts = new Array<number>(spec.labels.length).fill(0);
  for (const it of train) {
    const c = index.get(it.label) as number;
    counts[c] = (counts[c] as number) + 1;
  }
  const mean = train.length / spec.labels.length;
  const classWeight = counts.map((c) =>
    spec.hyper.balanceClasses && c > 0 ? Math.min(3, Math.max(0.5, mean / c)) : 1,
  );
  const examples: TrainExample[] = train.map((it) => {
    const label = index.get(it.label) as number;
    return { ids: f.features(it.text), label, weight: (it.weight ?? 1) * (classWeight[label] as number) };
  });
  process.stderr.write(
    `${spec.name}: ${train.length} train / ${test.length} test texts; per class ${spec.labels.map((l, i) => `${l}=${counts[i]}`).join(' ')}\n`,
  );
  const seed = options.seed ?? spec.seed;
  const trained = trainFastText(examples, {
    rows: spec.featurizer.buckets,
    dim: spec.hyper.dim,
    classes: spec.labels.length,
    epochs: options.quick ? 1 : spec.hyper.epochs,
    lr: spec.hyper.lr,
    seed,
    labelSmoothing: spec.hyper.labelSmoothing ?? 0,
    ...(spec.hyper.idf
      ? {
          rowWeights: idfWeights(
            examples.map((e) => e.ids),
            spec.featurizer.buckets,
          ),
        }
      : {}),
    progressLabel: spec.name,
    ...(spec.hyper.featureDropout ? { featureDropout: spec.hyper.featureDropout } : {}),
  });
  const weights = spec.postTrain ? spec.postTrain(trained, { featurizer: f, train }) : trained;
  const heldOut = evaluate(spec.labels, f, weights, test);
  const slices: Record<string, ClassificationReport> = {};
  for (const s of spec.slices ?? [])
    slices[s.name] = evaluate(spec.labels, f, weights, test.filter(s.filter));
  const own = spec.ownEval?.();
  return {
    weights,
    heldOut,
    slices,
    ...(own ? { ownEval: evaluate(spec.labels, f, weights, own) } : {}),
    trainSize: train.length,
    testSize: test.length,
  };
}

function summary(r: ClassificationReport): Record<string, number> {
  return { n: r.n, accuracy: Number(r.accuracy.toFixed(4)), macroF1: Number(r.macroF1.toFixed(4)) };
}

/** Turns a spec into a registered task: train, report, export `model.onnx` + `manifest.json`. */
export function bagTask(spec: BagTaskSpec): TrainTask {
  return {
    name: spec.name,
    description: spec.description,
    async run(options: TrainRunOptions): Promise<void> {
      const started = Date.now();
      const result = await trainBag(spec, options);
      const { sources } = await spec.load();
      const bytes = buildBagClassifier(result.weights, {
        name: spec.name,
        storage: spec.hyper.storage,
        docString: spec.description,
      }).toBytes();
      const metrics: Record<string, unknown> = { heldOut: summary(result.heldOut) };
      for (const [name, r] of Object.entries(result.slices)) metrics[name] = summary(r);
      if (result.ownEval) metrics['ownEval'] = summary(result.ownEval);
      const dir = options.outDir ?? modelDir(spec.name);
      await writeModelDir(dir, bytes, {
        schemaVersion: 1,
        name: spec.name,
        task: spec.name,
        kind: 'text-classifier',
        labels: [...spec.labels],
        preprocessing: spec.featurizer,
        model: { inputs: ['ids', 'mask'], outputs: ['probs', 'logits'] },
        metrics,
        data: {
          sources: [...sources],
          split: {
            method: 'fnv1a(salt, dedup key of normalised text)',
            testFraction: spec.split.testFraction,
            salt: spec.split.salt,
          },
          train: result.trainSize,
          test: result.testSize,
        },
        training: {
          seed: options.seed ?? spec.seed,
          algorithm: 'fastText-style SGD, linear lr decay',
          ...spec.hyper,
          quick: options.quick === true,
          seconds: Math.round((Date.now() - started) / 1000),
        },
      });
      process.stderr.write(
        `${spec.name}: wrote ${dir} (${(bytes.byteLength / 1e6).toFixed(2)} MB); metrics ${JSON.stringify(metrics)}\n`,
      );
    },
  };
}
