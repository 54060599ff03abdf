export { PiiEntityModel, decode as decodePiiTokens } from './entity-model';
export { MODEL_ENTITY_TYPES, bioLabels, bioToSpans, spansToBio, viterbiBio } from './labels';
export type { EntitySpan, LabelledSpan, ModelEntityType } from './labels';
export { tokenize } from './tokenize';
export type { PiiToken } from './tokenize';
export { featurize, FEATURES_PER_TOKEN, PII_FEATURE_VERSION } from './features';
export type { PiiModelConfig } from './export';
export {
  presidioSplits,
  wnutSplits,
  loadPresidioJson,
  loadWnut,
  defaultDatasetRoot,
  mapPresidioType,
} from './datasets';
export type { PiiExample, PiiSplitMode, PresidioSplits } from './datasets';
export { spanPrf, tokenPrf, formatPrfTable, trimSpan } from './metrics';
export type { Prf, PrfByType } from './metrics';
