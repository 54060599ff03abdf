// Public surface of @sr/ml: named exports only, grouped by layer.

// ONNX graph building
export {
  GraphBuilder,
  floatAttr,
  floatsAttr,
  makeTensor,
  makeValueInfo,
  onnxDataType,
  buildBagClassifier,
} from './onnx';
export type {
  AttrValue,
  Attrs,
  Dim,
  ElementType,
  FloatAttr,
  FloatsAttr,
  GraphBuilderOptions,
  Opset,
  TensorData,
  BagClassifierWeights,
} from './onnx';

// Runtime: model directories, sessions, classifiers
export {
  MlError,
  isMlError,
  ManifestSchema,
  DataSourceSchema,
  readModelDir,
  parseManifest,
  sha256Hex,
  writeModelDir,
  createSession,
  availableExecutionProviders,
  TextClassifier,
  ClassifierSet,
} from './runtime';
export type {
  MlErrorCode,
  Manifest,
  DataSource,
  ModelFiles,
  ManifestDraft,
  ExecutionProvider,
  SessionOptions,
  Prediction,
  TextClassifierOptions,
  LabelScore,
} from './runtime';

// Text featurisation
export {
  normalizeText,
  tokenize,
  fnv1a,
  combineHashes,
  HashedNgramFeaturizer,
  HashedNgramParamsSchema,
} from './text';
export type { HashedNgramParams, FeatureBatch } from './text';

// PII entity model (token classification) and its evaluation helpers
export {
  PiiEntityModel,
  MODEL_ENTITY_TYPES,
  tokenize as tokenizePii,
  presidioSplits,
  wnutSplits,
  defaultDatasetRoot,
  spanPrf,
  tokenPrf,
  formatPrfTable,
} from './pii';
export type {
  EntitySpan,
  LabelledSpan,
  PiiExample,
  PiiSplitMode,
  Prf,
  PrfByType,
  PiiModelConfig,
} from './pii';

// Sentence encoder and the pair verifier used by the semantic cache
export { SentenceEncoder } from './encoder/sentence-encoder';
export type { SentenceEncoderOptions, EncoderThresholds } from './encoder/sentence-encoder';
export { openSharedEncoder } from './runtime/shared-encoder';
export type { SharedEncoder } from './runtime/shared-encoder';
export { verifySimilarPair } from './similarity/verify';
export type { VerifyResult, VerifyReason, VerifyOptions } from './similarity/verify';
export { EmbeddingCategoryMatcher } from './encoder/category-matcher';
export type {
  TextEmbedder,
  CategoryDefinition,
  CategoryMatch,
  CategoryMatcherOptions,
  CategoryScoring,
} from './encoder/category-matcher';
export { ToolRanker } from './tool-ranking/tool-ranker';
export type { RankedTool, ToolSelection, ToolRankerOptions } from './tool-ranking/tool-ranker';
export { toolText, splitIdentifier } from './tool-ranking/tool-text';
export type { OpenAiTool } from './tool-ranking/tool-text';

// Training (task registry, trainer) and evaluation building blocks, for other model packages
export { trainFastText, predictProba, idfWeights } from './train/fasttext';
export type { TrainExample, FastTextOptions } from './train/fasttext';
export { bagTask, trainBag, splitItems } from './train/bag-task';
export type { BagTaskSpec, BagHyperParams, BagTrainResult, HeldOutSlice, LoadedData } from './train/bag-task';
export type { LabeledText, TrainTask, TrainRunOptions } from './train/task';
export { splitOf, dedupKey, dedupe } from './train/split';
export type { SplitSpec } from './train/split';
export { Prng } from './train/prng';
export { ProgressBar } from './train/progress';
export { readCsv, readJson, readJsonl, readText, parseCsv } from './train/readers';
export { repoRoot, datasetsDir, modelDir } from './train/paths';
export { classificationReport, rocAuc, recallAtFpr, argmax } from './eval/metrics';
export type { ClassificationReport, ClassMetrics } from './eval/metrics';
export { evaluateClassifier, fixedSample } from './eval/classifier-eval';
export { reportMarkdown, consoleTable } from './eval/report';
export { bagSection } from './eval/bag-section';
export type { BagGateSpec } from './eval/bag-section';
export { gatePassed } from './eval/section';
export type { EvalSection, SectionResult, SummaryRow, Gate } from './eval/section';

// Built-in tasks
export { DOMAIN_LABELS } from './tasks/domain-data';
export { INTENT_LABELS } from './tasks/intent-data';
export { cachePairs } from './encoder/evaluate';
export type { LabelledPair } from './encoder/train/data';

// Hugging Face transformer exports (model.onnx + tokenizer.json + config.json) and adapters that
// load either an in-house model or an export from the same config field
export {
  HfTokenizer,
  HfTransformer,
  HfSequenceClassifier,
  HfTokenClassifier,
  HfSentenceEmbedder,
  detectModelKind,
  inferTask,
  parseHfConfig,
  readHfModelDir,
  logitsToProbs,
  mergeEntities,
  loadTextClassifier,
  loadTextEmbedder,
  loadEntityTagger,
  loadHfModel,
} from './transformers';
export type {
  TokenPiece,
  TokenWindow,
  HfConfig,
  HfTask,
  ModelKind,
  HfModelFiles,
  HfModelOptions,
  TextRun,
  HfSequenceClassifierOptions,
  HfEntitySpan,
  TextClassifierLike,
  TextEmbedderLike,
  EntitySpanLike,
  EntityTaggerLike,
  LoadedHfModel,
} from './transformers';
export { writeTinyBert, tinyBertWeights, buildTinyBertOnnx, tinyBertForward } from './transformers';
export type { TinyBertOptions, TinyBertTask, TinyBertWeights } from './transformers';
