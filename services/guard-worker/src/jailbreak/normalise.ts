/**
 * Undoes cheap obfuscation before the jailbreak classifier scores a text. A model trained on
 * plain prompts misses "1gn0re all prev10us instructions", "i g n o r e …", zero-width joiners,
 * Cyrillic look-alikes and base64 payloads; each transform here maps one trick back to plain text.
 *
 * `scanVariants` returns the texts to score for one input: the text as sent (`plain`), a
 * normalised copy when any transform changed something (`via` names the transforms), and every
 * decoded hidden segment (base64, hex, rot13, reversed, Unicode tag characters), themselves
 * normalised. The guard scores all of them and reports the variant that scored highest.
 */

export interface ScanVariant {
  readonly text: string;
  /** How the text was obtained: `plain`, or transforms joined by `+` (e.g. `base64+leetspeak`). */
  readonly via: string;
}

export interface ScanOptions {
  /** How deep decoded payloads are decoded again (base64 of base64). Default 2. */
  readonly maxDepth?: number;
  /** Cap on decoded segments per text, so a crafted input cannot fan out unboundedly. Default 16. */
  readonly maxSegments?: number;
}

// ---------- invisible and look-alike characters ----------

// Characters that render as nothing: zero-width space/joiners, bidi controls, soft hyphen, word
// joiner, BOM, tag characters, variation selectors, the combining grapheme joiner, Hangul fillers.
const INVISIBLE = /\p{Default_Ignorable_Code_Point}/gu;

// Unicode "tag" characters (U+E0020–U+E007E) mirror ASCII and render as nothing: "ASCII smuggling".
const TAG_RUN = /[\u{e0020}-\u{e007e}]+/gu;

/** Removes characters that render as nothing. */
export function stripInvisible(text: string): string {
  return NON_ASCII.test(text) ? text.replace(INVISIBLE, '') : text;
}

// Every transform below is a no-op on plain ASCII text of the kind it targets; these cheap
// pre-checks keep the common case (an ordinary prompt) in the tens of microseconds.
const NON_ASCII = /[^\t\n\r\u0020-\u007e]/;

/** ASCII hidden in Unicode tag characters, one string per run. */
export function decodeUnicodeTags(text: string): string[] {
  const runs: string[] = [];
  for (const m of text.matchAll(TAG_RUN)) {
    let s = '';
    for (const ch of m[0]) s += String.fromCharCode(ch.codePointAt(0)! - 0xe0000);
    if (s.trim()) runs.push(s);
  }
  return runs;
}

// Cyrillic and Greek letters that look like Latin ones (Unicode confusables, the common subset).
const CONFUSABLES: Readonly<Record<string, string>> = {
  а: 'a',
  в: 'b',
  е: 'e',
  ё: 'e',
  к: 'k',
  м: 'm',
  н: 'h',
  о: 'o',
  р: 'p',
  с: 'c',
  т: 't',
  у: 'y',
  х: 'x',
  ѕ: 's',
  і: 'i',
  ї: 'i',
  ј: 'j',
  ԁ: 'd',
  ԛ: 'q',
  ԝ: 'w',
  һ: 'h',
  ӏ: 'l',
  ɡ: 'g',
  ɑ: 'a',
  ı: 'i',
  А: 'A',
  В: 'B',
  Е: 'E',
  К: 'K',
  М: 'M',
  Н: 'H',
  О: 'O',
  Р: 'P',
  С: 'C',
  Т: 'T',
  У: 'Y',
  Х: 'X',
  Ѕ: 'S',
  І: 'I',
  Ј: 'J',
  Ԛ: 'Q',
  Ԝ: 'W',
  α: 'a',
  ο: 'o',
  ν: 'v',
  τ: 't',
  ρ: 'p',
  ι: 'i',
  κ: 'k',
  υ: 'u',
  χ: 'x',
  ε: 'e',
  Α: 'A',
  Β: 'B',
  Ε: 'E',
  Ζ: 'Z',
  Η: 'H',
  Ι: 'I',
  Κ: 'K',
  Μ: 'M',
  Ν: 'N',
  Ο: 'O',
  Ρ: 'P',
  Τ: 'T',
  Υ: 'Y',
  Χ: 'X',
};

const CONFUSABLE = new RegExp(`[${Object.keys(CONFUSABLES).join('')}]`, 'u');
const WORD = /[\p{L}\p{M}\p{N}]+/gu;
const LATIN = /\p{Script=Latin}/u;
const LATIN_G = /\p{Script=Latin}/gu;
const LETTER_G = /\p{L}/gu;

/**
 * Maps look-alike letters to Latin inside words that mix them with Latin letters ("раypal"),
 * and in all-look-alike words when the text is mostly Latin ("рорe" in an English sentence).
 * Genuine Russian or Greek text is left alone.
 */
export function foldConfusables(text: string): string {
  if (!CONFUSABLE.test(text)) return text;
  const letters = text.match(LETTER_G)?.length ?? 0;
  const latin = text.match(LATIN_G)?.length ?? 0;
  const mostlyLatin = letters > 0 && latin / letters >= 0.5;
  return text.replace(WORD, (word) => {
    let hasConfusable = false;
    for (const ch of word)
      if (CONFUSABLES[ch]) {
        hasConfusable = true;
        break;
      }
    if (!hasConfusable) return word;
    if (!LATIN.test(word) && !mostlyLatin) return word;
    let out = '';
    for (const ch of word) out += CONFUSABLES[ch] ?? ch;
    return out;
  });
}

/** NFKC (full-width, mathematical bold, circled letters → plain) and diacritics/zalgo marks off Latin letters. */
export function foldCompatibility(text: string): string {
  if (!NON_ASCII.test(text)) return text;
  return text
    .normalize('NFKC')
    .normalize('NFD')
    .replace(/(\p{Script=Latin})\p{M}+/gu, '$1')
    .normalize('NFC');
}

// ---------- spaced letters ----------

// A run of at least four single characters separated by 1–3 separator characters:
// "i g n o r e", "i.g.n.o.r.e", "i-g-n-o-r-e", "i  g  n" … Leet symbols count as characters.
const SPACED_RUN =
  /(?<![\p{L}\p{N}])(?:[\p{L}\p{N}@$][ \t.\-_*·•,~/\\]{1,3}){3,}[\p{L}\p{N}@$](?![\p{L}\p{N}])/gu;
// Three single characters in a row separated by spaces, or four by punctuation: cheap ASCII
// pre-checks for the full Unicode pattern below.
const SPACED_HINT = /(?:^|\s)\S\s{1,3}\S\s{1,3}\S(?:\s|$)|\w[.\-_*~/\\,·•]\w[.\-_*~/\\,·•]\w[.\-_*~/\\,·•]\w/;
const SEPARATOR = /[ \t.\-_*·•,~/\\]{1,3}/gu;

/**
 * Joins letters spelled out with separators. The most frequent separator joins letters; a
 * different one marks a word break ("i g n o r e   a l l" → "ignore all", "i-g-n-o-r-e a-l-l" →
 * "ignore all"). With uniform spacing word breaks are lost and the letters join into one run,
 * which character n-grams still recognise.
 */
export function collapseSpacedLetters(text: string): string {
  if (!SPACED_HINT.test(text)) return text;
  return text.replace(SPACED_RUN, (run) => {
    const seps = run.match(SEPARATOR) ?? [];
    const counts = new Map<string, number>();
    for (const s of seps) counts.set(s, (counts.get(s) ?? 0) + 1);
    // The most frequent separator joins letters; any other one is a word break.
    const joiner = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
    const chars = run.split(SEPARATOR);
    let out = chars[0] ?? '';
    for (let i = 1; i < chars.length; i++) out += (seps[i - 1] === joiner ? '' : ' ') + (chars[i] ?? '');
    return out;
  });
}

// ---------- leetspeak ----------

const LEET: Readonly<Record<string, string>> = {
  '0': 'o',
  '1': 'i',
  '3': 'e',
  '4': 'a',
  '5': 's',
  '7': 't',
  '8': 'b',
  '9': 'g',
  '@': 'a',
  $: 's',
  '!': 'i',
  '|': 'l',
  '+': 't',
  '€': 'e',
};
// A "word" that may contain leet symbols; `!` and `+` only count inside a word (not "stop!").
// A letter next to a leet symbol: the only case unLeet changes anything.
const LEET_SYMBOL = /[0-9@$€|!+]/;
const LEET_HINT = /\p{L}[0-9@$€|!+]|[0-9@$€|][\p{L}]/u;
const LEET_WORD = /[\p{L}0-9@$€|]+(?:[!+][\p{L}0-9@$€|]+)*/gu;

/**
 * "1gn0r3 @ll pr3v10u5" → "ignore all previous". Plain numbers ("2024", "3.5"), hex strings
 * ("3f2a9c1d") and tokens longer than 15 characters (hashes, base64) stay as they are.
 */
export function unLeet(text: string): string {
  if (!LEET_SYMBOL.test(text) || !LEET_HINT.test(text)) return text;
  let changed = 0;
  const out = text.replace(LEET_WORD, (word) => {
    // Long tokens are identifiers, hashes or base64, not words: un-leeting them makes noise.
    if (word.length > 15 || !/\p{L}/u.test(word) || /^[0-9a-f]+$/i.test(word)) return word;
    if (!/[0-9@$€|!+]/u.test(word)) return word;
    changed++;
    let mapped = '';
    for (const ch of word) mapped += LEET[ch] ?? ch;
    return mapped;
  });
  // Leetspeak obfuscates most words of a sentence; a long text with a few "mp3", "v2", "h264"
  // tokens is not leetspeak, and mapping them only makes noise the classifier may flag.
  const words = text.match(/\S+/g)?.length ?? 0;
  return changed >= Math.max(1, LEET_MIN_SHARE * words) ? out : text;
}

/** Share of a text's words that must look like leetspeak before it is un-leeted. */
const LEET_MIN_SHARE = 0.1;

// ---------- encoded segments ----------

const STOPWORDS = new Set(
  (
    'the and to of a you your all is are in for that this with be not do me i it on as now no any ' +
    'ignore previous instructions tell how what must will can from have has was were an or if my we ' +
    'they them their there here about into out up so just only then than also should would could ' +
    'please write make give show explain say said system prompt rules assistant user answer'
  ).split(' '),
);

function stopwordHits(text: string, words: ReadonlySet<string> = STOPWORDS): number {
  let hits = 0;
  for (const w of text.toLowerCase().match(/[a-z]+/g) ?? []) if (words.has(w)) hits++;
  return hits;
}

const reverse = (s: string) => [...s].reverse().join('');

/** Caesar shift by 13 on ASCII letters. */
export function rot13(text: string): string {
  return text.replace(/[a-z]/gi, (c) => {
    const base = c <= 'Z' ? 65 : 97;
    return String.fromCharCode(((c.charCodeAt(0) - base + 13) % 26) + base);
  });
}

// Stopwords as they look encoded, minus those that are stopwords themselves ("be" ↔ "or",
// "no" ↔ "on", one-letter words), which would count plain English as encoded.
const encodedSet = (encode: (w: string) => string) =>
  new Set([...STOPWORDS].map(encode).filter((w) => w.length > 1 && !STOPWORDS.has(w)));
const ROT13_STOPWORDS = encodedSet(rot13);
const REVERSED_STOPWORDS = encodedSet(reverse);

const SEGMENT = /[^\n.!?;:"'“”«»()[\]{}]+/g;

/**
 * Segments that read as English only after a transform (rot13, reversal): at least two common
 * words, and more than twice as many as the segment has as sent.
 */
function transformedSegments(
  text: string,
  transform: (s: string) => string,
  encodedStopwords: ReadonlySet<string>,
  limit: number,
): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(SEGMENT)) {
    const seg = m[0];
    const after = stopwordHits(seg, encodedStopwords);
    if (after >= 2 && after > 2 * stopwordHits(seg)) found.push(transform(seg).trim());
    if (found.length >= limit) break;
  }
  return found;
}

/** Whether the text has a run of `n` non-space characters (prose rarely does: most prompts skip base64). */
function hasLongRun(text: string, n: number): boolean {
  let run = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 10 || c === 9 || c === 13) run = 0;
    else if (++run >= n) return true;
  }
  return false;
}

const BASE64 = /[A-Za-z0-9+/_-]{16,}={0,2}/g;
// Hex of text: every byte of a printable character starts with a digit nibble (0x20–0x7e).
const HEX_HINT = /\d[0-9a-fA-F][ :]?\d[0-9a-fA-F][ :]?\d[0-9a-fA-F][ :]?\d[0-9a-fA-F]/;
const HEX = /(?:[0-9a-fA-F]{2}[ :]?){12,}/g;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Decoded text when it reads as text (valid UTF-8, mostly printable, some letters). */
function asReadableText(bytes: Uint8Array): string | undefined {
  let s: string;
  try {
    s = utf8.decode(bytes);
  } catch {
    return undefined;
  }
  const chars = [...s];
  if (chars.length < 8) return undefined;
  const printable = chars.filter((c) => /[\p{L}\p{N}\p{P}\p{S}\p{Zs}\n\r\t]/u.test(c)).length;
  const letters = chars.filter((c) => /\p{L}/u.test(c)).length;
  if (printable / chars.length < 0.9 || letters < 4 || letters / chars.length < 0.4) return undefined;
  return s;
}

/** Base64 (standard or URL-safe) segments that decode to readable text. */
export function decodeBase64Segments(text: string, limit = 16): string[] {
  const out: string[] = [];
  if (!hasLongRun(text, 16)) return out;
  for (const m of text.matchAll(BASE64)) {
    const token = m[0];
    // Plain words ("internationalisation") also match the alphabet; real payloads mix case or digits.
    if (!/[A-Z]/.test(token) || !/[a-z0-9]/.test(token)) continue;
    const normalised = token.replace(/-/g, '+').replace(/_/g, '/').replace(/=+$/, '');
    const decoded = asReadableText(Buffer.from(normalised, 'base64'));
    if (decoded) out.push(decoded);
    if (out.length >= limit) break;
  }
  return out;
}

/** Hex-encoded segments ("69676e6f7265…", "69 67 6e …") that decode to readable text. */
export function decodeHexSegments(text: string, limit = 16): string[] {
  const out: string[] = [];
  if (!HEX_HINT.test(text)) return out;
  for (const m of text.matchAll(HEX)) {
    const hex = m[0].replace(/[ :]/g, '');
    if (!/[a-f]/i.test(hex) || hex.length % 2 !== 0) continue;
    const decoded = asReadableText(Buffer.from(hex, 'hex'));
    if (decoded) out.push(decoded);
    if (out.length >= limit) break;
  }
  return out;
}

// ---------- putting it together ----------

const TRANSFORMS: ReadonlyArray<readonly [string, (s: string) => string]> = [
  ['zero-width', stripInvisible],
  ['unicode-compat', foldCompatibility],
  ['confusables', foldConfusables],
  ['spaced-letters', collapseSpacedLetters],
  ['leetspeak', unLeet],
];

/** The text with every character-level obfuscation undone, and the names of the transforms that changed it. */
export function normaliseText(text: string): { text: string; applied: string[] } {
  const applied: string[] = [];
  let current = text.replace(TAG_RUN, ' ');
  for (const [name, transform] of TRANSFORMS) {
    const next = transform(current);
    if (next !== current) applied.push(name);
    current = next;
  }
  return { text: current.replace(/\s+/g, ' ').trim(), applied };
}

/**
 * Every text the guard should score for `text`: the text as sent, its normalised form when that
 * differs, and each decoded hidden payload (normalised too). Cheap enough to run on every message:
 * a handful of linear regex passes.
 */
export function scanVariants(text: string, options: ScanOptions = {}): ScanVariant[] {
  const maxDepth = options.maxDepth ?? 2;
  const maxSegments = options.maxSegments ?? 16;
  const variants: ScanVariant[] = [];
  const seen = new Set<string>();
  const add = (t: string, via: string) => {
    // Exact text (trimmed) as the key: case or spacing differences are rare and cost one more window.
    const key = t.trim();
    if (!key || seen.has(key)) return;
    seen.add(key);
    variants.push({ text: t, via });
  };

  const visit = (input: string, prefix: string, depth: number) => {
    add(input, prefix || 'plain');
    const { text: normal, applied } = normaliseText(input);
    if (applied.length > 0) add(normal, [prefix, applied.join('+')].filter(Boolean).join('+'));
    if (depth >= maxDepth) return;
    // Encoded payloads are decoded from the text with only invisible characters and full-width
    // forms undone: leetspeak folding would corrupt their digits.
    const light = foldCompatibility(stripInvisible(input));
    // Counting encoded stopwords ("gur", "naq" for rot13) in the text as sent tells whether any
    // segment can decode to English, without decoding the segments of every ordinary prompt.
    let rotHits = 0;
    let revHits = 0;
    for (const w of normal.toLowerCase().match(/[a-z]+/g) ?? []) {
      if (ROT13_STOPWORDS.has(w)) rotHits++;
      if (REVERSED_STOPWORDS.has(w)) revHits++;
    }
    const decoders: ReadonlyArray<readonly [string, () => string[]]> = [
      ['unicode-tags', () => decodeUnicodeTags(input)],
      ['base64', () => decodeBase64Segments(light, maxSegments)],
      ['hex', () => decodeHexSegments(light, maxSegments)],
      ['rot13', () => (rotHits < 2 ? [] : transformedSegments(normal, rot13, ROT13_STOPWORDS, maxSegments))],
      [
        'reversed',
        () => (revHits < 2 ? [] : transformedSegments(normal, reverse, REVERSED_STOPWORDS, maxSegments)),
      ],
    ];
    for (const [name, decode] of decoders) {
      for (const decoded of decode()) {
        if (variants.length >= maxSegments * 2) return;
        visit(decoded, [prefix, name].filter(Boolean).join('+'), depth + 1);
      }
    }
  };
  visit(text, '', 0);
  return variants;
}
