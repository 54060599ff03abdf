import { readText } from './io';

export interface GloVe {
  readonly words: string[];
  readonly dim: number;
  /** Row-major [words.length, dim]. */
  readonly vectors: Float32Array;
}

/** The 10k most frequent glove.6B.50d words (datasets section g1). */
export function loadGlove(): GloVe {
  const lines = readText('g_more/glove_6B_50d_top10k/glove.6B.50d.10k.txt').split('\n');
  const words: string[] = [];
  const values: number[] = [];
  let dim = 0;
  for (const line of lines) {
    const parts = line.trimEnd().split(' ');
    if (parts.length < 3) continue;
    dim ||= parts.length - 1;
    if (parts.length - 1 !== dim) continue;
    words.push(parts[0] as string);
    for (let i = 1; i < parts.length; i++) values.push(Number(parts[i]));
  }
  return { words, dim, vectors: Float32Array.from(values) };
}
