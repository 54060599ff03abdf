import { PiiEntityModel } from '../pii/entity-model';
import { SentenceEncoder } from '../encoder/sentence-encoder';
import { TextClassifier } from '../runtime/text-classifier';
import type { Prediction } from '../runtime/text-classifier';
import type { HfModelOptions } from './transformer';
import { detectModelKind, inferTask, readHfModelDir } from './model-dir';
import type { HfTask } from './model-dir';
import { HfSequenceClassifier } from './sequence-classifier';
import type { HfSequenceClassifierOptions } from './sequence-classifier';
import { HfSentenceEmbedder } from './sentence-embedder';
import { HfTokenClassifier } from './token-classifier';

/** What a worker needs from a classifier, whichever kind of model is behind it. */
export interface TextClassifierLike {
  readonly labels: readonly string[];
  classify(texts: readonly string[]): Promise<Prediction[]>;
  close(): Promise<void>;
}

/** What the cache / tool ranking / category matching need from an encoder. */
export interface TextEmbedderLike {
  readonly dimension: number;
  embed(texts: readonly string[]): Promise<Float32Array[]>;
  close(): Promise<void>;
}

/** An entity span as both the in-house PII model and HF token classifiers report it. */
export interface EntitySpanLike {
  readonly type: string;
  readonly start: number;
  readonly end: number;
  readonly score: number;
}
export interface EntityTaggerLike {
  predictBatch(texts: readonly string[]): Promise<EntitySpanLike[][]>;
  close(): Promise<void>;
}

/** Loads a classifier from `dir`: the in-house `TextClassifier` or a Hugging Face export. */
export async function loadTextClassifier(
  dir: string,
  options: HfSequenceClassifierOptions = {},
): Promise<TextClassifierLike> {
  return detectModelKind(dir) === 'in-house'
    ? TextClassifier.load(dir, options)
    : HfSequenceClassifier.load(dir, options);
}

/** Loads an encoder from `dir`: the in-house `SentenceEncoder` or a Hugging Face export (mean pooling). */
export async function loadTextEmbedder(dir: string, options: HfModelOptions = {}): Promise<TextEmbedderLike> {
  return detectModelKind(dir) === 'in-house'
    ? SentenceEncoder.load(dir, options)
    : HfSentenceEmbedder.load(dir, options);
}

/** Loads an entity tagger from `dir`: the in-house PII model or a Hugging Face token classifier. */
export async function loadEntityTagger(dir: string, options: HfModelOptions = {}): Promise<EntityTaggerLike> {
  return detectModelKind(dir) === 'in-house'
    ? PiiEntityModel.load(dir)
    : HfTokenClassifier.load(dir, options);
}

/** A Hugging Face export loaded for the task its `config.json` names (`architectures`). */
export type LoadedHfModel =
  | { readonly task: 'sequence-classification'; readonly model: HfSequenceClassifier }
  | { readonly task: 'token-classification'; readonly model: HfTokenClassifier }
  | { readonly task: 'embedding'; readonly model: HfSentenceEmbedder };

/** Loads an export as the task its config declares (or `task` when given). */
export async function loadHfModel(
  dir: string,
  options: HfSequenceClassifierOptions & { readonly task?: HfTask } = {},
): Promise<LoadedHfModel> {
  const task = options.task ?? inferTask((await readHfModelDir(dir)).config);
  if (task === 'sequence-classification')
    return { task, model: await HfSequenceClassifier.load(dir, options) };
  if (task === 'token-classification') return { task, model: await HfTokenClassifier.load(dir, options) };
  return { task, model: await HfSentenceEmbedder.load(dir, options) };
}
