import { presidioSplits, wnutSplits, defaultDatasetRoot } from './datasets';
import type { PiiExample, PiiSplitMode } from './datasets';
import { PiiEntityModel } from './entity-model';
import { MODEL_ENTITY_TYPES } from './labels';
import { spanPrf, tokenPrf } from './metrics';
import type { PrfByType } from './metrics';

export interface PiiModelEvalResult {
  presidioHeldOut: { sentences: number; span: PrfByType; token: PrfByType };
  wnutTest: { sentences: number; span: PrfByType; token: PrfByType };
}

async function score(model: PiiEntityModel, examples: readonly PiiExample[], types: readonly string[]) {
  const preds = await model.predictBatch(examples.map((e) => e.text));
  const cases = examples.map((e, i) => ({
    text: e.text,
    gold: e.spans.filter((s) => types.includes(s.type)),
    pred: preds[i]!.filter((s) => types.includes(s.type)),
  }));
  return { sentences: examples.length, span: spanPrf(cases, types), token: tokenPrf(cases, types) };
}

/** Scores the entity model alone on held-out presidio templates and on the WNUT-17 test split. */
export async function evalPiiModel(
  modelDir: string,
  split: PiiSplitMode = 'sentence',
  root = defaultDatasetRoot(),
): Promise<PiiModelEvalResult> {
  const model = await PiiEntityModel.load(modelDir);
  try {
    const presidioHeldOut = await score(model, presidioSplits(root, split).test, MODEL_ENTITY_TYPES);
    const wnutTest = await score(model, wnutSplits(root).test, ['PERSON', 'LOCATION', 'ORGANIZATION']);
    return { presidioHeldOut, wnutTest };
  } finally {
    await model.close();
  }
}
