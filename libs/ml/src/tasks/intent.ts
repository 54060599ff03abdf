import { join } from 'node:path';
import type { BagTaskSpec } from '../train/bag-task';
import { datasetsDir, repoRoot } from '../train/paths';
import { Prng } from '../train/prng';
import { readJsonl } from '../train/readers';
import type { LabeledText } from '../train/task';
import {
  INTENT_LABELS,
  generateArithmetic,
  generateCreative,
  generateSummarization,
  intentSources,
  loadIntentDatasets,
  loadSummarySources,
} from './intent-data';

/** The hand-written intent eval set (never trained on). */
export function intentNaturalEval(): LabeledText[] {
  return readJsonl<{ text: string; label: string }>(
    join(repoRoot(), 'libs/ml/eval-data/intent-natural.jsonl'),
  ).map((r) => ({ ...r, source: 'own-natural' }));
}

export const INTENT_SPLIT = { testFraction: 0.2, salt: 'intent-v1' } as const;

function loadIntent(): { items: LabeledText[]; sources: ReturnType<typeof intentSources> } {
  const root = datasetsDir();
  const rng = new Prng(1234);
  const items = [
    ...loadIntentDatasets(root, rng),
    ...generateSummarization(loadSummarySources(root), rng, 1),
    ...generateCreative(rng, 600),
    ...generateArithmetic(rng, 400),
  ];
  return { items, sources: intentSources(items) };
}

export const intentSpec: BagTaskSpec = {
  name: 'intent',
  description: 'Intent of a prompt: code_generation, creative_writing, math, general_chat, summarization',
  labels: INTENT_LABELS,
  featurizer: {
    type: 'hashed-ngrams',
    buckets: 1 << 17,
    wordNgrams: 2,
    charMin: 3,
    charMax: 4,
    maxFeatures: 768,
    seed: 29,
  },
  hyper: { dim: 16, epochs: 8, lr: 0.3, storage: 'int8', balanceClasses: true },
  split: INTENT_SPLIT,
  seed: 43,
  load: loadIntent,
  ownEval: intentNaturalEval,
};
