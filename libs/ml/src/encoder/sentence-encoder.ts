import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { z } from 'zod';
import { MlError } from '../runtime/errors';
import type { Manifest } from '../runtime/manifest';
import { readModelDir, sha256Hex } from '../runtime/model-dir';
import { createSession } from '../runtime/session';
import type { SessionOptions } from '../runtime/session';
import type { TextEmbedder } from './category-matcher';
import { EncoderFeaturizer } from './features';
import type { FeatureBag } from './features';

/** `preprocessing` block of an encoder manifest. */
export const EncoderPreprocessingSchema = z
  .object({
    type: z.literal('encoder-bag'),
    vocabFile: z.string().min(1),
    vocabSha256: z.string().regex(/^[0-9a-f]{64}$/u),
    vocabSize: z.number().int().min(0),
    wordBuckets: z.number().int().min(1),
    bigramBuckets: z.number().int().min(1),
    charBuckets: z.number().int().min(1),
    charMinN: z.number().int().min(1).max(10),
    charMaxN: z.number().int().min(1).max(10),
    charWeight: z.number().positive(),
    bigramWeight: z.number().positive(),
    wholeWords: z.number().int().min(0),
    wholeWordCharWeight: z.number().min(0),
  })
  .strict();
export type EncoderPreprocessing = z.infer<typeof EncoderPreprocessingSchema>;

/** Thresholds calibrated at training time, shipped in the manifest. */
export const EncoderThresholdsSchema = z.object({
  /** Cosine at or above which a cache lookup is a candidate hit (before verification). */
  cache: z.number().min(-1).max(1),
  /** Custom-category matching (EmbeddingCategoryMatcher). */
  category: z.object({ threshold: z.number().min(-1).max(1), scoring: z.enum(['max', 'topk', 'centroid']) }),
  /** Tool selection: minimum cosine for a tool to count as relevant. */
  tool: z.number().min(-1).max(1),
});
export type EncoderThresholds = z.infer<typeof EncoderThresholdsSchema>;

/** Padded cells (texts × features) per onnxruntime call; bounds the gathered tensor to ~32 MB. */
const MAX_CELLS = 65_536;

export interface SentenceEncoderOptions extends SessionOptions {
  /** Texts per onnxruntime call; larger inputs are split. Default 1024. */
  readonly maxBatch?: number;
}

/**
 * The sentence encoder: text → hashed word / bigram / character n-gram bag (whole text, no
 * truncation) → ONNX embedding-bag sum → L2-normalised vector, so cosine = dot product.
 */
export class SentenceEncoder implements TextEmbedder {
  private constructor(
    readonly dir: string,
    readonly manifest: Manifest,
    readonly dimension: number,
    readonly thresholds: EncoderThresholds,
    private readonly session: ort.InferenceSession,
    private readonly featurizer: EncoderFeaturizer,
    private readonly maxBatch: number,
  ) {}

  /** Loads, verifies (checksums of model and vocabulary) and warms up the encoder in `dir`. */
  static async load(dir: string, options: SentenceEncoderOptions = {}): Promise<SentenceEncoder> {
    const files = await readModelDir(dir);
    const { manifest } = files;
    if (manifest.kind !== 'text-encoder')
      throw new MlError('ML_MANIFEST_INVALID', `${dir}: kind is ${manifest.kind}, expected text-encoder`);
    const pre = EncoderPreprocessingSchema.safeParse(manifest.preprocessing);
    const thresholds = EncoderThresholdsSchema.safeParse((manifest as { thresholds?: unknown }).thresholds);
    const dimension = (manifest as { dimension?: unknown }).dimension;
    const problems = [
      ...(pre.success ? [] : pre.error.issues.map((i) => `preprocessing.${i.path.join('.')}: ${i.message}`)),
      ...(thresholds.success
        ? []
        : thresholds.error.issues.map((i) => `thresholds.${i.path.join('.')}: ${i.message}`)),
      ...(typeof dimension === 'number' && Number.isInteger(dimension) && dimension > 0
        ? []
        : ['dimension: expected a positive integer']),
    ];
    if (!pre.success || !thresholds.success || problems.length > 0)
      throw new MlError(
        'ML_MANIFEST_INVALID',
        `${dir}/manifest.json is not a valid encoder manifest: ${problems.join('; ')}`,
      );
    const p = pre.data;
    const vocabPath = join(dir, p.vocabFile);
    let vocabBytes: Buffer;
    try {
      vocabBytes = await readFile(vocabPath);
    } catch (cause) {
      throw new MlError('ML_MODEL_MISSING', `encoder vocabulary not found: ${vocabPath}`, { cause });
    }
    if (sha256Hex(vocabBytes) !== p.vocabSha256)
      throw new MlError('ML_MODEL_CORRUPT', `${vocabPath} does not match the manifest's checksum`);
    const vocab = vocabBytes
      .toString('utf8')
      .split('\n')
      .filter((w) => w !== '');
    if (vocab.length !== p.vocabSize)
      throw new MlError(
        'ML_MODEL_CORRUPT',
        `${vocabPath} has ${vocab.length} words, manifest says ${p.vocabSize}`,
      );
    const featurizer = new EncoderFeaturizer({
      vocab,
      wordBuckets: p.wordBuckets,
      bigramBuckets: p.bigramBuckets,
      charBuckets: p.charBuckets,
      charMinN: p.charMinN,
      charMaxN: p.charMaxN,
      charWeight: p.charWeight,
      bigramWeight: p.bigramWeight,
      wholeWords: p.wholeWords,
      wholeWordCharWeight: p.wholeWordCharWeight,
    });
    const session = await createSession(files.modelBytes, `${dir}/${manifest.model.file}`, options);
    for (const name of ['ids', 'weights'])
      if (!session.inputNames.includes(name))
        throw new MlError(
          'ML_MODEL_CORRUPT',
          `${dir}: model has no input "${name}" (inputs: ${session.inputNames.join(', ')})`,
        );
    if (!session.outputNames.includes('embeddings'))
      throw new MlError('ML_MODEL_CORRUPT', `${dir}: model has no output "embeddings"`);
    const enc = new SentenceEncoder(
      dir,
      manifest,
      dimension as number,
      thresholds.data,
      session,
      featurizer,
      options.maxBatch ?? 1024,
    );
    // Warm-up at load (first run allocates arenas), and a check that the table matches the featuriser.
    const warm = await enc.embed(['warm up the encoder', '']);
    if (warm[0]?.length !== enc.dimension || !warm[0].every(Number.isFinite))
      throw new MlError('ML_MODEL_CORRUPT', `${dir}: warm-up did not produce ${enc.dimension} finite values`);
    return enc;
  }

  /** Sparse features of a text (exposed for tests and tools that cache by features). */
  features(text: string): FeatureBag {
    return this.featurizer.featurize(text);
  }

  /**
   * L2-normalised embeddings, one per text, computed in one onnxruntime call per `maxBatch` texts.
   * Empty or feature-less texts give the zero vector (cosine 0 with everything).
   */
  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    if (!Array.isArray(texts)) throw new MlError('ML_BAD_INPUT', 'embed expects an array of strings');
    texts.forEach((t, i) => {
      if (typeof t !== 'string')
        throw new MlError(
          'ML_BAD_INPUT',
          `text ${i} is ${t === null ? 'null' : typeof t}, expected a string`,
          { details: { index: i } },
        );
    });
    const out: Float32Array[] = [];
    const bags = texts.map((t) => this.featurizer.featurize(t));
    // Group texts into runs whose padded tensor stays small (one long prompt must not make a
    // 1,000-row batch allocate rows × its width); short texts all go in one run.
    let start = 0;
    while (start < bags.length) {
      let end = start;
      let width = 1;
      while (end < bags.length && end - start < this.maxBatch) {
        const w = Math.max(width, (bags[end] as FeatureBag).ids.length);
        if (end > start && w * (end - start + 1) > MAX_CELLS) break;
        width = w;
        end++;
      }
      out.push(...(await this.run(bags.slice(start, end), width)));
      start = end;
    }
    return out;
  }

  private async run(bags: readonly FeatureBag[], width: number): Promise<Float32Array[]> {
    const ids = new Int32Array(bags.length * width);
    const weights = new Float32Array(bags.length * width);
    bags.forEach((b, r) => {
      ids.set(b.ids, r * width);
      weights.set(b.weights, r * width);
    });
    let result: ort.InferenceSession.OnnxValueMapType;
    try {
      result = await this.session.run(
        {
          ids: new ort.Tensor('int32', ids, [bags.length, width]),
          weights: new ort.Tensor('float32', weights, [bags.length, width]),
        },
        ['embeddings'],
      );
    } catch (cause) {
      throw new MlError(
        'ML_INFERENCE_FAILED',
        `${this.manifest.name}: inference failed: ${(cause as Error).message}`,
        {
          cause,
        },
      );
    }
    const data = result['embeddings']?.data as Float32Array | undefined;
    if (!data || data.length !== bags.length * this.dimension)
      throw new MlError('ML_MODEL_CORRUPT', `${this.manifest.name}: output "embeddings" has the wrong size`);
    const out: Float32Array[] = [];
    for (let r = 0; r < bags.length; r++) out.push(data.slice(r * this.dimension, (r + 1) * this.dimension));
    return out;
  }

  /** Frees the onnxruntime session. */
  async close(): Promise<void> {
    await this.session.release();
  }
}
