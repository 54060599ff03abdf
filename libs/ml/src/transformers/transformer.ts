import * as ort from 'onnxruntime-node';
import { MlError } from '../runtime/errors';
import { createSession } from '../runtime/session';
import type { SessionOptions } from '../runtime/session';
import { readHfModelDir } from './model-dir';
import type { HfConfig } from './model-dir';
import { HfTokenizer } from './tokenizer';
import type { TokenPiece, TokenWindow } from './tokenizer';

export interface HfModelOptions extends SessionOptions {
  /** Tokens per window including special tokens; capped at what the model takes. */
  readonly maxLength?: number;
  /** Content tokens shared by consecutive windows of a long text. Default: a quarter of a window. */
  readonly stride?: number;
  /** Windows per onnxruntime call (padded to the longest). Default 16. */
  readonly maxBatch?: number;
  /** Graph output to read; default per task (`logits` or `last_hidden_state`). */
  readonly output?: string;
}

/** A text's tokens and windows, and per window the output rows of the model. */
export interface TextRun {
  readonly pieces: readonly TokenPiece[];
  readonly windows: readonly TokenWindow[];
  /** Per window: the output for that row, `[len, dim]` (or `[dim]` for a 2-D output), row-major. */
  readonly outputs: Float32Array[];
}

const KNOWN_INPUTS = ['input_ids', 'attention_mask', 'token_type_ids'] as const;

/** Sane upper bound: tokenizer configs use 1e30 for "no limit". */
const NO_LIMIT = 1_000_000;

/**
 * The shared part of every Hugging Face export: tokenise, window, batch, run. Task classes
 * (sequence / token classification, embeddings) turn the output rows into answers.
 */
export class HfTransformer {
  private constructor(
    readonly dir: string,
    readonly config: HfConfig,
    readonly tokenizer: HfTokenizer,
    private readonly session: ort.InferenceSession,
    readonly maxLength: number,
    readonly stride: number,
    private readonly maxBatch: number,
    readonly outputName: string,
  ) {}

  static async load(
    dir: string,
    defaultOutputs: readonly string[],
    options: HfModelOptions = {},
  ): Promise<HfTransformer> {
    for (const [name, v] of [
      ['maxLength', options.maxLength],
      ['maxBatch', options.maxBatch],
    ] as const)
      if (v !== undefined && (!Number.isInteger(v) || v < 1))
        throw new MlError(
          'ML_BAD_INPUT',
          `${dir}: option ${name} must be a positive integer, got ${String(v)}`,
        );
    const files = await readHfModelDir(dir);
    const tokenizer = HfTokenizer.fromJson(files.tokenizerJson, files.tokenizerConfig);
    const limits = [
      files.config.maxPositionEmbeddings,
      files.tokenizerConfig['model_max_length'],
      options.maxLength,
    ].filter((v): v is number => typeof v === 'number' && v > 0 && v < NO_LIMIT);
    const maxLength = limits.length > 0 ? Math.min(...limits) : 512;
    const budget = tokenizer.contentBudget(maxLength);
    if (budget < 1)
      throw new MlError(
        'ML_BAD_INPUT',
        `${dir}: max length ${maxLength} leaves no room for text between special tokens`,
      );
    const stride = options.stride ?? Math.floor(budget / 4);
    if (!Number.isInteger(stride) || stride < 0 || stride >= budget)
      throw new MlError('ML_BAD_INPUT', `${dir}: stride ${stride} must be an integer in [0, ${budget - 1}]`);
    const session = await createSession(files.modelBytes, `${dir}/model.onnx`, options);
    try {
      const unknown = session.inputNames.filter((n) => !(KNOWN_INPUTS as readonly string[]).includes(n));
      if (unknown.length > 0 || !session.inputNames.includes('input_ids'))
        throw new MlError(
          'ML_MODEL_CORRUPT',
          `${dir}/model.onnx: inputs ${session.inputNames.join(', ')}; expected input_ids and optionally attention_mask, token_type_ids`,
        );
      const outputName = options.output ?? defaultOutputs.find((o) => session.outputNames.includes(o));
      if (outputName === undefined || !session.outputNames.includes(outputName))
        throw new MlError(
          'ML_MODEL_CORRUPT',
          `${dir}/model.onnx has no output ${options.output ?? defaultOutputs.join(' or ')} (outputs: ${session.outputNames.join(', ')})`,
        );
      return new HfTransformer(
        dir,
        files.config,
        tokenizer,
        session,
        maxLength,
        stride,
        options.maxBatch ?? 16,
        outputName,
      );
    } catch (err) {
      await session.release();
      throw err;
    }
  }

  /** Tokenises and windows each text, runs all windows in padded batches, returns rows per window. */
  async run(texts: readonly string[]): Promise<TextRun[]> {
    if (!Array.isArray(texts)) throw new MlError('ML_BAD_INPUT', 'expected an array of strings');
    texts.forEach((t, i) => {
      if (typeof t !== 'string')
        throw new MlError(
          'ML_BAD_INPUT',
          `text ${i} is ${t === null ? 'null' : typeof t}, expected a string`,
          {
            details: { index: i },
          },
        );
    });
    const runs = texts.map((text) => {
      const pieces = this.tokenizer.tokenize(text);
      return {
        pieces,
        windows: this.tokenizer.windows(pieces, this.maxLength, this.stride),
        outputs: [] as Float32Array[],
      };
    });
    const jobs = runs.flatMap((r) => r.windows.map((w) => ({ run: r, w })));
    for (let start = 0; start < jobs.length; start += this.maxBatch) {
      const chunk = jobs.slice(start, start + this.maxBatch);
      const rows = await this.runBatch(chunk.map((j) => j.w));
      chunk.forEach((j, i) => j.run.outputs.push(rows[i] as Float32Array));
    }
    return runs;
  }

  private async runBatch(windows: readonly TokenWindow[]): Promise<Float32Array[]> {
    const width = Math.max(...windows.map((w) => w.ids.length));
    const n = windows.length;
    const ids = new BigInt64Array(n * width).fill(BigInt(this.tokenizer.padId));
    const mask = new BigInt64Array(n * width);
    const types = new BigInt64Array(n * width);
    windows.forEach((w, r) => {
      w.ids.forEach((id, c) => {
        ids[r * width + c] = BigInt(id);
        mask[r * width + c] = 1n;
        types[r * width + c] = BigInt(w.typeIds[c] ?? 0);
      });
    });
    const all: Record<string, BigInt64Array> = {
      input_ids: ids,
      attention_mask: mask,
      token_type_ids: types,
    };
    const feeds: Record<string, ort.Tensor> = {};
    for (const name of this.session.inputNames)
      feeds[name] = new ort.Tensor('int64', all[name] as BigInt64Array, [n, width]);
    let out: ort.Tensor | undefined;
    try {
      out = (await this.session.run(feeds, [this.outputName]))[this.outputName];
    } catch (cause) {
      throw new MlError('ML_INFERENCE_FAILED', `${this.dir}: inference failed: ${(cause as Error).message}`, {
        cause,
      });
    }
    const data = out?.data;
    const dims = out?.dims ?? [];
    if (
      !(data instanceof Float32Array) ||
      dims[0] !== n ||
      (dims.length === 3 && dims[1] !== width) ||
      dims.length < 2
    )
      throw new MlError(
        'ML_MODEL_CORRUPT',
        `${this.dir}: output ${this.outputName} has shape [${dims.join(', ')}], expected [${n}, …] float32`,
      );
    this.outputShape = { rank: dims.length, width: dims[dims.length - 1] as number };
    const per = data.length / n;
    return windows.map((_, r) => data.slice(r * per, (r + 1) * per));
  }

  /** Rank and last dimension of the output (labels or hidden size), from a warm-up run. */
  async probe(): Promise<{ rank: number; width: number }> {
    await this.run(['warm up']);
    if (this.outputShape === undefined)
      throw new MlError('ML_MODEL_CORRUPT', `${this.dir}: warm-up produced no output`);
    return this.outputShape;
  }
  private outputShape: { rank: number; width: number } | undefined;

  /**
   * Loads a classifier export: `logits` output, `id2label` with at least two labels, and an output
   * of `rank` whose last axis has one value per label. Closes the session when a check fails.
   */
  static async loadClassifier(
    dir: string,
    options: HfModelOptions,
    task: { readonly name: string; readonly rank: 2 | 3 },
  ): Promise<{ model: HfTransformer; labels: readonly string[] }> {
    const model = await HfTransformer.load(dir, ['logits'], options);
    try {
      const labels = model.config.labels;
      if (labels.length < 2)
        throw new MlError(
          'ML_MANIFEST_INVALID',
          `${dir}/config.json: ${task.name} needs id2label with at least two labels`,
        );
      const shape = await model.probe();
      if (shape.rank !== task.rank || shape.width !== labels.length)
        throw new MlError(
          'ML_MODEL_CORRUPT',
          `${dir}: output ${model.outputName} is rank ${shape.rank} with ${shape.width} values per row; expected [batch, ${task.rank === 3 ? 'seq, ' : ''}${labels.length}] for id2label`,
        );
      return { model, labels };
    } catch (err) {
      await model.close();
      throw err;
    }
  }

  async close(): Promise<void> {
    await this.session.release();
  }
}
