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

const NON_ASCII = /[\u0080-\u{10ffff}]/u;

/** Splits text into word tokens with character offsets. Pure and allocation-light: used at train and run time. */
export function tokenize(text: string): PiiToken[] {
  return NON_ASCII.test(text) ? tokenizeUnicode(text) : tokenizeAscii(text);
}

function tokenizeUnicode(text: string): PiiToken[] {
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

const isAsciiAlnum = (c: number): boolean =>
  (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);

/**
 * TOKEN_RE on ASCII text, as a plain scan (the regex with Unicode classes was most of tokenising):
 * letters/digits are [A-Za-z0-9], whitespace is \t \n \v \f \r and space, anything else is a
 * token of its own.
 */
function tokenizeAscii(text: string): PiiToken[] {
  const tokens: PiiToken[] = [];
  const n = text.length;
  let newline = false;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 32 || (c >= 9 && c <= 13)) {
      if (c === 10) newline = true;
      i++;
      continue;
    }
    const start = i++;
    if (isAsciiAlnum(c)) while (i < n && isAsciiAlnum(text.charCodeAt(i))) i++;
    tokens.push({ text: text.slice(start, i), start, end: i, lineStart: tokens.length === 0 || newline });
    newline = false;
  }
  return tokens;
}
