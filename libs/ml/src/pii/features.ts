import type { PiiLexicon } from './lexicon';
import { EMPTY_LEXICON } from './lexicon';
import type { PiiToken } from './tokenize';

export const PII_FEATURE_VERSION = 'pii-tok-v3';

/** Number of hashed features per token (fixed so the ONNX input is a dense [tokens × F] matrix). */
export const FEATURES_PER_TOKEN = 24;

/** 32-bit FNV-1a over UTF-16 code units; tiny, fast and stable across platforms. */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Word shape: X for upper, x for lower, d for digit, other chars kept; runs collapsed ("McDonald" → XxXx). */
export function shapeOf(word: string, collapse = true): string {
  let out = '';
  let last = '';
  for (const ch of word) {
    const code = ch.charCodeAt(0);
    let c: string;
    // ASCII fast path; the Unicode property tests only run for other scripts.
    if (code >= 65 && code <= 90) c = 'X';
    else if (code >= 97 && code <= 122) c = 'x';
    else if (code >= 48 && code <= 57) c = 'd';
    else if (code < 128) c = ch;
    else if (/\p{Lu}/u.test(ch)) c = 'X';
    else if (/\p{L}/u.test(ch)) c = 'x';
    else if (/\p{N}/u.test(ch)) c = 'd';
    else c = ch;
    if (!collapse || c !== last) out += c;
    last = c;
  }
  return out;
}

/** Continues an FNV-1a hash over `s`: cont(cont(OFFSET, a), b) equals fnv1a(a + b) before `>>> 0`. */
function cont(h: number, s: string): number {
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h;
}

/** `cont(h, s.slice(from, to))` without allocating the slice. */
function contRange(h: number, s: string, from: number, to: number): number {
  for (let i = from; i < to; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h;
}

const OFFSET = 0x811c9dc5;
const hashOf = (s: string): number => cont(OFFSET, s);
const bar = (h: number): number => cont(h, '|');

// Feature-name prefixes, hashed once.
const P_BIAS = hashOf('bias');
const P_W = hashOf('w=');
const P_RAW = hashOf('raw=');
const P_SHAPE = hashOf('shape=');
const P_FULL = hashOf('full=');
const P_P3 = hashOf('p3=');
const P_S3 = hashOf('s3=');
const P_S4 = hashOf('s4=');
const P_WM1 = hashOf('w-1=');
const P_WP1 = hashOf('w+1=');
const P_WM2 = hashOf('w-2=');
const P_WP2 = hashOf('w+2=');
const P_WM3 = hashOf('w-3=');
const P_SHM1 = hashOf('sh-1=');
const P_SHP1 = hashOf('sh+1=');
const P_BIM1 = hashOf('bi-1=');
const P_BIP1 = hashOf('bi+1=');
const P_CTX = hashOf('ctx=');
const P_HEAD = hashOf('head=');

// Lexicon membership as three flags: first name, last name, place ("F-P" = first name and place),
// coded as bits F=4, L=2, P=1; code 8 stands for "no token" (before the first or after the last).
const LEX_STRINGS = ['---', '--P', '-L-', '-LP', 'F--', 'F-P', 'FL-', 'FLP', '<>'];
const NO_TOKEN = 8;
// Prefixes and whole features that depend only on a few small values, hashed once:
// `line=<0|1>|`, `lineno=<0..6>|<0|1>|`, `lex=<flags>|`, `lex-1=<prev>|<cur>`, `lex+1=<cur>|<next>`.
const LINE_PREFIX = ['0', '1'].map((ls) => bar(cont(hashOf('line='), ls)));
const LINENO_PREFIX = [0, 1, 2, 3, 4, 5, 6].map((l) =>
  ['0', '1'].map((ls) => bar(cont(bar(cont(hashOf('lineno='), String(l))), ls))),
);
const LEX_PREFIX = LEX_STRINGS.map((x) => bar(cont(hashOf('lex='), x)));
const LEX_PREV = LEX_STRINGS.map((prev) =>
  LEX_STRINGS.map((cur) => cont(bar(cont(hashOf('lex-1='), prev)), cur)),
);
const LEX_NEXT = LEX_STRINGS.map((cur) =>
  LEX_STRINGS.map((next) => cont(bar(cont(hashOf('lex+1='), cur)), next)),
);

const NUMERIC = /\p{N}/gu;
const NON_ASCII = /[\u0080-\u{10ffff}]/u;
const ASCII_DIGITS = /[0-9]/g;

/** The lexicon's three word sets as one map: word → flags (first name 4, last name 2, place 1). */
const LEXICON_CODES = new WeakMap<PiiLexicon, Map<string, number>>();

function lexiconCodes(lexicon: PiiLexicon): Map<string, number> {
  let codes = LEXICON_CODES.get(lexicon);
  if (!codes) {
    codes = new Map();
    for (const [set, bit] of [
      [lexicon.first, 4],
      [lexicon.last, 2],
      [lexicon.place, 1],
    ] as const)
      for (const word of set) codes.set(word, (codes.get(word) ?? 0) | bit);
    LEXICON_CODES.set(lexicon, codes);
  }
  return codes;
}

// Digits are folded to 0 so "1961" and "1985" share a feature; letters keep their identity.
function norm(word: string): string {
  return word.toLowerCase().replace(NUMERIC, '0');
}

/** Per-token strings the features are built from: normalised word, collapsed shape, full shape prefix. */
interface TokenStrings {
  low: string;
  /** Whether `low` is exactly `word.toLowerCase()` (no digits were folded). */
  lowerCase: boolean;
  shape: string;
  /** `shapeOf(word, false).slice(0, 8)` */
  full: string;
}

/**
 * norm + both shapes in one pass over an ASCII word (the common case); other words take the
 * general (Unicode) path. Both give the same strings.
 */
function tokenStrings(word: string): TokenStrings {
  if (NON_ASCII.test(word)) {
    const low = norm(word);
    return { low, lowerCase: false, shape: shapeOf(word), full: shapeOf(word, false).slice(0, 8) };
  }
  let shape = '';
  let full = '';
  let last = -1;
  let digits = false;
  let upper = false;
  for (let i = 0; i < word.length; i++) {
    const code = word.charCodeAt(i);
    let c: number;
    if (code >= 65 && code <= 90) {
      c = 88; // X
      upper = true;
    } else if (code >= 97 && code <= 122)
      c = 120; // x
    else if (code >= 48 && code <= 57) {
      c = 100; // d
      digits = true;
    } else c = code;
    if (i < 8) full += String.fromCharCode(c);
    if (c !== last) shape += String.fromCharCode(c);
    last = c;
  }
  if (!digits) return { low: upper ? word.toLowerCase() : word, lowerCase: true, shape, full };
  return { low: word.toLowerCase().replace(ASCII_DIGITS, '0'), lowerCase: false, shape, full };
}

const BOS = '<s>';
const EOS = '</s>';

/**
 * Writes FEATURES_PER_TOKEN bucket ids per token into a row-major Int32Array [tokens × F].
 * Features: identity (raw and normalised), shape, affixes, a ±3 word window, shape and word bigrams,
 * line starts. Neighbour features carry their offset so "is ← X" differs from "X → is".
 */
export function featurize(
  tokens: readonly PiiToken[],
  buckets: number,
  lexicon: PiiLexicon = EMPTY_LEXICON,
): Int32Array {
  const out = new Int32Array(tokens.length * FEATURES_PER_TOKEN);
  featurizeInto(tokens, buckets, lexicon, out, 0);
  return out;
}

/**
 * `featurize` writing into `out` from index `offset` (texts packed into one model run share one
 * buffer). With `rows` (ascending token indices), only those tokens' features are written, row r
 * holding token rows[r]'s (the same ids as in the full matrix: a token's features read its ±3
 * neighbours, which are prepared on demand). Every feature is the FNV-1a hash of the string `${name}${value}` (pairs
 * joined by `|`) modulo `buckets`; the hashes are built incrementally and the constant parts
 * precomputed, so no feature string is allocated.
 */
export function featurizeInto(
  tokens: readonly PiiToken[],
  buckets: number,
  lexicon: PiiLexicon,
  out: Int32Array,
  offset: number,
  rows?: ArrayLike<number>,
): void {
  const n = tokens.length;
  const F = FEATURES_PER_TOKEN;
  const low = new Array<string>(n);
  const shp = new Array<string>(n);
  const full = new Array<string>(n);
  const lex = new Uint8Array(n);
  const ready = new Uint8Array(n);
  const codes = lexiconCodes(lexicon);
  const prepare = (i: number): void => {
    if (ready[i]) return;
    ready[i] = 1;
    const text = tokens[i]!.text;
    const t = tokenStrings(text);
    low[i] = t.low;
    shp[i] = t.shape;
    full[i] = t.full;
    lex[i] = codes.get(t.lowerCase ? t.low : text.toLowerCase()) ?? 0;
  };
  const count = rows ? rows.length : n;
  for (let r = 0; r < count; r++) {
    const i = rows ? rows[r]! : r;
    for (let j = Math.max(0, i - 3); j <= Math.min(n - 1, i + 3); j++) prepare(j);
  }
  if (n > 0) prepare(0);
  const w = (i: number): string => (i < 0 ? BOS : i >= n ? EOS : low[i]!);
  const s = (i: number): string => (i < 0 ? BOS : i >= n ? EOS : shp[i]!);
  const lx = (i: number): number => (i < 0 || i >= n ? NO_TOKEN : lex[i]!);
  // Document context: the text's first word and the token's line number. Address blocks that open a
  // text ("Name\n\n12 Main St\n…") are annotated differently from ones inside a sentence.
  const headPrefix = bar(cont(P_HEAD, n > 0 ? low[0]! : BOS));
  const headFeature = [0, 1, 2, 3, 4].map((l) => cont(headPrefix, String(l)));
  const bias = fin(P_BIAS, buckets);
  let line = 0;
  let lineAt = 0; // `line` counts line starts among tokens 1..lineAt
  for (let r = 0; r < count; r++) {
    const i = rows ? rows[r]! : r;
    const tok = tokens[i]!;
    while (lineAt < i) if (tokens[++lineAt]!.lineStart) line++;
    const lw = low[i]!;
    const sh = shp[i]!;
    const ls = tok.lineStart ? 1 : 0;
    const wm1 = w(i - 1);
    const wp1 = w(i + 1);
    const wm2 = w(i - 2);
    const len = lw.length;
    const o = offset + r * F;
    out[o] = bias;
    out[o + 1] = fin(cont(P_W, lw), buckets);
    out[o + 2] = fin(cont(P_RAW, tok.text), buckets);
    out[o + 3] = fin(cont(P_SHAPE, sh), buckets);
    out[o + 4] = fin(cont(P_FULL, full[i]!), buckets);
    out[o + 5] = fin(contRange(P_P3, lw, 0, Math.min(3, len)), buckets);
    out[o + 6] = fin(contRange(P_S3, lw, Math.max(0, len - 3), len), buckets);
    out[o + 7] = fin(contRange(P_S4, lw, Math.max(0, len - 4), len), buckets);
    out[o + 8] = fin(cont(P_WM1, wm1), buckets);
    out[o + 9] = fin(cont(P_WP1, wp1), buckets);
    out[o + 10] = fin(cont(P_WM2, wm2), buckets);
    out[o + 11] = fin(cont(P_WP2, w(i + 2)), buckets);
    out[o + 12] = fin(cont(P_WM3, w(i - 3)), buckets);
    out[o + 13] = fin(cont(bar(cont(P_SHM1, s(i - 1))), sh), buckets);
    out[o + 14] = fin(cont(bar(cont(P_SHP1, sh)), s(i + 1)), buckets);
    out[o + 15] = fin(cont(bar(cont(P_BIM1, wm1)), lw), buckets);
    out[o + 16] = fin(cont(bar(cont(P_BIP1, lw)), wp1), buckets);
    out[o + 17] = fin(cont(LINE_PREFIX[ls]!, sh), buckets);
    out[o + 18] = fin(cont(bar(cont(P_CTX, wm2)), wm1), buckets);
    out[o + 19] = fin(headFeature[Math.min(line, 4)]!, buckets);
    out[o + 20] = fin(cont(LINENO_PREFIX[Math.min(line, 6)]![ls]!, sh), buckets);
    const cur = lex[i]!;
    out[o + 21] = fin(cont(LEX_PREFIX[cur]!, sh), buckets);
    out[o + 22] = fin(LEX_PREV[lx(i - 1)]![cur]!, buckets);
    out[o + 23] = fin(LEX_NEXT[cur]![lx(i + 1)]!, buckets);
  }
}

/**
 * `(h >>> 0) % buckets`. That unsigned value may exceed the int32 range, which makes `%` a
 * floating-point remainder (measured: a third of featurisation time); a power-of-two bucket count
 * is a mask, any other count splits off the low bit so both remainders are int32 operations.
 */
function fin(h: number, buckets: number): number {
  if ((buckets & (buckets - 1)) === 0 && buckets <= 0x40000000) return h & (buckets - 1);
  return ((((h >>> 1) % buckets) * 2 + (h & 1)) % buckets) | 0;
}
