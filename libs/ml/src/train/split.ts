import { fnv1a, normalizeText } from '../text';

/**
 * The key that decides a text's split: normalised text with punctuation and spacing removed,
 * so copies that differ only in case, spacing or punctuation always land on the same side.
 */
export function dedupKey(text: string): string {
  return normalizeText(text)
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

export interface SplitSpec {
  /** Share of keys that go to the test side. */
  readonly testFraction: number;
  /** Salt so different tasks can use independent splits. */
  readonly salt: string;
}

/** `test` or `train`, fixed by a hash of the text's dedup key (never by position or chance). */
export function splitOf(text: string, spec: SplitSpec): 'train' | 'test' {
  const h = fnv1a(`${spec.salt}\u0000${dedupKey(text)}`);
  return h / 4294967296 < spec.testFraction ? 'test' : 'train';
}

/** Drops repeated texts (same dedup key), keeping the first. */
export function dedupe<T extends { readonly text: string }>(items: readonly T[]): T[] {
  const seen = new Set<string>();
  const out: T[] = [];
  for (const item of items) {
    const key = dedupKey(item.text);
    if (key.length === 0 || seen.has(key)) continue;
    seen.add(key);
    out.push(item);
  }
  return out;
}
