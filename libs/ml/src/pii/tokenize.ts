/** A word-level token with its character offsets in the original text (end exclusive). */
export interface PiiToken {
  readonly text: string;
  readonly start: number;
  readonly end: number;
  /** True when a line break separates this token from the previous one (address lines, signatures). */
  readonly lineStart: boolean;
}

// Runs of letters/marks/digits stay together; every other non-space character is its own token, so
// "Tamara's" → Tamara ' s and "+41 (0)38" keeps its digits apart from the brackets.
const TOKEN_RE = /[\p{L}\p{M}\p{N}]+|[^\s\p{L}\p{M}\p{N}]/gu;

/** Splits text into word tokens with character offsets. Pure and allocation-light: used at train and run time. */
export function tokenize(text: string): PiiToken[] {
  const tokens: PiiToken[] = [];
  let prevEnd = 0;
  for (const m of text.matchAll(TOKEN_RE)) {
    const start = m.index;
    const word = m[0];
    const gap = text.slice(prevEnd, start);
    tokens.push({
      text: word,
      start,
      end: start + word.length,
      lineStart: tokens.length === 0 || gap.includes('\n'),
    });
    prevEnd = start + word.length;
  }
  return tokens;
}
