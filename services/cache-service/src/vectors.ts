/** Returns a unit-length copy of `v` (a zero vector stays zero). */
export function normalised(v: Float32Array): Float32Array {
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += v[i]! * v[i]!;
  const out = new Float32Array(v.length);
  if (sum === 0) return out;
  const inv = 1 / Math.sqrt(sum);
  for (let i = 0; i < v.length; i++) out[i] = v[i]! * inv;
  return out;
}

/** Cosine similarity of two unit vectors, clamped to [0, 1] (the contract's score range). */
export function clampSimilarity(cosine: number): number {
  if (!(cosine > 0)) return 0;
  return cosine > 1 ? 1 : cosine;
}
