export { normalizeText, tokenize } from './normalize';
export { fnv1a, fnvStep, combineHashes, FNV_OFFSET } from './hash';
export { HashedNgramFeaturizer, HashedNgramParamsSchema } from './featurizer';
export type { HashedNgramParams, FeatureBatch } from './featurizer';
