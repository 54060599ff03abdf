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
export type { EntitySpan, LabelledSpan, PiiExample, PiiSplitMode, Prf, PrfByType, PiiModelConfig } from './pii';
