import type { PiiSpan, Recognizer } from '../types';

// Generic TLDs and country codes that show up in prose; deliberately not every ccTLD, because
// "index.md", "main.rs" or "setup.py" are file names far more often than Moldovan or Serbian hosts.
const TLDS = new Set(
  (
    'com org net edu gov mil int info biz io co ai app dev me tv us uk ca au de fr es it nl be ch at se no dk fi pl cz ' +
    'hu pt br mx ar cl in jp cn kr ru ua gr tr ie nz za il sg hk tw gl is ee lv lt si hr sk ro bg cy lu'
  ).split(' '),
);

// Cheap checks for what the patterns require: "://" for a scheme URL; a letter or digit, a dot and
// a letter, digit or hyphen for www. and bare domains. Most prompts have neither.
const LABEL_DOT = /[A-Za-z0-9]\.[A-Za-z0-9-]/;

const SCHEME_RE = /\b(?:https?|ftp):\/\/[^\s<>"'`]+/gi;
const WWW_RE = /(?<![\w@./-])www\.[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+(?:\/[^\s<>"'`]*)?/gi;
const BARE_RE =
  /(?<![\w@./:-])(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+([A-Za-z]{2,10})(?:\/[^\s<>"'`]*)?(?![\w@-])/g;

// Sentence punctuation after a URL is not part of it.
function trimEnd(value: string): string {
  return value.replace(/[.,;:!?)\]}'"]+$/, '');
}

export const urlRecognizer: Recognizer = {
  type: 'URL',
  find(text: string): PiiSpan[] {
    const out: PiiSpan[] = [];
    const taken: [number, number][] = [];
    const push = (start: number, raw: string, score: number): void => {
      const value = trimEnd(raw);
      const end = start + value.length;
      if (taken.some(([s, e]) => start < e && end > s)) return;
      taken.push([start, end]);
      out.push({ type: 'URL', start, end, score });
    };
    if (text.includes('://')) for (const m of text.matchAll(SCHEME_RE)) push(m.index, m[0], 0.9);
    if (!LABEL_DOT.test(text)) return out;
    for (const m of text.matchAll(WWW_RE)) push(m.index, m[0], 0.85);
    for (const m of text.matchAll(BARE_RE)) {
      const tld = m[1]!.toLowerCase();
      if (!TLDS.has(tld)) continue;
      // "e.g.", "i.e." and version-like "v1.2" never reach here (TLD list); a bare domain still gets a
      // modest score so prose like "Node.js" style names need context to count.
      push(m.index, m[0], 0.6);
    }
    return out;
  },
};
