import type { PiiSpan, Recognizer } from '../types';

// Local part per RFC 5322's common subset; the domain needs a dot and a 2+ letter TLD.
const EMAIL_RE =
  /(?<![\w.%+-])[A-Za-z0-9](?:[A-Za-z0-9._%+-]{0,63})@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}(?![\w-])/g;

export const emailRecognizer: Recognizer = {
  type: 'EMAIL_ADDRESS',
  find(text: string): PiiSpan[] {
    const out: PiiSpan[] = [];
    if (!text.includes('@')) return out; // the pattern's one required character: skip the scan
    for (const m of text.matchAll(EMAIL_RE)) {
      const value = m[0];
      if (value.includes('..')) continue;
      out.push({ type: 'EMAIL_ADDRESS', start: m.index, end: m.index + value.length, score: 1 });
    }
    return out;
  },
};
