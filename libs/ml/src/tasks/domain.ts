import { join } from 'node:path';
import type { BagTaskSpec } from '../train/bag-task';
import { datasetsDir, repoRoot } from '../train/paths';
import { readJsonl } from '../train/readers';
import { Prng } from '../train/prng';
import { dedupKey } from '../train/split';
import type { LabeledText } from '../train/task';
import { everydayQuestions, generateDomainQuestions, wrapQuestions } from './domain-generated';
import { DOMAIN_TOPICS_2 } from './domain-everyday';
import { DEFAULT_GLOVE_PARAPHRASE, GLOVE_PATH, gloveParaphrases, loadGlove } from './domain-glove';
import { DOMAIN_LABELS, loadClinc, loadMathAndCode, loadMmlu, loadMmluPro } from './domain-data';

/** The hand-written everyday questions (never trained on). */
export function domainNaturalEval(): LabeledText[] {
  return readJsonl<{ text: string; label: string }>(
    join(repoRoot(), 'libs/ml/eval-data/domain-natural.jsonl'),
  ).map((r) => ({ ...r, source: 'own-natural' }));
}

/** Word-set Jaccard similarity at or above which a training text counts as a copy of an eval text. */
export const EVAL_OVERLAP_JACCARD = 0.6;

/**
 * Drops generated/hand-written (train-only) items that are copies or near-copies of a hand-written
 * eval question (word-set Jaccard ≥ EVAL_OVERLAP_JACCARD), so training never sees an eval item.
 */
export function withoutEvalOverlap(
  items: readonly LabeledText[],
  evalItems: readonly LabeledText[],
): { kept: LabeledText[]; dropped: number } {
  const words = (t: string): Set<string> => new Set(dedupKey(t).split(' '));
  const evalSets = evalItems.map((e) => words(e.text));
  const overlaps = (t: string): boolean => {
    const s = words(t);
    return evalSets.some((e) => {
      let shared = 0;
      for (const w of s) if (e.has(w)) shared++;
      return shared / (s.size + e.size - shared) >= EVAL_OVERLAP_JACCARD;
    });
  };
  const kept = items.filter((it) => !(it.trainOnly === true && it.text.length < 300 && overlaps(it.text)));
  return { kept, dropped: items.length - kept.length };
}

export const DOMAIN_SPLIT = { testFraction: 0.2, salt: 'domain-v1' } as const;

export const domainSpec: BagTaskSpec = {
  name: 'domain',
  description:
    'Domain of a prompt: the 14 MMLU-Pro categories (hashed word/char n-grams, embedding bag, linear head)',
  labels: DOMAIN_LABELS,
  featurizer: {
    type: 'hashed-ngrams',
    buckets: 1 << 18,
    wordNgrams: 3,
    charMin: 3,
    charMax: 5,
    maxFeatures: 1024,
    seed: 17,
  },
  hyper: {
    dim: 40,
    epochs: 15,
    lr: 0.5,
    labelSmoothing: 0.15,
    idf: true,
    storage: 'int8',
    balanceClasses: true,
  },
  split: DOMAIN_SPLIT,
  seed: 42,
  load() {
    const root = datasetsDir();
    // MMLU-Pro first: dedupe keeps the first copy, so MMLU duplicates of its questions fold into it.
    // Experiment knobs (defaults = the shipped model; compared on a validation slice with
    // tasks/domain-experiment.ts): SR_DOMAIN_MMLU_OPTIONS = weight of MMLU questions with their
    // choices (0 = off; it raised MMLU-Pro val ~0.3 pt but cost ~3 of 68 everyday val questions),
    // SR_DOMAIN_EVERYDAY_WEIGHT, SR_DOMAIN_GLOVE_AUG = GloVe rephrasings per everyday question.
    const env = (k: string, d: number): number => Number(process.env[k] ?? d);
    const base = [
      ...loadMmluPro(root, env('SR_DOMAIN_OPTIONS', 1) === 1),
      ...loadMmlu(root, env('SR_DOMAIN_MMLU_OPTIONS', 0) > 0).map((it) =>
        it.source === 'mmlu-options' ? { ...it, weight: env('SR_DOMAIN_MMLU_OPTIONS', 0) } : it,
      ),
      ...loadClinc(root, env('SR_DOMAIN_CLINC', 10)),
      ...loadMathAndCode(root, 400),
    ];
    const exam = base.filter((i) => i.source === 'mmlu_pro' || i.source === 'mmlu');
    const everyday = [
      ...generateDomainQuestions(7, env('SR_DOMAIN_GEN', 14)),
      ...(env('SR_DOMAIN_TOPICS2', 1)
        ? generateDomainQuestions(8, env('SR_DOMAIN_GEN', 14), DOMAIN_TOPICS_2)
        : []),
      ...(env('SR_DOMAIN_EVERYDAY', 2) ? everydayQuestions(13, env('SR_DOMAIN_EVERYDAY', 2) >= 2) : []),
    ];
    const everydayWeight = env('SR_DOMAIN_EVERYDAY_WEIGHT', 1);
    if (everydayWeight !== 1)
      everyday.forEach((it, i) => (everyday[i] = { ...it, weight: (it.weight ?? 1) * everydayWeight }));
    const gloveCopies = env('SR_DOMAIN_GLOVE_AUG', 0);
    const { kept: items } = withoutEvalOverlap(
      [
        ...base,
        ...everyday,
        ...(gloveCopies > 0
          ? gloveParaphrases(everyday, loadGlove(root), new Prng(23), {
              ...DEFAULT_GLOVE_PARAPHRASE,
              copies: gloveCopies,
              minCosine: 0.8,
              neighbours: 3,
            })
          : []),
        ...wrapQuestions(exam, 11, env('SR_DOMAIN_WRAP', 0.3)),
      ],
      domainNaturalEval(),
    );
    const count = (s: string): number => items.filter((i) => i.source === s).length;
    return {
      items,
      sources: [
        { name: 'MMLU-Pro', path: 'a_domain/mmlu_pro', rows: count('mmlu_pro'), license: 'Apache-2.0 / MIT' },
        {
          name: 'MMLU (hendrycks)',
          path: 'a_domain/mmlu_hendrycks_via_MLILAB-FedLLM',
          rows: count('mmlu'),
          license: 'MIT',
        },
        {
          name: 'CLINC150',
          path: 'a_domain/clinc150_oos_eval',
          rows: count('clinc150'),
          license: 'CC-BY-3.0',
        },
        { name: 'GSM8K', path: 'a_domain/gsm8k_openai', rows: count('gsm8k'), license: 'MIT' },
        {
          name: 'GPTeacher codegen',
          path: 'a_domain/gpteacher',
          rows: count('gpteacher-codegen'),
          license: 'MIT',
        },
        {
          name: 'generated topic questions (libs/ml/src/tasks/domain-generated.ts)',
          path: 'generated',
          rows: count('generated-topics'),
          license: 'Apache-2.0 (this repo)',
        },
        {
          name: 'hand-written everyday questions and variants (libs/ml/src/tasks/domain-everyday.ts)',
          path: 'generated',
          rows: count('everyday-handwritten'),
          license: 'Apache-2.0 (this repo)',
        },
        ...(gloveCopies > 0
          ? [
              {
                name: 'GloVe word-substitution rephrasings of the generated and everyday questions',
                path: GLOVE_PATH,
                rows: items.filter((i) => i.source.endsWith('-glove')).length,
                license: 'PDDL-1.0',
              },
            ]
          : []),
      ],
    };
  },
  slices: [{ name: 'mmluProHeldOut', filter: (i) => i.source === 'mmlu_pro' }],
  ownEval: domainNaturalEval,
};
