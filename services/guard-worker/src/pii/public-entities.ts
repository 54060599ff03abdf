import figures from './data/public-figures.json';
import type { PiiSpan } from './types';

const PUBLIC_PEOPLE = new Set(figures.people.map((n) => normaliseName(n)));

function normaliseName(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/['’]s$/u, '')
    .replace(/[^\p{L}\p{N} ]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** True when a PERSON span names a well-known public or historical figure ("Napoleon", "Marie Curie"). */
export function isPublicFigure(name: string): boolean {
  return PUBLIC_PEOPLE.has(normaliseName(name));
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
// Longest names first so "Martin Luther King" wins over "Martin Luther".
const FIGURE_RE = new RegExp(
  `(?<![\\p{L}\\p{N}])(?:${[...figures.people]
    .sort((a, b) => b.length - a.length)
    .map(escape)
    .join('|')})(?:['’]s)?(?![\\p{L}\\p{N}])`,
  'giu',
);

// The same pattern anchored at one position (sticky), for positions the fast path below declines.
const FIGURE_AT = new RegExp(FIGURE_RE.source, 'iuy');

const lower = (code: number): number => (code >= 65 && code <= 90 ? code + 32 : code);
const pack = (a: number, b: number, c: number): number => (a << 14) | (b << 7) | c;
const isAsciiAlnum = (c: number): boolean =>
  (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);

/**
 * Names by their first three characters (lower case, packed), each list in the pattern's
 * alternation order (longest first). Undefined when some name does not start with three ASCII
 * characters; then only the regex runs. Names with other non-ASCII letters ("Schrödinger") only
 * match where the text has non-ASCII characters, which the regex handles.
 */
const BY_PREFIX = ((): Map<number, { name: string; span: number }[]> | undefined => {
  const map = new Map<number, { name: string; span: number }[]>();
  for (const name of [...figures.people].sort((a, b) => b.length - a.length)) {
    // (ſ and K, which match ASCII s and k, would need the regex everywhere)
    if (!/^[A-Za-z][\x20-\x7e]{2}/.test(name) || /[\u017f\u212a]/.test(name)) return undefined;
    const key = pack(lower(name.charCodeAt(0)), lower(name.charCodeAt(1)), lower(name.charCodeAt(2)));
    const list = map.get(key) ?? [];
    list.push({ name: name.toLowerCase(), span: 0 });
    map.set(key, list);
  }
  // How far past the start a match in each list can look: longest name, "'s", one character after.
  for (const list of map.values()) {
    const span = list[0]!.name.length + 3;
    for (const entry of list) entry.span = span;
  }
  return map;
})();

/**
 * The match of FIGURE_RE starting at `p` (its end), in plain code: names in alternation order,
 * compared case-insensitively, then the optional "'s" and the end-of-word check. Only for windows
 * of ASCII text (where case-insensitive matching is plain ASCII lower-casing); -1 when none.
 */
function matchNameAt(text: string, p: number, names: readonly { name: string }[]): number {
  const n = text.length;
  const boundary = (i: number): boolean => i >= n || !isAsciiAlnum(text.charCodeAt(i));
  for (const { name } of names) {
    const e = p + name.length;
    if (e > n) continue;
    let k = 0;
    while (k < name.length && lower(text.charCodeAt(p + k)) === name.charCodeAt(k)) k++;
    if (k < name.length) continue;
    if (text.charCodeAt(e) === 39 && lower(text.charCodeAt(e + 1)) === 115 && boundary(e + 2)) return e + 2;
    if (boundary(e)) return e;
  }
  return -1;
}

/**
 * Character ranges where public figures are named. Model spans overlapping them are dropped, also
 * when the model cut the name short ("Isaac" of "Isaac Newton") or typed it wrongly.
 *
 * Gives the same matches as running FIGURE_RE (344 names, case-insensitive) over the text, but
 * tries names only where one can start: after a character that is not an ASCII letter or digit,
 * and where the next three characters, lower-cased, begin some name. In plain ASCII text the
 * names are compared in code; where non-ASCII characters are near (ſ and K match s and k, ’s, a
 * non-ASCII letter before or after) the anchored regex decides.
 */
export function publicFigureRanges(text: string): [number, number][] {
  if (!BY_PREFIX) return [...text.matchAll(FIGURE_RE)].map((m) => [m.index, m.index + m[0].length]);
  const out: [number, number][] = [];
  const n = text.length;
  let p = 0;
  while (p + 3 <= n) {
    const c0 = text.charCodeAt(p);
    const prev = p === 0 ? 32 : text.charCodeAt(p - 1);
    let end = -1;
    if (!isAsciiAlnum(prev)) {
      const c1 = text.charCodeAt(p + 1);
      const c2 = text.charCodeAt(p + 2);
      const names =
        c0 < 128 && c1 < 128 && c2 < 128 ? BY_PREFIX.get(pack(lower(c0), lower(c1), lower(c2))) : undefined;
      let ascii = prev < 128 && names !== undefined;
      if (ascii) {
        const stop = Math.min(n, p + names![0]!.span);
        for (let i = p; i < stop && ascii; i++) if (text.charCodeAt(i) >= 128) ascii = false;
      }
      if (ascii) end = matchNameAt(text, p, names!);
      else if (names !== undefined || c0 === 0x17f || c0 === 0x212a || c0 >= 128 || c1 >= 128 || c2 >= 128) {
        FIGURE_AT.lastIndex = p;
        const m = FIGURE_AT.exec(text);
        if (m) end = p + m[0].length;
      }
    }
    if (end > p) {
      out.push([p, end]);
      p = end;
    } else p++;
  }
  return out;
}

const DATE_CONTEXT =
  /\b(born|birth|birthday|dob|date|expires?|expiry|deadline|due|appointment|meeting|scheduled|married|died|since)\b/i;
const WEAK_DATE =
  /^(?:\d{4}s?|(?:mon|tues|wednes|thurs|fri|satur|sun)day|(?:jan(?:uary)?|feb(?:ruary)?|march|april|june?|july?|aug(?:ust)?|sep(?:tember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)|today|tomorrow|yesterday)$/i;

/**
 * A bare year, weekday or month ("in 1815", "on Friday") rarely identifies anyone; such model
 * DATE_TIME spans are scaled down unless a date word ("born", "birthday", "appointment") is near.
 */
export function weakDateFactor(text: string, span: PiiSpan): number {
  const value = text.slice(span.start, span.end).trim();
  if (!WEAK_DATE.test(value)) return 1;
  const around = text.slice(Math.max(0, span.start - 40), Math.min(text.length, span.end + 20));
  return DATE_CONTEXT.test(around) ? 1 : 0.5;
}
