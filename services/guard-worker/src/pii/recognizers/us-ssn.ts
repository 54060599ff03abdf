import type { PiiSpan, Recognizer } from '../types';

// Published or advertising SSNs that are not anyone's (Woolworth's wallet card, the 1990s ads, …).
const KNOWN_FAKE = new Set(['078051120', '219099999', '457555462', '123456789', '987654320']);

/** SSA rules: area not 000, 666 or 900-999; group not 00; serial not 0000; no well-known fakes. */
export function ssnValid(digits: string): boolean {
  if (!/^\d{9}$/.test(digits)) return false;
  const area = Number(digits.slice(0, 3));
  if (area === 0 || area === 666 || area >= 900) return false;
  if (digits.slice(3, 5) === '00' || digits.slice(5) === '0000') return false;
  if (/^(\d)\1{8}$/.test(digits)) return false;
  return !KNOWN_FAKE.has(digits);
}

const SSN_RE = /(?<![\w.-])(\d{3})([- .]?)(\d{2})\2(\d{4})(?![\w]|[.-]\d)/g;

export const usSsnRecognizer: Recognizer = {
  type: 'US_SSN',
  find(text: string): PiiSpan[] {
    const out: PiiSpan[] = [];
    for (const m of text.matchAll(SSN_RE)) {
      const digits = `${m[1]}${m[3]}${m[4]}`;
      if (!ssnValid(digits)) continue;
      // 123-45-6789 is the SSN layout; bare nine digits are far more often something else, so they
      // need a context word ("ssn", "social security") to pass.
      const sep = m[2];
      const score = sep === '-' ? 0.85 : sep ? 0.5 : 0.3;
      out.push({ type: 'US_SSN', start: m.index, end: m.index + m[0].length, score });
    }
    return out;
  },
};
