// Frozen pretrained word vectors inside the hashed table: each GloVe word's unigram row gets the
// word's vector (unit-normalised, randomly projected to a few dims) in extra columns that training
// never updates. An unseen paraphrase ("abandon your directives") then still lands near the words
// the model learned ("ignore your instructions"), which hashed n-grams alone cannot do.
import { join } from 'node:path';
import type { HashedNgramFeaturizer } from '../../text';
import { normalizeText, tokenize } from '../../text';
import { datasetsDir } from '../../train/paths';
import { Prng } from '../../train/prng';
import { readText } from '../../data/jailbreak/io';

export const GLOVE_FILE = 'g_more/glove_6B_50d_top10k/glove.6B.50d.10k.txt';

interface Vectors {
  words: string[];
  dim: number;
  values: Float32Array;
}

function loadGlove(): Vectors {
  const words: string[] = [];
  const values: number[] = [];
  let dim = 0;
  for (const line of readText(join(datasetsDir(), GLOVE_FILE)).split('\n')) {
    const parts = line.trimEnd().split(' ');
    if (parts.length < 3) continue;
    dim ||= parts.length - 1;
    if (parts.length - 1 !== dim) continue;
    words.push(parts[0] as string);
    for (let i = 1; i < parts.length; i++) values.push(Number(parts[i]));
  }
  return { words, dim, values: Float32Array.from(values) };
}

/**
 * Returns a `frozenInit` for trainMeanMax writing `k` projected GloVe dims into the unigram row of
 * every GloVe word (alphabetic words only; symbols and numbers carry no useful similarity here).
 */
export function gloveFrozenInit(
  f: HashedNgramFeaturizer,
  k: number,
  seed: number,
): { init: (e: Float32Array, width: number, offset: number) => void; words: number } {
  const g = loadGlove();
  const rng = new Prng(seed);
  // Gaussian random projection (Box–Muller), scaled so a unit vector keeps about unit length.
  const proj = new Float32Array(g.dim * k);
  for (let i = 0; i < proj.length; i++) {
    const u = Math.max(rng.next(), 1e-12);
    proj[i] = (Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next())) / Math.sqrt(k);
  }
  const rowsOf: { row: number; at: number }[] = [];
  g.words.forEach((word, wi) => {
    if (!/^\p{L}+$/u.test(word)) return;
    const toks = tokenize(normalizeText(word));
    if (toks.length !== 1) return;
    const row = f.features(word)[0];
    if (row !== undefined) rowsOf.push({ row, at: wi });
  });
  const init = (e: Float32Array, width: number, offset: number): void => {
    for (const { row, at } of rowsOf) {
      let norm = 0;
      for (let j = 0; j < g.dim; j++) norm += (g.values[at * g.dim + j] as number) ** 2;
      const inv = 1 / Math.sqrt(norm || 1);
      for (let c = 0; c < k; c++) {
        let v = 0;
        for (let j = 0; j < g.dim; j++)
          v += (g.values[at * g.dim + j] as number) * inv * (proj[j * k + c] as number);
        e[row * width + offset + c] = v;
      }
    }
  };
  return { init, words: rowsOf.length };
}
