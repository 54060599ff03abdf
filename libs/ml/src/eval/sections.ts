import { encoderSection } from '../encoder/eval-section';
import { domainSpec } from '../tasks/domain';
import { intentSpec } from '../tasks/intent';
import { piiSection } from '../pii/eval-section';
import { jailbreakSection } from '../tasks/jailbreak';
import { bagSection } from './bag-section';
import type { EvalSection } from './section';

const DOMAIN_NOTES = [
  '`heldOut` = every held-out dataset item (MMLU-Pro, MMLU, CLINC150, GSM8K, GPTeacher code); `mmluProHeldOut` = the MMLU-Pro questions',
  'among them, classified on the question text alone (the headline number); `ownEval` = 168 hand-written everyday questions',
  '(`libs/ml/eval-data/domain-natural.jsonl`). Generated and hand-written training questions (`tasks/domain-generated.ts`,',
  '`tasks/domain-everyday.ts`) are train-only and were written after, and separately from, the eval file; the everyday',
  'training questions cover the same 14 topics, so `ownEval` is not a fully independent sample. Everyday labelling convention:',
  'personal finance/careers → business; cooking, travel, sport, entertainment, geography, assistant commands → other.',
  'Model choices are made on a validation slice of the training side (`tasks/domain-experiment.ts`); earlier rounds compared',
  'about 15 configurations on this held-out split itself, so the numbers remain somewhat optimistic. Training-only texts',
  'whose word overlap with an `ownEval` question is 0.6 or more are dropped (`withoutEvalOverlap`), which screens the',
  'training data against the eval file and makes `ownEval` a little less independent. The MMLU-Pro target (0.83) is not',
  'met: 0.824 (0.830 before the second everyday batch, within one standard error of about 0.8 points).',
].join(' ');

const INTENT_NOTES = [
  '`heldOut` = hash-split held-out items of all sources (summarisation items are template prompts around BIPIA emails,',
  'GPTeacher answers and GPTCache texts, split by the wrapped text); `ownEval` = 100 hand-written prompts',
  '(`libs/ml/eval-data/intent-natural.jsonl`).',
].join(' ');

/**
 * Sections `npm run eval` runs, in order; thresholds are the targets of issue 3. To add a model,
 * append its EvalSection (bagSection(spec, gates) for hashed n-gram classifiers).
 */
export const EVAL_SECTIONS: readonly EvalSection[] = [
  bagSection(
    domainSpec,
    [
      { set: 'mmluProHeldOut', metric: 'accuracy', threshold: 0.83 },
      { set: 'ownEval', metric: 'accuracy', threshold: 0.75 },
    ],
    DOMAIN_NOTES,
  ),
  bagSection(intentSpec, [{ set: 'heldOut', metric: 'macroF1', threshold: 0.9 }], INTENT_NOTES),
  jailbreakSection,
  piiSection,
  encoderSection,
];
