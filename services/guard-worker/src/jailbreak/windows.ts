/** Options of the sliding windows a long text is scored in. */
export interface WindowOptions {
  /** Words per window. */
  readonly windowWords: number;
  /** Words between window starts; less than `windowWords` so windows overlap. */
  readonly strideWords: number;
}

/**
 * Two scales: paragraph-sized windows see an attack with its context; sentence-sized ones see it
 * without the benign words around it (appending a few benign sentences flipped the reference's
 * verdict). On the hand-written own-eval set both scales together raised recall over one scale
 * (34 → 40 of 69 attacks with an interim model) for one more false positive of 74.
 */
export const DEFAULT_WINDOWS: readonly WindowOptions[] = [
  { windowWords: 64, strideWords: 32 },
  { windowWords: 16, strideWords: 8 },
];

const WORD = /\S+/g;

/**
 * Splits a text into overlapping word windows (slices of the original text, punctuation kept).
 * A text of at most `windowWords` words is one window. The last window always ends at the last
 * word, so there is no blind spot at the end of a long document, and an attack of up to
 * `windowWords - strideWords` words lies wholly inside at least one window, wherever it sits.
 */
export function slidingWindows(text: string, options: WindowOptions): string[] {
  const { windowWords, strideWords } = options;
  if (!(windowWords > 0) || !(strideWords > 0) || strideWords > windowWords) {
    throw new RangeError(
      `window options need 0 < strideWords <= windowWords (got ${strideWords}, ${windowWords})`,
    );
  }
  const starts: number[] = [];
  const ends: number[] = [];
  for (const m of text.matchAll(WORD)) {
    starts.push(m.index);
    ends.push(m.index + m[0].length);
  }
  const n = starts.length;
  if (n <= windowWords) return n === 0 ? [] : [text.slice(starts[0], ends[n - 1])];
  const windows: string[] = [];
  let first = 0;
  for (;;) {
    const last = Math.min(first + windowWords, n) - 1;
    windows.push(text.slice(starts[first], ends[last]));
    if (last === n - 1) break;
    first = Math.min(first + strideWords, n - windowWords);
  }
  return windows;
}
