export { HfTokenizer } from './tokenizer';
export type { TokenPiece, TokenWindow } from './tokenizer';
export { detectModelKind, inferTask, parseHfConfig, readHfModelDir } from './model-dir';
export type { HfConfig, HfTask, ModelKind, HfModelFiles } from './model-dir';
export { HfTransformer } from './transformer';
export type { HfModelOptions, TextRun } from './transformer';
export { HfSequenceClassifier, logitsToProbs } from './sequence-classifier';
export type { HfSequenceClassifierOptions } from './sequence-classifier';
export { HfTokenClassifier, mergeEntities } from './token-classifier';
export type { HfEntitySpan } from './token-classifier';
export { HfSentenceEmbedder } from './sentence-embedder';
export { loadTextClassifier, loadTextEmbedder, loadEntityTagger, loadHfModel } from './adapters';
export type {
  TextClassifierLike,
  TextEmbedderLike,
  EntitySpanLike,
  EntityTaggerLike,
  LoadedHfModel,
} from './adapters';
export {
  writeTinyBert,
  tinyBertWeights,
  buildTinyBertOnnx,
  tinyBertForward,
  tinyTokenizerJson,
  tinyConfigJson,
  TINY_VOCAB,
  TINY_SEQUENCE_LABELS,
  TINY_TOKEN_LABELS,
} from './testing/tiny-bert';
export type { TinyBertOptions, TinyBertTask, TinyBertWeights, TinyForward } from './testing/tiny-bert';
export { tinyByteLevelBpeJson } from './testing/tiny-bpe';
