import * as ort from 'onnxruntime-node';
import { HashedNgramFeaturizer, HashedNgramParamsSchema } from '../text';
import { MlError } from './errors';
import { readModelDir } from './model-dir';
import type { Manifest } from './manifest';
import { createSession } from './session';
import type { SessionOptions } from './session';

/** One text's prediction: the top label, its probability and the whole distribution. */
export interface Prediction {
  readonly label: string;
  readonly score: number;
  readonly distribution: Readonly<Record<string, number>>;
}

export interface TextClassifierOptions extends SessionOptions {
  /** Texts per onnxruntime call; larger inputs are split (bounds memory per call). Default 256. */
  readonly maxBatch?: number;
}

/**
 * A hashed n-gram classifier loaded from a model directory: the featuriser runs in JS, one
 * onnxruntime call scores a whole batch.
 */
export class TextClassifier {
  private constructor(
    readonly dir: string,
    readonly manifest: Manifest,
    private readonly session: ort.InferenceSession,
    private readonly featurizer: HashedNgramFeaturizer,
    private readonly maxBatch: number,
  ) {}

  get labels(): readonly string[] {
    return this.manifest.labels;
  }
  get task(): string {
    return this.manifest.task;
  }

  /** Loads, verifies and warms up the model in `dir`. */
  static async load(dir: string, options: TextClassifierOptions = {}): Promise<TextClassifier> {
    const files = await readModelDir(dir);
    const { manifest } = files;
    if (manifest.kind !== 'text-classifier')
      throw new MlError('ML_MANIFEST_INVALID', `${dir}: kind is ${manifest.kind}, expected text-classifier`);
    const params = HashedNgramParamsSchema.safeParse(manifest.preprocessing);
    if (!params.success) {
      throw new MlError(
        'ML_MANIFEST_INVALID',
        `${dir}: preprocessing is not a valid hashed-ngrams block: ${params.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      );
    }
    const session = await createSession(files.modelBytes, `${dir}/${manifest.model.file}`, options);
    for (const name of ['ids', 'mask']) {
      if (!session.inputNames.includes(name))
        throw new MlError(
          'ML_MODEL_CORRUPT',
          `${dir}: model has no input "${name}" (inputs: ${session.inputNames.join(', ')})`,
        );
    }
    if (!session.outputNames.includes('probs'))
      throw new MlError('ML_MODEL_CORRUPT', `${dir}: model has no output "probs"`);
    const clf = new TextClassifier(
      dir,
      manifest,
      session,
      new HashedNgramFeaturizer(params.data),
      options.maxBatch ?? 256,
    );
    // Warm-up: the first run allocates arenas and picks kernels; do it at load, not on a request.
    const warm = await clf.classify(['warm up the model', 'x']);
    if (warm.length !== 2 || warm.some((p) => !Number.isFinite(p.score)))
      throw new MlError('ML_MODEL_CORRUPT', `${dir}: warm-up produced no finite scores`);
    return clf;
  }

  /** Class probabilities for each text, row-major [texts.length, labels.length]. */
  async probabilities(texts: readonly string[]): Promise<Float32Array> {
    if (!Array.isArray(texts)) throw new MlError('ML_BAD_INPUT', 'classify expects an array of strings');
    texts.forEach((t, i) => {
      if (typeof t !== 'string')
        throw new MlError(
          'ML_BAD_INPUT',
          `text ${i} is ${t === null ? 'null' : typeof t}, expected a string`,
          { details: { index: i } },
        );
    });
    const classes = this.labels.length;
    const out = new Float32Array(texts.length * classes);
    // Outer chunks bound the memory held in features for very large inputs.
    for (let offset = 0; offset < texts.length; offset += 1024) {
      const chunk = texts.slice(offset, offset + 1024);
      // Texts are featurised once, sorted by length and run in groups of similar length, so a
      // long text does not pad a whole large batch (one onnxruntime call per group of ≤ maxBatch).
      const features = chunk.map((t) => this.featurizer.features(t));
      const order = features
        .map((_, i) => i)
        .sort((a, b) => (features[a] as Int32Array).length - (features[b] as Int32Array).length);
      const group = Math.min(this.maxBatch, chunk.length <= 64 ? chunk.length : 32);
      for (let start = 0; start < order.length; start += group) {
        const rowsIdx = order.slice(start, start + group);
        const batch = HashedNgramFeaturizer.pad(rowsIdx.map((i) => features[i] as Int32Array));
        let result: ort.InferenceSession.OnnxValueMapType;
        try {
          result = await this.session.run(
            {
              ids: new ort.Tensor('int32', batch.ids, [batch.rows, batch.width]),
              mask: new ort.Tensor('float32', batch.mask, [batch.rows, batch.width]),
            },
            ['probs'],
          );
        } catch (cause) {
          throw new MlError(
            'ML_INFERENCE_FAILED',
            `${this.manifest.name}: inference failed: ${(cause as Error).message}`,
            { cause },
          );
        }
        const probs = result['probs'];
        if (probs === undefined || probs.data.length !== rowsIdx.length * classes) {
          throw new MlError(
            'ML_MODEL_CORRUPT',
            `${this.manifest.name}: output "probs" has the wrong size for ${classes} labels`,
          );
        }
        const data = probs.data as Float32Array;
        rowsIdx.forEach((textIndex, r) =>
          out.set(data.subarray(r * classes, (r + 1) * classes), (offset + textIndex) * classes),
        );
      }
    }
    return out;
  }

  /** Classifies many texts in as few onnxruntime calls as possible. */
  async classify(texts: readonly string[]): Promise<Prediction[]> {
    const probs = await this.probabilities(texts);
    const labels = this.labels;
    const classes = labels.length;
    const predictions: Prediction[] = [];
    for (let r = 0; r < texts.length; r++) {
      let best = 0;
      const distribution: Record<string, number> = {};
      for (let c = 0; c < classes; c++) {
        const p = probs[r * classes + c] as number;
        distribution[labels[c] as string] = p;
        if (p > (probs[r * classes + best] as number)) best = c;
      }
      predictions.push({
        label: labels[best] as string,
        score: probs[r * classes + best] as number,
        distribution,
      });
    }
    return predictions;
  }

  /** Frees the onnxruntime session. */
  async close(): Promise<void> {
    await this.session.release();
  }
}
