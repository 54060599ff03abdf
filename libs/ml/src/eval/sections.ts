import { domainSpec } from '../tasks/domain';
import { intentSpec } from '../tasks/intent';
import { piiSection } from '../pii/eval-section';
import { jailbreakSection } from '../tasks/jailbreak';
import { bagSection } from './bag-section';
import type { EvalSection } from './section';

/**
 * Sections `npm run eval` runs, in order; thresholds are the targets of issue 3. To add a model,
 * append its EvalSection (bagSection(spec, gates) for hashed n-gram classifiers).
 */
export const EVAL_SECTIONS: readonly EvalSection[] = [
  bagSection(domainSpec, [
    { set: 'mmluProHeldOut', metric: 'accuracy', threshold: 0.83 },
    { set: 'ownEval', metric: 'accuracy', threshold: 0.75 },
  ]),
  bagSection(intentSpec, [{ set: 'heldOut', metric: 'macroF1', threshold: 0.9 }]),
  jailbreakSection,
  piiSection,
];
