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

const OFFSET = 0x811c9dc5;
// Feature-name prefixes, hashed once.
const P = Object.fromEntries(
  [
    'bias',
    'w=',
    'raw=',
    'shape=',
    'full=',
    'p3=',
    's3=',
    's4=',
    'w-1=',
    'w+1=',
    'w-2=',
    'w+2=',
    'w-3=',
    'sh-1=',
    'sh+1=',
    'bi-1=',
    'bi+1=',
    'line=',
    'ctx=',
    'head=',
    'lineno=',
    'lex=',
    'lex-1=',
    'lex+1=',
  ].map((p) => [p, cont(OFFSET, p)]),
) as Record<string, number>;

// Digits are folded to 0 so "1961" and "1985" share a feature; letters keep their identity.
function norm(word: string): string {
  return word.toLowerCase().replace(/\p{N}/gu, '0');
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
  const n = tokens.length;
  const F = FEATURES_PER_TOKEN;
  const out = new Int32Array(n * F);
  const low = tokens.map((t) => norm(t.text));
  const shp = tokens.map((t) => shapeOf(t.text));
  const w = (i: number): string => (i < 0 ? BOS : i >= n ? EOS : low[i]!);
  // Lexicon membership as three flags: first name, last name, place ("F-P" = first name and place).
  const lex = tokens.map((t) => {
    const l = t.text.toLowerCase();
    return `${lexicon.first.has(l) ? 'F' : '-'}${lexicon.last.has(l) ? 'L' : '-'}${lexicon.place.has(l) ? 'P' : '-'}`;
  });
  const lx = (i: number): string => (i < 0 || i >= n ? '<>' : lex[i]!);
  const s = (i: number): string => (i < 0 ? BOS : i >= n ? EOS : shp[i]!);
  // Document context: the text's first word and the token's line number. Address blocks that open a
  // text ("Name\n\n12 Main St\n…") are annotated differently from ones inside a sentence.
  const head = n > 0 ? low[0]! : BOS;
  let line = 0;
  const bar = (h: number): number => cont(h, '|');
  const fin = (h: number): number => (h >>> 0) % buckets;
  for (let i = 0; i < n; i++) {
    const tok = tokens[i]!;
    if (i > 0 && tok.lineStart) line++;
    const lw = low[i]!;
    const sh = shp[i]!;
    const ls = tok.lineStart ? '1' : '0';
    // Same strings as `${name}${value}` hashed with fnv1a, built incrementally without allocating them.
    const o = i * F;
    out[o] = fin(P['bias']!);
    out[o + 1] = fin(cont(P['w=']!, lw));
    out[o + 2] = fin(cont(P['raw=']!, tok.text));
    out[o + 3] = fin(cont(P['shape=']!, sh));
    out[o + 4] = fin(cont(P['full=']!, shapeOf(tok.text, false).slice(0, 8)));
    out[o + 5] = fin(cont(P['p3=']!, lw.slice(0, 3)));
    out[o + 6] = fin(cont(P['s3=']!, lw.slice(-3)));
    out[o + 7] = fin(cont(P['s4=']!, lw.slice(-4)));
    out[o + 8] = fin(cont(P['w-1=']!, w(i - 1)));
    out[o + 9] = fin(cont(P['w+1=']!, w(i + 1)));
    out[o + 10] = fin(cont(P['w-2=']!, w(i - 2)));
    out[o + 11] = fin(cont(P['w+2=']!, w(i + 2)));
    out[o + 12] = fin(cont(P['w-3=']!, w(i - 3)));
    out[o + 13] = fin(cont(bar(cont(P['sh-1=']!, s(i - 1))), sh));
    out[o + 14] = fin(cont(bar(cont(P['sh+1=']!, sh)), s(i + 1)));
    out[o + 15] = fin(cont(bar(cont(P['bi-1=']!, w(i - 1))), lw));
    out[o + 16] = fin(cont(bar(cont(P['bi+1=']!, lw)), w(i + 1)));
    out[o + 17] = fin(cont(bar(cont(P['line=']!, ls)), sh));
    out[o + 18] = fin(cont(bar(cont(P['ctx=']!, w(i - 2))), w(i - 1)));
    out[o + 19] = fin(cont(bar(cont(P['head=']!, head)), String(Math.min(line, 4))));
    out[o + 20] = fin(cont(bar(cont(bar(cont(P['lineno=']!, String(Math.min(line, 6)))), ls)), sh));
    out[o + 21] = fin(cont(bar(cont(P['lex=']!, lex[i]!)), sh));
    out[o + 22] = fin(cont(bar(cont(P['lex-1=']!, lx(i - 1))), lex[i]!));
    out[o + 23] = fin(cont(bar(cont(P['lex+1=']!, lex[i]!)), lx(i + 1)));
  }
  return out;
}
