import { MlError } from '../runtime/errors';
import { HfTransformer } from './transformer';
import type { HfModelOptions } from './transformer';

function l2Normalize(v: Float32Array): Float32Array {
  let s = 0;
  for (const x of v) s += x * x;
  const norm = Math.sqrt(s);
  if (norm > 0) for (let i = 0; i < v.length; i++) v[i] = (v[i] as number) / norm;
  return v;
}

/**
 * Sentence embeddings from a Hugging Face encoder export (BERT, MiniLM, …): mean of
 * `last_hidden_state` over the attention mask (special tokens included, as sentence-transformers
 * does), L2-normalised. A long text's windows are embedded separately and averaged. Same
 * `embed(texts)` as the in-house `SentenceEncoder`.
 */
export class HfSentenceEmbedder {
  private constructor(
    private readonly model: HfTransformer,
    readonly dimension: number,
  ) {}

  get dir(): string {
    return this.model.dir;
  }
  get maxLength(): number {
    return this.model.maxLength;
  }

  static async load(dir: string, options: HfModelOptions = {}): Promise<HfSentenceEmbedder> {
    const model = await HfTransformer.load(dir, ['last_hidden_state', 'token_embeddings'], options);
    try {
      const shape = await model.probe();
      if (shape.rank !== 3)
        throw new MlError(
          'ML_MODEL_CORRUPT',
          `${dir}: output ${model.outputName} is rank ${shape.rank}; mean pooling needs [batch, seq, hidden]`,
        );
      return new HfSentenceEmbedder(model, shape.width);
    } catch (err) {
      await model.close();
      throw err;
    }
  }

  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    const runs = await this.model.run(texts);
    const d = this.dimension;
    return runs.map((run) => {
      const sum = new Float32Array(d);
      run.outputs.forEach((row, i) => {
        // Padding rows sit after the window's tokens; the mask is 1 exactly for the first ids.length rows.
        const len = (run.windows[i] as { ids: readonly number[] }).ids.length;
        const pooled = new Float32Array(d);
        for (let t = 0; t < len; t++)
          for (let k = 0; k < d; k++) pooled[k] = (pooled[k] as number) + (row[t * d + k] as number);
        l2Normalize(pooled);
        for (let k = 0; k < d; k++) sum[k] = (sum[k] as number) + (pooled[k] as number);
      });
      return l2Normalize(sum);
    });
  }

  async close(): Promise<void> {
    await this.model.close();
  }
}
