import { logitsToProbs } from './sequence-classifier';
import { HfTransformer } from './transformer';
import type { HfModelOptions } from './transformer';
import type { TokenPiece } from './tokenizer';

/** An entity found in a text: `text.slice(start, end) === value`. */
export interface HfEntitySpan {
  readonly type: string;
  readonly start: number;
  readonly end: number;
  readonly value: string;
  /** Mean over the entity's words of the probability of each word's tag. */
  readonly score: number;
}

/** A tag split into its position part (B/I/E/S or none) and entity type. */
function parseTag(tag: string): { pos: 'B' | 'I' | 'E' | 'S' | 'O'; type: string } {
  if (tag === 'O' || tag === '') return { pos: 'O', type: '' };
  const m = /^([BIESLU])[-_](.+)$/u.exec(tag);
  if (!m) return { pos: 'I', type: tag }; // IO scheme: a bare type continues its own run.
  const p = m[1] as string;
  return { pos: p === 'L' ? 'E' : p === 'U' ? 'S' : (p as 'B' | 'I' | 'E' | 'S'), type: m[2] as string };
}

/** Per-token probabilities → per-word tags (the first piece of a word decides) → merged spans. */
export function mergeEntities(
  text: string,
  pieces: readonly TokenPiece[],
  probs: readonly (Float64Array | undefined)[],
  labels: readonly string[],
): HfEntitySpan[] {
  const spans: HfEntitySpan[] = [];
  let cur: { type: string; start: number; end: number; scores: number[] } | undefined;
  const close = (): void => {
    if (cur && cur.end > cur.start)
      spans.push({
        type: cur.type,
        start: cur.start,
        end: cur.end,
        value: text.slice(cur.start, cur.end),
        score: cur.scores.reduce((a, b) => a + b, 0) / cur.scores.length,
      });
    cur = undefined;
  };
  for (let i = 0; i < pieces.length;) {
    // A word: this piece and the continuation pieces after it.
    let j = i + 1;
    while (j < pieces.length && (pieces[j] as TokenPiece).continuation) j++;
    const p = probs[i];
    const first = pieces[i] as TokenPiece;
    const last = pieces[j - 1] as TokenPiece;
    let best = 0;
    if (p) for (let c = 1; c < p.length; c++) if ((p[c] as number) > (p[best] as number)) best = c;
    const { pos, type } = parseTag(p ? (labels[best] as string) : 'O');
    const score = p ? (p[best] as number) : 0;
    if (pos === 'O') close();
    else {
      if (pos === 'B' || pos === 'S' || !cur || cur.type !== type) {
        close();
        cur = { type, start: first.start, end: last.end, scores: [] };
      }
      cur.end = Math.max(cur.end, last.end);
      cur.scores.push(score);
      if (pos === 'E' || pos === 'S') close();
    }
    i = j;
  }
  close();
  return spans;
}

/**
 * Token classification (NER) with a Hugging Face export (`…ForTokenClassification`, BIO/IOB2
 * tags such as `B-PERSON`): entity spans with character offsets into the original text. Long
 * texts run in overlapping windows; each token takes its tag from the window where it sits
 * farthest from an edge (most context on both sides).
 */
export class HfTokenClassifier {
  private constructor(
    private readonly model: HfTransformer,
    readonly labels: readonly string[],
  ) {}

  get dir(): string {
    return this.model.dir;
  }
  get maxLength(): number {
    return this.model.maxLength;
  }
  /** Entity types the labels name (without B-/I- prefixes). */
  get entityTypes(): string[] {
    return [...new Set(this.labels.map((l) => parseTag(l).type).filter((t) => t !== ''))];
  }

  static async load(dir: string, options: HfModelOptions = {}): Promise<HfTokenClassifier> {
    const { model, labels } = await HfTransformer.loadClassifier(dir, options, {
      name: 'token classification',
      rank: 3,
    });
    return new HfTokenClassifier(model, labels);
  }

  /** Per content token: its tag probabilities, from the window that gives it the most context. */
  async tokenProbabilities(
    texts: readonly string[],
  ): Promise<{ pieces: readonly TokenPiece[]; probs: Float64Array[] }[]> {
    const runs = await this.model.run(texts);
    const n = this.labels.length;
    const multi = this.model.config.problemType === 'multi_label_classification';
    return runs.map((run) => {
      const probs: Float64Array[] = [];
      const margin: number[] = [];
      run.windows.forEach((w, wi) => {
        const row = run.outputs[wi] as Float32Array;
        for (let t = w.first; t < w.end; t++) {
          const m = Math.min(t - w.first, w.end - 1 - t);
          if (margin[t] !== undefined && (margin[t] as number) >= m) continue;
          const at = (w.offset + t - w.first) * n;
          probs[t] = logitsToProbs(row.subarray(at, at + n), multi);
          margin[t] = m;
        }
      });
      return { pieces: run.pieces, probs };
    });
  }

  /** Entity spans for each text (all texts' windows share padded onnxruntime batches). */
  async predictBatch(texts: readonly string[]): Promise<HfEntitySpan[][]> {
    const tagged = await this.tokenProbabilities(texts);
    return tagged.map((t, i) => mergeEntities(texts[i] as string, t.pieces, t.probs, this.labels));
  }

  async predict(text: string): Promise<HfEntitySpan[]> {
    const [spans] = await this.predictBatch([text]);
    return spans ?? [];
  }

  async close(): Promise<void> {
    await this.model.close();
  }
}
