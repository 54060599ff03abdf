import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BagClassifierWeights } from '../onnx';
import { normalizeText, tokenize } from '../text';
import type { HashedNgramFeaturizer } from '../text';
import type { LabeledText } from '../train/task';

/** Path of the 10k-word, 50-d GloVe subset under the datasets directory (README section g1). */
export const GLOVE_PATH = 'g_more/glove_6B_50d_top10k/glove.6B.50d.10k.txt';

export interface GloveVectors {
  readonly words: readonly string[];
  /** Unit-length vectors, row-major [words, dim]. */
  readonly vectors: Float32Array;
  readonly dim: number;
}

/** Reads GloVe text format (word then floats per line), keeping alphabetic words only, unit-normalised. */
export function readGlove(file: string): GloveVectors {
  const words: string[] = [];
  const rows: number[][] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const parts = line.trim().split(' ');
    const word = parts[0];
    if (word === undefined || parts.length < 2 || !/^\p{L}[\p{L}']*$/u.test(word)) continue;
    words.push(word);
    rows.push(parts.slice(1).map(Number));
  }
  const dim = rows[0]?.length ?? 0;
  const vectors = new Float32Array(words.length * dim);
  rows.forEach((r, i) => {
    const norm = Math.sqrt(r.reduce((s, x) => s + x * x, 0)) || 1;
    for (let j = 0; j < dim; j++) vectors[i * dim + j] = (r[j] as number) / norm;
  });
  return { words, vectors, dim };
}

export interface GloveImputeOptions {
  /** A word is known when it occurs in at least this many training texts. */
  readonly minCount: number;
  /** Nearest known neighbours averaged for an unknown word. */
  readonly k: number;
  /** Neighbours below this cosine similarity are ignored. */
  readonly minCosine: number;
  /** Pooling weight of an imputed row, relative to the mean weight of its neighbours' rows. */
  readonly weightScale: number;
  /**
   * Blend into rows that training touched (a hash collision with another feature) with this
   * factor; 0 leaves such rows alone.
   */
  readonly blendTouched: number;
  /** For blended rows: raise the row's pooling weight to the imputed one when that is higher. */
  readonly raiseTouchedWeight?: boolean;
}

export const DEFAULT_GLOVE_IMPUTE: GloveImputeOptions = {
  minCount: 2,
  k: 8,
  minCosine: 0.5,
  weightScale: 1,
  blendTouched: 0,
};

/**
 * Gives everyday words the training data never used a meaning: the unigram row of each GloVe
 * word that is rare or absent in the training texts becomes the similarity-weighted mean of the
 * trained unigram rows of its nearest known GloVe neighbours (so "aspirin" inherits from
 * "medicine", "drug", ...). Rows and the model's shape are otherwise unchanged. Deterministic.
 */
export function imputeGloveRows(
  w: BagClassifierWeights,
  featurizer: HashedNgramFeaturizer,
  train: readonly LabeledText[],
  glove: GloveVectors,
  o: GloveImputeOptions,
): { weights: BagClassifierWeights; imputed: number; skipped: number } {
  const df = new Map<string, number>();
  for (const it of train) {
    for (const t of new Set(tokenize(normalizeText(it.text)))) df.set(t, (df.get(t) ?? 0) + 1);
  }
  const rowOf = (word: string): number => featurizer.features(word)[0] as number;
  const { dim } = glove;
  const known: number[] = [];
  const unknown: number[] = [];
  glove.words.forEach((word, i) => ((df.get(word) ?? 0) >= o.minCount ? known : unknown).push(i));
  const embeddings = Float32Array.from(w.embeddings);
  const rowWeights = w.rowWeights ? Float32Array.from(w.rowWeights) : undefined;
  const maxW = rowWeights ? rowWeights.reduce((a, b) => Math.max(a, b), 0) : 1;
  const touched = (r: number): boolean => {
    if (rowWeights && (rowWeights[r] as number) > 0) return true;
    for (let j = 0; j < w.dim; j++) if (embeddings[r * w.dim + j] !== 0) return true;
    return false;
  };
  // Rows are read from the original table, so one imputation never feeds another.
  const original = w.embeddings;
  const sims = new Float32Array(known.length);
  const acc = new Float32Array(w.dim);
  let imputed = 0;
  let skipped = 0;
  for (const u of unknown) {
    const row = rowOf(glove.words[u] as string);
    const isTouched = touched(row);
    if (isTouched && o.blendTouched === 0) {
      skipped++;
      continue;
    }
    for (let a = 0; a < known.length; a++) {
      const kv = (known[a] as number) * dim;
      let s = 0;
      for (let j = 0; j < dim; j++)
        s += (glove.vectors[u * dim + j] as number) * (glove.vectors[kv + j] as number);
      sims[a] = s;
    }
    const top = [...sims.keys()]
      .filter((a) => (sims[a] as number) >= o.minCosine)
      .sort((a, b) => (sims[b] as number) - (sims[a] as number) || a - b)
      .slice(0, o.k);
    if (top.length === 0) continue;
    acc.fill(0);
    let total = 0;
    let weightSum = 0;
    for (const a of top) {
      const s = sims[a] as number;
      const r = rowOf(glove.words[known[a] as number] as string);
      for (let j = 0; j < w.dim; j++) acc[j] = (acc[j] as number) + s * (original[r * w.dim + j] as number);
      total += s;
      weightSum += s * (w.rowWeights ? (w.rowWeights[r] as number) : 1);
    }
    const f = isTouched ? o.blendTouched : 1;
    for (let j = 0; j < w.dim; j++) {
      const idx = row * w.dim + j;
      embeddings[idx] = (isTouched ? (embeddings[idx] as number) : 0) + (f * (acc[j] as number)) / total;
    }
    if (rowWeights && (!isTouched || o.raiseTouchedWeight === true)) {
      const v = Math.min(maxW, (o.weightScale * weightSum) / total);
      // Same 8-bit grid as the ONNX export (see idfWeights).
      const q = Math.fround((Math.round((v / maxW) * 255) * maxW) / 255);
      rowWeights[row] = isTouched ? Math.max(rowWeights[row] as number, q) : q;
    }
    imputed++;
  }
  return {
    weights: { ...w, embeddings, ...(rowWeights ? { rowWeights } : {}) },
    imputed,
    skipped,
  };
}

export function loadGlove(datasetsRoot: string): GloveVectors {
  return readGlove(join(datasetsRoot, GLOVE_PATH));
}

export interface GloveParaphraseOptions {
  /** Augmented copies per item. */
  readonly copies: number;
  /** Chance that an eligible word is replaced. */
  readonly rate: number;
  /** Candidates: this many nearest GloVe neighbours at or above `minCosine`. */
  readonly neighbours: number;
  readonly minCosine: number;
  /** Words among the most frequent GloVe words (function words) are never replaced. */
  readonly keepTop: number;
}

export const DEFAULT_GLOVE_PARAPHRASE: GloveParaphraseOptions = {
  copies: 1,
  rate: 0.35,
  neighbours: 5,
  minCosine: 0.7,
  keepTop: 250,
};

/**
 * Word-substitution rephrasings: each copy replaces some content words of the text by one of
 * their nearest GloVe neighbours ("lower my cholesterol" → "reduce my cholesterol"), so topic
 * words the hand-written questions do not use still appear in everyday contexts. Train-only,
 * split with their original; deterministic for a seed.
 */
export function gloveParaphrases(
  items: readonly LabeledText[],
  glove: GloveVectors,
  rng: { next(): number; pick<T>(xs: readonly T[]): T },
  o: GloveParaphraseOptions,
): LabeledText[] {
  const rank = new Map(glove.words.map((w, i) => [w, i]));
  const { dim } = glove;
  const cache = new Map<string, string[]>();
  const neighboursOf = (word: string): string[] => {
    const hit = cache.get(word);
    if (hit) return hit;
    const i = rank.get(word);
    let out: string[] = [];
    if (i !== undefined && i >= o.keepTop) {
      const scored: [number, number][] = [];
      for (let k = o.keepTop; k < glove.words.length; k++) {
        if (k === i) continue;
        let s = 0;
        for (let j = 0; j < dim; j++)
          s += (glove.vectors[i * dim + j] as number) * (glove.vectors[k * dim + j] as number);
        if (s >= o.minCosine) scored.push([s, k]);
      }
      scored.sort((a, b) => b[0] - a[0] || a[1] - b[1]);
      out = scored.slice(0, o.neighbours).map(([, k]) => glove.words[k] as string);
    }
    cache.set(word, out);
    return out;
  };
  const out: LabeledText[] = [];
  for (const it of items) {
    for (let c = 0; c < o.copies; c++) {
      let changed = false;
      const text = it.text.replace(/\p{L}+/gu, (word) => {
        const cands = neighboursOf(word.toLowerCase());
        if (cands.length === 0 || rng.next() >= o.rate) return word;
        changed = true;
        return rng.pick(cands);
      });
      if (changed)
        out.push({
          text,
          label: it.label,
          source: `${it.source}-glove`,
          splitKey: it.splitKey ?? it.text,
          trainOnly: true,
          ...(it.weight !== undefined ? { weight: it.weight } : {}),
        });
    }
  }
  return out;
}
