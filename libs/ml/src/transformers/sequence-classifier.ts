import type { Prediction } from '../runtime/text-classifier';
import { HfTransformer } from './transformer';
import type { HfModelOptions } from './transformer';

export interface HfSequenceClassifierOptions extends HfModelOptions {
  /**
   * How windows of a long text combine: `max` takes each class's highest probability over the
   * windows (a detector fires if any part of the text fires; the distribution then need not sum
   * to 1), `mean` averages them. Default `max`.
   */
  readonly aggregate?: 'max' | 'mean';
}

/** Softmax (or sigmoid for multi-label configs) of one logit row. */
export function logitsToProbs(logits: Float32Array, multiLabel: boolean): Float64Array {
  if (multiLabel) return Float64Array.from(logits, (v) => 1 / (1 + Math.exp(-v)));
  const max = Math.max(...logits);
  const exps = Float64Array.from(logits, (v) => Math.exp(v - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((v) => v / sum);
}

/**
 * Sequence classification with a Hugging Face export (`…ForSequenceClassification`): the same
 * `classify(texts) → {label, score, distribution}[]` as the in-house `TextClassifier`.
 */
export class HfSequenceClassifier {
  private constructor(
    private readonly model: HfTransformer,
    readonly labels: readonly string[],
    private readonly aggregate: 'max' | 'mean',
  ) {}

  get task(): string {
    return 'sequence-classification';
  }
  get dir(): string {
    return this.model.dir;
  }
  get maxLength(): number {
    return this.model.maxLength;
  }

  static async load(dir: string, options: HfSequenceClassifierOptions = {}): Promise<HfSequenceClassifier> {
    const { model, labels } = await HfTransformer.loadClassifier(dir, options, {
      name: 'sequence classification',
      rank: 2,
    });
    return new HfSequenceClassifier(model, labels, options.aggregate ?? 'max');
  }

  async classify(texts: readonly string[]): Promise<Prediction[]> {
    const runs = await this.model.run(texts);
    const multi = this.model.config.problemType === 'multi_label_classification';
    const n = this.labels.length;
    return runs.map((run) => {
      const agg = new Float64Array(n);
      run.outputs.forEach((row, i) => {
        const p = logitsToProbs(row, multi);
        for (let c = 0; c < n; c++)
          agg[c] =
            this.aggregate === 'max' && i > 0
              ? Math.max(agg[c] as number, p[c] as number)
              : (agg[c] as number) + (p[c] as number);
      });
      if (this.aggregate === 'mean')
        for (let c = 0; c < n; c++) agg[c] = (agg[c] as number) / run.outputs.length;
      let best = 0;
      const distribution: Record<string, number> = {};
      for (let c = 0; c < n; c++) {
        distribution[this.labels[c] as string] = agg[c] as number;
        if ((agg[c] as number) > (agg[best] as number)) best = c;
      }
      return { label: this.labels[best] as string, score: agg[best] as number, distribution };
    });
  }

  async close(): Promise<void> {
    await this.model.close();
  }
}
