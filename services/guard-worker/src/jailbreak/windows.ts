/** Options of the sliding windows a long text is scored in. */
export interface WindowOptions {
  /** Words per window. */
  readonly windowWords: number;
  /** Words between window starts; less than `windowWords` so windows overlap. */
  readonly strideWords: number;
}

/**
 * How a text is cut for scoring: whole when it has at most `wholeTextWords` words, otherwise in
 * overlapping windows of each scale, so a long document has no blind spot.
 *
 * Why these numbers (measured with an interim jailbreak model): windows cut from long benign
 * prompts that are themselves instructions to an assistant ("reply only with the list, nothing
 * else") look like injections out of context. On the 517 awesome-chatgpt-prompts longer than 200
 * words, windows flagged 83 with 128-word windows and 65 with 256-word ones, while an injection
 * after 2,000 words of a report was caught equally (6 of 8 hand-written attacks, the 2 others
 * are missed by the model even alone); texts up to 512 words are scored whole.
 */
export interface WindowPlan {
  readonly wholeTextWords: number;
  readonly scales: readonly WindowOptions[];
}

export const DEFAULT_WINDOWS: WindowPlan = {
  wholeTextWords: 512,
  scales: [{ windowWords: 256, strideWords: 128 }],
};

/** The texts to score for `text` under `plan` (see WindowPlan). */
export function planWindows(text: string, plan: WindowPlan): string[] {
  const words = countWords(text, plan.wholeTextWords + 1);
  if (words === 0) return [];
  if (words <= plan.wholeTextWords) return [text.trim()];
  return plan.scales.flatMap((scale) => slidingWindows(text, scale));
}

/** Words in `text`, counting no further than `cap`. */
function countWords(text: string, cap: number): number {
  let n = 0;
  let inWord = false;
  for (let i = 0; i < text.length && n < cap; i++) {
    const c = text.charCodeAt(i);
    const space = c === 32 || c === 10 || c === 9 || c === 13 || c === 12 || c === 11;
    if (!space && !inWord) n++;
    inWord = !space;
  }
  return n;
}

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
