export {
  jailbreakTask,
  trainJailbreak,
  jsScorer,
  paddingPool,
  JAILBREAK_FEATURIZER,
  JAILBREAK_HYPER,
} from './task';
export { jailbreakSection } from './eval-section';
export { evaluateJailbreakModel, classifierScorer, manifestThreshold } from './eval-model';
export { evaluateJailbreak, formatReport, loadOwnEval, thresholdAtFpr, OWN_EVAL_FILE } from './evaluate';
export type { JailbreakReport, JbScorer, LabelledText, RateAt } from './evaluate';
export { buildMeanMaxGraph, scoreIds, trainMeanMax, quantizedCopy } from './model';
export type { MeanMaxWeights, MeanMaxExample, MeanMaxOptions } from './model';
